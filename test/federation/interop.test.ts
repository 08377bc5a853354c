import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Person } from "../support/client.ts";
import {
  type FakeAccount,
  type FakePeer,
  fixture,
  startFakeMastodon,
} from "../support/fake-peer.ts";
import { eventually, type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";

/**
 * What other software really sends — Mobilizon's Join and Leave, Pleroma's litepub context,
 * Mastodon's reports, old http:// context names, garbage — is understood or refused with a
 * 4xx, never a crash.
 */
describe("what other fediverse software sends", () => {
  let hub: Peer;
  let peer: FakePeer;
  let admin: Person;
  let sender: FakeAccount;
  let group: string;
  let threadUri: string;

  /** A fixture as `sender` would send it to our community; embedded LD signatures dropped. */
  function replay(path: string, n: number, extra: Record<string, unknown> = {}) {
    const { signature: _, ...activity } = fixture(path);
    return {
      ...activity,
      id: `${sender.id}/activities/${n}`,
      actor: sender.id,
      object: group,
      ...extra,
    };
  }

  const members = async () =>
    (
      (await hub.request("GET", "/api/v1/communities/commons/members", { token: admin.token })).body
        .items as any[]
    ).map((m) => m.account.handle);
  const senderHandle = () => `@${sender.id.split("/").at(-1)}@${new URL(peer.origin).host}`;

  beforeAll(async () => {
    [hub, peer] = await Promise.all([startPeer("127.0.0.2"), startFakeMastodon("127.0.0.8")]);
    sender = await peer.account("tcit");
    admin = await hub.signUp("hubadmin");
    await hub.request("POST", "/api/v1/communities", {
      token: admin.token,
      body: { slug: "commons", name: "Commons", summary: "", privacy: "open" },
    });
    group = `${hub.origin}/actors/commons`;
    const thread = await hub.request("POST", "/api/v1/communities/commons/discussions", {
      token: admin.token,
      body: { title: "Registries", content: "Single social registries: lessons?" },
    });
    threadUri = thread.body.uri;
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([hub?.stop(), peer?.close()]);
    await killLaunched();
  });

  it("takes Mobilizon's Join (litepub context) as joining and its Leave as leaving", async () => {
    const join = replay("mobilizon/mobilizon-test-fixtures/mobilizon-join-activity.json", 1);
    expect((await peer.post(`${group}/inbox`, join, sender)).status).toBe(202);
    await eventually(members, (handles) => handles.includes(senderHandle()), "the Join", [hub]);
    const leave = replay("mobilizon/mobilizon-test-fixtures/mobilizon-leave-activity.json", 2);
    expect((await peer.post(`${group}/inbox`, leave, sender)).status).toBe(202);
    await eventually(members, (handles) => !handles.includes(senderHandle()), "the Leave", [hub]);
  });

  it("reads Pleroma's Follow with its litepub context and an old http:// ActivityStreams name", async () => {
    const pleroma = replay("pleroma/activities/follow.json", 3, {
      "@context": [
        "http://www.w3.org/ns/activitystreams",
        "https://mycrowd.ca/schemas/litepub-0.1.jsonld",
        { "@language": "und" },
      ],
      to: [group],
    });
    expect((await peer.post(`${group}/inbox`, pleroma, sender)).status).toBe(202);
    await eventually(members, (handles) => handles.includes(senderHandle()), "the Pleroma Follow", [
      hub,
    ]);
  });

  it("brings a Mastodon report about a thread to the community's administrators", async () => {
    const flag = replay("mastodon/activities/flag.json", 4, { object: [threadUri], to: group });
    expect((await peer.post(`${hub.origin}/inbox`, flag, sender)).status).toBe(202);
    const report = await eventually(
      async () =>
        (
          (await hub.request("GET", "/api/v1/notifications", { token: admin.token })).body
            .items as any[]
        ).find((n) => n.kind === "report"),
      (found) => found !== undefined,
      "the report",
      [hub],
    );
    expect(report.data).toMatchObject({
      target: threadUri,
      reason: "Please take a look at this user and their posts",
    });
  });

  it("answers malformed JSON and unknown activity types without failing", async () => {
    const garbage = new Request(`${hub.origin}/inbox`, {
      method: "POST",
      headers: { "content-type": "application/activity+json" },
      body: "{ this is not json",
    });
    const answer = await fetch(garbage);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    const unknown = replay("mastodon/activities/follow.json", 5, { type: "Wobble" });
    const wobble = await peer.post(`${hub.origin}/inbox`, unknown, sender);
    expect(wobble.status).toBeLessThan(500);
    expect((await fetch(`${hub.origin}/healthz`)).status).toBe(200);
  });
});
