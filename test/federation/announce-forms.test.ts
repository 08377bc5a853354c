import { setTimeout as sleep } from "node:timers/promises";
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
 * A new post goes out as the Group's Announce of its Create, which Lemmy and Praxis read, and
 * as a boost of the post itself, which Mastodon and GoToSocial need. A server that speaks
 * Praxis is sent the first alone: a network of partners carries each post once. Seen from two
 * servers that share no code with Praxis, one Mastodon-shaped and one with Praxis's terms.
 */
describe("the forms a new post's Announce takes, by the server it goes to", () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: Peer;
  let microblog: RawPeer;
  let partner: RawPeer;
  let admin: Person;
  let mona: RawActor;
  let pia: RawActor;

  const announcesAt = (peer: RawPeer) =>
    peer.received.map((r) => r.body).filter((activity) => activity.type === "Announce");
  const announcedObjectId = (announce: { object: unknown }) =>
    typeof announce.object === "string" ? announce.object : (announce.object as { id: string }).id;

  async function join(actor: RawActor, peer: RawPeer) {
    const groupId = `${hub.origin}/actors/commons`;
    const follow = {
      "@context": contexts,
      id: `${actor.id}#follows/commons`,
      type: "Follow",
      actor: actor.id,
      object: groupId,
    };
    const sent = await fetch(signedRequest("POST", `${groupId}/inbox`, actor, follow));
    expect(sent.status).toBe(202);
    await eventually(
      async () => peer.received.some((r) => r.body.type === "Accept"),
      (accepted) => accepted,
      `${actor.id} admitted`,
      [hub],
    );
  }

  beforeAll(async () => {
    database = await freshDatabase();
    [hub, microblog, partner] = await Promise.all([
      startPeer("127.0.41.1", { DATABASE_URL: database.url }),
      startRawPeer("127.0.41.2"),
      startRawPeer("127.0.41.3"),
    ]);
    admin = await hub.signUp("hubadmin");
    const made = await hub.request("POST", "/api/v1/communities", {
      token: admin.token,
      body: { slug: "commons", name: "Commons", summary: "", privacy: "open" },
    });
    expect(made.status).toBe(201);
    mona = microblog.person("mona");
    pia = partner.person("pia");
    partner.serve("/users/pia", {
      ...pia.document,
      "@context": [...contexts, { praxis: "https://w3id.org/praxis#" }],
    });
    await join(mona, microblog);
    await join(pia, partner);
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([hub?.stop(), microblog?.close(), partner?.close()]);
    await killLaunched();
    await database?.close();
  });

  it("boosts a new post to the Mastodon-shaped server, and not to the one that speaks Praxis", async () => {
    const made = await hub.request("POST", "/api/v1/communities/commons/discussions", {
      token: admin.token,
      body: { title: "Cash transfers", content: "What the registry changed." },
    });
    expect(made.status).toBe(201);
    const uri: string = made.body.uri;
    const [ofCreate, boost] = await eventually(
      async () => {
        const announces = announcesAt(microblog);
        return [
          announces.find((a) => a.object?.type === "Create" && a.object.object?.id === uri),
          announces.find((a) => announcedObjectId(a) === uri),
        ];
      },
      ([create, boosted]) => Boolean(create && boosted),
      "both Announces at the Mastodon-shaped server",
      [hub],
    );
    expect(ofCreate.actor).toBe(`${hub.origin}/actors/commons`);
    expect(boost.actor).toBe(`${hub.origin}/actors/commons`);
    // The boost goes only to servers that read no Object Integrity Proof: it carries the RSA
    // Linked Data Signature they do read, and no proof, which would cost the worker more than
    // the rest of its signing. The Announce of the Create, which partners take, keeps both.
    expect(boost.signature?.type).toBe("RsaSignature2017");
    expect(boost.proof).toBeUndefined();
    expect(ofCreate.signature?.type).toBe("RsaSignature2017");
    expect(ofCreate.proof?.cryptosuite).toBe("eddsa-jcs-2022");
    // The partner's would have been sent beside the Mastodon-shaped server's: a moment more
    // for it to arrive, if it were sent at all.
    await sleep(1500);
    const atPartner = await eventually(
      async () => announcesAt(partner),
      (announces) => announces.some((a) => a.object?.object?.id === uri),
      "the Announce of the Create at the partner",
      [hub],
    );
    expect(atPartner.filter((a) => announcedObjectId(a) === uri)).toEqual([]);
    expect(atPartner).toHaveLength(1);
  });
});
