import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Person } from "../support/client.ts";
import { eventually, type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";
import {
  contexts,
  publicAddress,
  type RawActor,
  type RawPeer,
  signedRequest,
  startRawPeer,
} from "../support/raw-peer.ts";

/**
 * A community on another server relays what its members did; it is believed for its own
 * people only. The Group is served and signed by hand (test/support/raw-peer.ts).
 */
describe("a community on another server", () => {
  let hub: Peer;
  let groupServer: RawPeer;
  let victims: RawPeer;
  let blocked: RawPeer;
  let reader: Person;
  let group: RawActor;
  let gina: RawActor;
  let victor: RawActor;
  let ref: string;
  let n = 0;

  function page(author: string, title: string, origin = new URL(author).origin) {
    const id = `${origin}/pages/${++n}`;
    return {
      id,
      type: "Page",
      attributedTo: author,
      name: title,
      content: `<p>${title}</p>`,
      mediaType: "text/html",
      audience: group.id,
      to: [group.id, publicAddress],
      published: new Date().toISOString(),
    };
  }

  const announce = (inner: unknown) =>
    fetch(
      signedRequest("POST", `${hub.origin}/inbox`, group, {
        "@context": contexts,
        id: `${group.id}/announces/${++n}`,
        type: "Announce",
        actor: group.id,
        to: [publicAddress],
        cc: [`${group.id}/followers`],
        object: inner,
      }),
    );

  const create = (actor: string, object: { id: string }) => ({
    id: `${object.id}/create`,
    type: "Create",
    actor,
    to: [group.id, publicAddress],
    object,
  });

  const threads = async () =>
    (await hub.request("GET", `/api/v1/communities/${ref}/discussions`, { token: reader.token }))
      .body.items as { title: string; id: string; likeCount: number }[];

  const titles = async () => (await threads()).map((thread) => thread.title);

  async function afterGenuineThread(title: string) {
    expect((await announce(create(gina.id, page(gina.id, title)))).status).toBe(202);
    return eventually(titles, (list) => list.includes(title), `the thread "${title}"`, [hub]);
  }

  beforeAll(async () => {
    [groupServer, victims, blocked] = await Promise.all([
      startRawPeer("127.0.0.27"),
      startRawPeer("127.0.0.29"),
      startRawPeer("127.0.0.28"),
    ]);
    hub = await startPeer("127.0.0.26");
    await hub.signUp("hubadmin");
    reader = await hub.signUp("reader");
    gina = groupServer.person("gina");
    victor = victims.person("victor");
    const groupId = `${groupServer.origin}/c/practice`;
    const { publicKeyPem, privateKey } = groupServer.keyPair();
    const document = {
      "@context": contexts,
      id: groupId,
      type: "Group",
      preferredUsername: "practice",
      name: "Practice",
      inbox: `${groupId}/inbox`,
      outbox: `${groupId}/outbox`,
      followers: `${groupId}/followers`,
      endpoints: { sharedInbox: `${groupServer.origin}/inbox` },
      manuallyApprovesFollowers: false,
      publicKey: { id: `${groupId}#main-key`, owner: groupId, publicKeyPem },
    };
    groupServer.serve("/c/practice", document);
    group = {
      id: groupId,
      inbox: document.inbox,
      keyId: `${groupId}#main-key`,
      privateKey,
      document,
    };
    groupServer.serve(
      "/.well-known/webfinger",
      {
        subject: `acct:practice@${groupServer.host}`,
        links: [{ rel: "self", type: "application/activity+json", href: groupId }],
      },
      "application/jrd+json",
    );
    ref = `practice@${groupServer.host}`;
    const joined = await hub.request("POST", `/api/v1/communities/${ref}/join`, {
      token: reader.token,
    });
    expect(joined.status).toBe(200);
    const followed = await eventually(
      async () => groupServer.received.find((r) => r.body?.type === "Follow"),
      (found) => found !== undefined,
      "the Follow at the group",
      [hub],
    );
    const accept = {
      "@context": contexts,
      id: `${groupId}/accepts/1`,
      type: "Accept",
      actor: groupId,
      object: followed?.body,
    };
    const accepted = await fetch(signedRequest("POST", `${hub.origin}/inbox`, group, accept));
    expect(accepted.status).toBe(202);
    await eventually(
      async () =>
        (await hub.request("GET", `/api/v1/communities/${ref}`, { token: reader.token })).body
          .viewer?.state,
      (state) => state === "active",
      "the reader's membership",
      [hub],
    );
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([
      hub?.stop(),
      groupServer?.close(),
      victims?.close(),
      blocked?.close(),
    ]);
    await killLaunched();
  });

  it("keeps no Page a community serves itself but attributes to someone elsewhere", async () => {
    const forged = "Put in victor's mouth";
    expect(
      (await announce(create(victor.id, page(victor.id, forged, groupServer.origin)))).status,
    ).toBe(202);
    expect(await afterGenuineThread("Gina's own thread")).not.toContain(forged);
  });

  it("keeps nothing relayed from a blocked server", async () => {
    const admin = await hub.request("POST", "/api/v1/sessions", {
      body: { login: "hubadmin", password: "a long enough password" },
    });
    const block = await hub.request("POST", "/api/v1/admin/domain-blocks", {
      token: admin.body.token,
      body: { domain: blocked.host, reason: "spam" },
    });
    expect(block.status).toBe(201);
    const bianca = blocked.person("bianca");
    const object = page(bianca.id, "From a blocked server");
    blocked.serve(new URL(object.id).pathname, { "@context": contexts, ...object });
    expect((await announce(create(bianca.id, object))).status).toBe(202);
    expect(await afterGenuineThread("Gina after the block")).not.toContain("From a blocked server");
  });

  it("counts a relayed like of the community's own people, not one it makes up for others", async () => {
    const title = "A thread to like";
    await afterGenuineThread(title);
    const thread = (await threads()).find((item) => item.title === title);
    const pageUri = (
      await hub.request("GET", `/api/v1/posts/${thread?.id}`, { token: reader.token })
    ).body.uri as string;
    expect(pageUri).toBeDefined();
    const like = (actor: string) => ({
      id: `${actor}/likes/${++n}`,
      type: "Like",
      actor,
      object: pageUri,
    });
    expect((await announce(like(victor.id))).status).toBe(202);
    expect((await announce(like(gina.id))).status).toBe(202);
    const count = async () =>
      (await hub.request("GET", `/api/v1/posts/${thread?.id}`, { token: reader.token })).body
        .likeCount as number;
    await eventually(count, (likes) => likes >= 1, "gina's like", [hub]);
    // Both were queued together; give victor's its time before saying it never counted.
    await sleep(1_500);
    expect(await count()).toBe(1);
  });
});
