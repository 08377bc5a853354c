import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Person } from "../support/client.ts";
import { freshDatabase } from "../support/database.ts";
import { eventually, type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";
import {
  contexts,
  type RawActor,
  type RawPeer,
  signedRequest,
  startRawPeer,
} from "../support/raw-peer.ts";

/**
 * A public community's posts are for its members. Praxis servers keep them for theirs from the
 * Group's Announce; on Mastodon-API servers, which have no such audience, each member gets them
 * as a private mention from the author. Seen from a server that shares no code with Praxis.
 */
describe("members-only writing for members on other kinds of servers", () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: Peer;
  let peer: RawPeer;
  let admin: Person;
  /** A Mastodon-shaped person, and one whose document carries Praxis's terms. */
  let mona: RawActor;
  let pia: RawActor;

  const group = (slug: string) => `${hub.origin}/actors/${slug}`;
  const receivedAt = (inbox: string) =>
    peer.received.filter((r) => inbox.endsWith(r.path)).map((r) => r.body);
  const createsOf = (inbox: string, uri: string) =>
    receivedAt(inbox).filter(
      (activity) => activity.type === "Create" && activity.object?.id === uri,
    );
  const announcedAnywhere = (uri: string) =>
    peer.received.some(
      (r) => r.body.type === "Announce" && (r.body.object?.id ?? r.body.object) === uri,
    );

  async function join(actor: RawActor, slug: string) {
    const follow = {
      "@context": contexts,
      id: `${actor.id}#follows/${slug}`,
      type: "Follow",
      actor: actor.id,
      object: group(slug),
    };
    const sent = await fetch(signedRequest("POST", `${group(slug)}/inbox`, actor, follow));
    expect(sent.status).toBe(202);
    await eventually(
      async () => receivedAt(actor.inbox).some((activity) => activity.type === "Accept"),
      (accepted) => accepted,
      `${actor.id} admitted to ${slug}`,
      [hub],
    );
  }

  async function publish(slug: string, title: string): Promise<string> {
    const made = await hub.request("POST", `/api/v1/communities/${slug}/discussions`, {
      token: admin.token,
      body: { title, content: "For the members." },
    });
    expect(made.status).toBe(201);
    return made.body.uri;
  }

  beforeAll(async () => {
    database = await freshDatabase();
    [hub, peer] = await Promise.all([
      startPeer("127.0.0.150", { DATABASE_URL: database.url }),
      startRawPeer("127.0.0.151"),
    ]);
    admin = await hub.signUp("hubadmin");
    for (const [slug, privacy] of [
      ["forum", "public"],
      ["commons", "open"],
    ]) {
      const made = await hub.request("POST", "/api/v1/communities", {
        token: admin.token,
        body: { slug, name: slug, summary: "", privacy },
      });
      expect(made.status).toBe(201);
    }
    mona = peer.person("mona");
    pia = peer.person("pia");
    peer.serve("/users/pia", {
      ...pia.document,
      "@context": [...contexts, { praxis: "https://w3id.org/praxis#" }],
      "praxis:profession": "Social worker",
    });
    for (const actor of [mona, pia]) {
      await join(actor, "forum");
      await join(actor, "commons");
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([hub?.stop(), peer?.close()]);
    await killLaunched();
    await database?.close();
  });

  it("sends a public community's new thread to a Mastodon-shaped member as a private mention of them alone", async () => {
    const uri = await publish("forum", "Members only");
    const [create] = await eventually(
      async () => createsOf(mona.inbox, uri),
      (creates) => creates.length > 0,
      "the private mention in mona's inbox",
      [hub],
    );
    expect(create.actor).toBe(`${hub.origin}/actors/hubadmin`);
    // Mona, beside the Group and its followers (the audience Lemmy and Mobilizon look for).
    const audience = [mona.id, group("forum"), `${group("forum")}/followers`];
    expect(create.to).toEqual(audience);
    expect(create.object.to).toEqual(audience);
    expect([create.object.cc].flat()).toEqual([`${group("forum")}/followers`]);
    const mentions = [create.object.tag ?? []]
      .flat()
      .filter((tag: { type: string }) => tag.type === "Mention");
    expect(mentions).toEqual([
      expect.objectContaining({ href: mona.id, name: `@mona@${peer.host}` }),
      expect.objectContaining({ href: group("forum"), name: `@forum@${hub.host}` }),
    ]);
  });

  it("leaves the member whose server speaks Praxis to the Group's Announce", async () => {
    const uri = await publish("forum", "Members only, again");
    await eventually(
      async () => announcedAnywhere(uri) && createsOf(mona.inbox, uri).length > 0,
      (arrived) => arrived,
      "the Announce and mona's private mention",
      [hub],
    );
    expect(createsOf(pia.inbox, uri)).toEqual([]);
  });

  it("sends an open community's public thread to no one as a mention", async () => {
    const uri = await publish("commons", "For everyone");
    await eventually(
      async () => announcedAnywhere(uri),
      (arrived) => arrived,
      "the Announce of the open thread",
      [hub],
    );
    expect([...createsOf(mona.inbox, uri), ...createsOf(pia.inbox, uri)]).toEqual([]);
  });
});
