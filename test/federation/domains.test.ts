import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Person } from "../support/client.ts";
import { type FakePeer, fixture, startFakeMastodon } from "../support/fake-peer.ts";
import { eventually, type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";

/** Which servers an instance talks with: its administrator's blocks and a partner allowlist. */
describe("domain blocks and the partner allowlist", () => {
  let hub: Peer;
  let partnersOnly: Peer;
  let partner: Peer;
  let mastodon: FakePeer;
  let hubAdmin: Person;
  let gatekeeper: Person;
  let bea: Person;

  function followFrom(account: { id: string }, group: string, n: number) {
    return {
      ...fixture("mastodon/activities/follow.json"),
      id: `${account.id}#follows/${n}`,
      actor: account.id,
      object: group,
    };
  }

  beforeAll(async () => {
    [hub, partnersOnly, partner, mastodon] = await Promise.all([
      startPeer("127.0.0.2"),
      startPeer("127.0.0.6", { FEDERATION_ALLOWLIST: "127.0.0.3" }),
      startPeer("127.0.0.3"),
      startFakeMastodon("127.0.0.5"),
    ]);
    hubAdmin = await hub.signUp("hubadmin");
    gatekeeper = await partnersOnly.signUp("gatekeeper");
    bea = await partner.signUp("bea");
    for (const [peer, admin] of [
      [hub, hubAdmin],
      [partnersOnly, gatekeeper],
    ] as const) {
      const created = await peer.request("POST", "/api/v1/communities", {
        token: admin.token,
        body: { slug: "commons", name: "Commons", summary: "", privacy: "open" },
      });
      expect(created.status).toBe(201);
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([hub, partnersOnly, partner].map((peer) => peer?.stop()));
    await mastodon?.close();
    await killLaunched();
  });

  it("refuses deliveries from a server outside the allowlist, before reading them", async () => {
    const felix = await mastodon.account("felix");
    const answer = await mastodon.post(
      `${partnersOnly.origin}/actors/commons/inbox`,
      followFrom(felix, `${partnersOnly.origin}/actors/commons`, 1),
      felix,
    );
    expect(answer.status).toBe(403);
    expect((await answer.json()).error.code).toBe("domain_blocked");
  });

  it("lets a listed partner join", async () => {
    await partner.request("POST", `/api/v1/communities/commons@${partnersOnly.host}/join`, {
      token: bea.token,
      body: {},
    });
    await eventually(
      async () =>
        (
          await partner.request("GET", `/api/v1/communities/commons@${partnersOnly.host}`, {
            token: bea.token,
          })
        ).body?.viewer?.state,
      (state) => state === "active",
      "bea's membership",
      [partnersOnly, partner],
    );
  });

  it("does not look up communities on servers outside the allowlist", async () => {
    const answer = await partnersOnly.request("GET", `/api/v1/communities/commons@${hub.host}`, {
      token: gatekeeper.token,
    });
    expect(answer.status).toBe(404);
  });

  it("refuses a blocked server's deliveries until the block is lifted", async () => {
    const mallory = await mastodon.account("mallory");
    const host = new URL(mastodon.origin).host;
    const blocked = await hub.request("POST", "/api/v1/admin/domain-blocks", {
      token: hubAdmin.token,
      body: { domain: host, reason: "spam" },
    });
    expect(blocked.status).toBe(201);
    const refused = await mastodon.post(
      `${hub.origin}/actors/commons/inbox`,
      followFrom(mallory, `${hub.origin}/actors/commons`, 2),
      mallory,
    );
    expect(refused.status).toBe(403);
    const listed = await hub.request("GET", "/api/v1/admin/domain-blocks", {
      token: hubAdmin.token,
    });
    expect(listed.body.items).toEqual([expect.objectContaining({ domain: host, reason: "spam" })]);
    expect(
      (
        await hub.request("DELETE", `/api/v1/admin/domain-blocks/${host}`, {
          token: hubAdmin.token,
        })
      ).status,
    ).toBe(204);
    const accepted = await mastodon.post(
      `${hub.origin}/actors/commons/inbox`,
      followFrom(mallory, `${hub.origin}/actors/commons`, 3),
      mallory,
    );
    expect(accepted.status).toBe(202);
  });

  it("keeps domain blocks to the instance administrator and refuses a malformed domain", async () => {
    const someone = await hub.signUp("someone");
    const forbidden = await hub.request("POST", "/api/v1/admin/domain-blocks", {
      token: someone.token,
      body: { domain: "spam.example" },
    });
    expect(forbidden.status).toBe(403);
    const malformed = await hub.request("POST", "/api/v1/admin/domain-blocks", {
      token: hubAdmin.token,
      body: { domain: "not a domain/" },
    });
    expect(malformed.status).toBe(400);
  });
});
