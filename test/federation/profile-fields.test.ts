import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Person } from "../support/client.ts";
import { type FakePeer, fixture, startFakeMastodon } from "../support/fake-peer.ts";
import { eventually, type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";

const details = { profession: "Midwife", organisation: "District clinic", country: "Kenya" };
const about = {
  bio: "Trainer of community health workers.\n\nAsk me about newborn care.",
  languages: ["en", "sw"],
  expertise: ["newborn care"],
};

/**
 * Other servers read a person's profile from their Person actor: the bio as `summary`, the
 * profile details as Mastodon's PropertyValue fields, those the person shows fewer than
 * everyone left out; and a Mastodon person's own summary becomes their bio here (issue 17).
 */
describe("profile fields over federation", () => {
  let hub: Peer;
  let mastodon: FakePeer;
  let admin: Person;

  const actorOf = async (path: string) => {
    const answer = await fetch(`${hub.origin}${path}`, {
      headers: { accept: "application/activity+json" },
    });
    expect(answer.status).toBe(200);
    return (await answer.json()) as Record<string, any>;
  };
  const fieldsOf = (actor: Record<string, any>) =>
    Object.fromEntries(
      (actor.attachment as { type: string; name: string; value: string }[]).map((field) => {
        expect(field.type).toBe("PropertyValue");
        return [field.name, field.value];
      }),
    );

  beforeAll(async () => {
    [hub, mastodon] = await Promise.all([startPeer("127.0.20.1"), startFakeMastodon("127.0.20.2")]);
    admin = await hub.signUp("hubadmin");
    await hub.request("POST", "/api/v1/communities", {
      token: admin.token,
      body: { slug: "commons", name: "Commons", summary: "", privacy: "open" },
    });
    for (const [name, profileAudience] of [
      ["ann", "everyone"],
      ["bo", "members"],
    ]) {
      const person = await hub.signUp(name as string, { ...details, profileAudience });
      await hub.request("PATCH", "/api/v1/me", { token: person.token, body: about });
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([hub?.stop(), mastodon?.close()]);
    await killLaunched();
  });

  it("publishes the bio, languages, expertise and, if everyone may see them, the details", async () => {
    const ann = await actorOf("/actors/ann");
    expect(ann.summary).toBe(
      "<p>Trainer of community health workers.</p><p>Ask me about newborn care.</p>",
    );
    expect(fieldsOf(ann)).toEqual({
      Profession: "Midwife",
      Organisation: "District clinic",
      Country: "Kenya",
      Languages: "English, Swahili",
      Expertise: "newborn care",
    });
    const bo = await actorOf("/actors/bo");
    expect(fieldsOf(bo)).toEqual({ Languages: "English, Swahili", Expertise: "newborn care" });
    expect(JSON.stringify(bo)).not.toMatch(/Midwife|District clinic|Kenya/);
  });

  it("sends servers asking /@name for ActivityPub to the actor, and browsers to the page", async () => {
    expect(await actorOf("/@ann")).toMatchObject({ id: `${hub.origin}/actors/ann` });
    const page = await fetch(`${hub.origin}/@ann`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
  });

  it("keeps a Mastodon person's summary as their bio, in plain text", async () => {
    const felix = await mastodon.account("felix");
    const follow = {
      ...fixture("mastodon/activities/follow.json"),
      id: `${felix.id}#follows/1`,
      actor: felix.id,
      object: `${hub.origin}/actors/commons`,
    };
    expect((await mastodon.post(`${hub.origin}/actors/commons/inbox`, follow, felix)).status).toBe(
      202,
    );
    const handle = `felix@${new URL(mastodon.origin).host}`;
    const profile = await eventually(
      async () => hub.request("GET", `/api/v1/accounts/${handle}`),
      // The profile is stored when the inbox first reads felix; the membership comes later,
      // when the worker has handled the Follow.
      (answer) => answer.status === 200 && answer.body.communities?.length > 0,
      "felix known to the hub as a member of commons",
      [hub],
    );
    // The fixture's summary is Mastodon's HTML: a paragraph, entities and a link's spans.
    expect(profile.body.bio).toContain(
      "Merci de contacter l'administrateur⋅ice de l'instance concernée ou de vous rendre sur https://framacolibri.org/c/peertube",
    );
    expect(profile.body.bio).not.toMatch(/[<>]|&apos;/);
    expect(profile.body.communities).toEqual([{ ref: "commons", name: "Commons" }]);
  });
});
