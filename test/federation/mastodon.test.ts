import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Person } from "../support/client.ts";
import {
  type FakeAccount,
  type FakePeer,
  fixture,
  mastodonReply,
  startFakeMastodon,
} from "../support/fake-peer.ts";
import { eventually, type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";
import { publicAddress } from "../support/raw-peer.ts";

/**
 * People on Mastodon take part from where they are: they follow a community (joining it),
 * reply to its threads, and are refused whatever their signature does not back.
 */
describe("people on Mastodon", () => {
  let hub: Peer;
  let mastodon: FakePeer;
  let admin: Person;
  let felix: FakeAccount;
  let mallory: FakeAccount;
  let threadUri: string;
  let threadId: string;

  const group = (slug: string) => `${hub.origin}/actors/${slug}`;

  /** Mastodon's own Follow (fixture), pointed at one of our communities. */
  function follow(account: FakeAccount, slug: string, n: number) {
    return {
      ...fixture("mastodon/activities/follow.json"),
      id: `${account.id}#follows/${n}`,
      actor: account.id,
      object: group(slug),
    };
  }

  const reply = (account: FakeAccount, n: number, inReplyTo: string, content: string) =>
    mastodonReply(account, n, { inReplyTo, content, cc: [publicAddress, group("commons")] });

  async function comments(): Promise<{ content: string; author: { handle: string } }[]> {
    return (await hub.request("GET", `/api/v1/posts/${threadId}/comments`)).body.items;
  }

  beforeAll(async () => {
    [hub, mastodon] = await Promise.all([startPeer("127.0.0.2"), startFakeMastodon("127.0.0.5")]);
    felix = await mastodon.account("felix");
    mallory = await mastodon.account("mallory");
    admin = await hub.signUp("hubadmin");
    for (const [slug, privacy] of [
      ["commons", "open"],
      ["circle", "semi_private"],
      ["quiet-room", "open"],
    ]) {
      await hub.request("POST", "/api/v1/communities", {
        token: admin.token,
        body: { slug, name: slug, summary: "", privacy },
      });
    }
    const thread = await hub.request("POST", "/api/v1/communities/commons/discussions", {
      token: admin.token,
      body: {
        title: "Graduation from social assistance",
        content: "Which programmes saw it work?",
      },
    });
    threadUri = thread.body.uri;
    threadId = thread.body.id;
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([hub?.stop(), mastodon?.close()]);
    await killLaunched();
  });

  it("accepts a Mastodon Follow of an open community as joining it, and says so", async () => {
    const sent = await mastodon.post(
      `${group("commons")}/inbox`,
      follow(felix, "commons", 1),
      felix,
    );
    expect(sent.status).toBe(202);
    const accept = await eventually(
      async () => mastodon.received.find((activity) => activity.type === "Accept"),
      (found) => found !== undefined,
      "an Accept at felix's inbox",
      [hub],
    );
    expect(accept.actor).toBe(group("commons"));
    expect(accept.object.id).toBe(`${felix.id}#follows/1`);
    const members = await hub.request("GET", "/api/v1/communities/commons/members", {
      token: admin.token,
    });
    expect(members.body.items.map((m: any) => m.account.handle)).toContain(
      `@felix@${new URL(mastodon.origin).host}`,
    );
  });

  it("waits as long as a busy server's Retry-After asks before delivering again", async () => {
    const busy = await mastodon.account("busy");
    // Busy for two seconds: the first try and its second signature style (Fedify's double
    // knock) are both turned away.
    const slowDown = { status: 429, headers: { "retry-after": "2" } };
    mastodon.answerNext(slowDown, slowDown);
    const before = mastodon.attempts.length;
    await mastodon.post(`${group("commons")}/inbox`, follow(busy, "commons", 7), busy);
    const tries = await eventually(
      async () => mastodon.attempts.slice(before),
      (found) => found.some((attempt) => attempt.status === 202),
      "the Accept delivered again after the pause",
      [hub],
    );
    expect(tries.map((attempt) => attempt.status)).toEqual([429, 429, 202]);
    expect((tries[2]?.at ?? 0) - (tries[1]?.at ?? 0)).toBeGreaterThanOrEqual(1900);
  });

  it("sends a removed member nothing more from the community", async () => {
    const gone = await mastodon.account("gone");
    await mastodon.post(`${group("commons")}/inbox`, follow(gone, "commons", 8), gone);
    await mastodon.post(`${group("quiet-room")}/inbox`, follow(gone, "quiet-room", 9), gone);
    const members = await eventually(
      async () =>
        (await hub.request("GET", "/api/v1/communities/quiet-room/members", { token: admin.token }))
          .body.items as { id: string; account: { handle: string } }[],
      (items) => items.some((m) => m.account.handle.startsWith("@gone@")),
      "gone admitted to the quiet room",
      [hub],
    );
    const membership = members.find((m) => m.account.handle.startsWith("@gone@"));
    await hub.request("PATCH", `/api/v1/communities/quiet-room/members/${membership?.id}`, {
      token: admin.token,
      body: { state: "banned" },
    });
    await eventually(
      async () =>
        mastodon.received.find(
          (activity) =>
            activity.type === "Reject" && activity.object?.id === `${gone.id}#follows/9`,
        ),
      (found) => found !== undefined,
      "the Reject telling gone's server of the ban",
      [hub],
    );
    const publish = async (slug: string, title: string) =>
      (
        await hub.request("POST", `/api/v1/communities/${slug}/discussions`, {
          token: admin.token,
          body: { title, content: "For members." },
        })
      ).body.uri as string;
    const afterBan = await publish("quiet-room", "After the ban");
    const elsewhere = await publish("commons", "Meanwhile in the commons");
    const relayed = (uri: string) =>
      mastodon.received.some((activity) => activity.object?.object?.id === uri);
    await eventually(
      async () => relayed(elsewhere),
      (found) => found,
      "the later thread in the commons",
      [hub],
    );
    expect(relayed(afterBan)).toBe(false);
  });

  it("leaves a Mastodon Follow of a semi-private community waiting for the admins", async () => {
    await mastodon.post(`${group("circle")}/inbox`, follow(felix, "circle", 2), felix);
    await eventually(
      async () =>
        (
          await hub.request("GET", "/api/v1/communities/circle/members?state=pending", {
            token: admin.token,
          })
        ).body.items.length,
      (count) => count === 1,
      "felix's request in the queue",
      [hub],
    );
    expect(
      mastodon.received.filter((activity) => activity.object?.id === `${felix.id}#follows/2`),
    ).toEqual([]);
  });

  it("stores a member's Mastodon reply to a thread as a comment, sanitised", async () => {
    const activity = reply(
      felix,
      10,
      threadUri,
      'Chile Solidario did<script>alert(1)</script> <a href="javascript:alert(1)">see</a>',
    );
    expect((await mastodon.post(`${hub.origin}/inbox`, activity, felix)).status).toBe(202);
    const [comment] = await eventually(comments, (items) => items.length === 1, "felix's reply", [
      hub,
    ]);
    expect(comment?.content).toContain("Chile Solidario did");
    expect(comment?.content).not.toContain("<script");
    expect(comment?.content).not.toContain("javascript:");
    expect(comment?.author.handle).toBe(`@felix@${new URL(mastodon.origin).host}`);
  });

  it("stores the same activity once when it arrives twice", async () => {
    const activity = reply(felix, 11, threadUri, "Twice delivered");
    await mastodon.post(`${hub.origin}/inbox`, activity, felix);
    await mastodon.post(`${hub.origin}/inbox`, activity, felix);
    const items = await eventually(
      comments,
      (list) => list.some((c) => c.content.includes("Twice")),
      "the reply",
      [hub],
    );
    expect(items.filter((c) => c.content.includes("Twice"))).toHaveLength(1);
  });

  it("ignores a reply from someone who is not a member", async () => {
    await mastodon.post(
      `${hub.origin}/inbox`,
      reply(mallory, 20, threadUri, "Buy cheap watches"),
      mallory,
    );
    await mastodon.post(
      `${hub.origin}/inbox`,
      reply(felix, 21, threadUri, "After the spam"),
      felix,
    );
    const items = await eventually(
      comments,
      (list) => list.some((c) => c.content.includes("After the spam")),
      "felix's later reply",
      [hub],
    );
    expect(items.some((c) => c.content.includes("cheap watches"))).toBe(false);
  });

  it("refuses an activity signed by someone other than its actor", async () => {
    const forged = reply(felix, 30, threadUri, "Forged in felix's name");
    const answer = await mastodon.post(`${hub.origin}/inbox`, forged, mallory);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    await mastodon.post(
      `${hub.origin}/inbox`,
      reply(felix, 31, threadUri, "After the forgery"),
      felix,
    );
    const items = await eventually(
      comments,
      (list) => list.some((c) => c.content.includes("After the forgery")),
      "felix's reply",
      [hub],
    );
    expect(items.some((c) => c.content.includes("Forged"))).toBe(false);
  });

  it("refuses an unsigned activity and a body over 1 MB before reading it", async () => {
    const unsigned = await fetch(`${hub.origin}/inbox`, {
      method: "POST",
      headers: { "content-type": "application/activity+json" },
      body: JSON.stringify(reply(felix, 40, threadUri, "Unsigned")),
    });
    expect(unsigned.status).toBe(401);
    const huge = reply(felix, 41, threadUri, "x".repeat(2 * 1024 * 1024));
    const answer = await mastodon.post(`${hub.origin}/inbox`, huge, felix);
    expect(answer.status).toBe(413);
  });
});
