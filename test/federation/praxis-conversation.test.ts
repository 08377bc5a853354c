import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Person } from "../support/client.ts";
import { eventually, type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";

interface ConversationJson {
  id: string;
  unread: number;
  participants: { handle: string }[];
}

/**
 * Two Praxis instances, each its own process and database: a person on one writes to a person
 * on the other by handle, the answer comes back into the same conversation, and a block on
 * either side stops messages both ways with a refusal the sender can read.
 */
describe("a conversation between two Praxis instances", () => {
  let a: Peer;
  let b: Peer;
  let ana: Person;
  let ben: Person;
  let adminOfA: Person;
  let adminOfB: Person;
  let carl: Person;
  let conversationOnA: string;

  const anaHandle = () => `@ana@${a.host}`;
  const benHandle = () => `@ben@${b.host}`;

  const conversationsOf = async (peer: Peer, person: Person) =>
    (await peer.request("GET", "/api/v1/conversations", { token: person.token })).body
      .items as ConversationJson[];

  const textsIn = async (peer: Peer, person: Person, id: string) =>
    (
      (await peer.request("GET", `/api/v1/conversations/${id}/messages`, { token: person.token }))
        .body.items as { content: string }[]
    ).map((message) => message.content);

  const write = (peer: Peer, person: Person, id: string, body: string) =>
    peer.request("POST", `/api/v1/conversations/${id}/messages`, {
      token: person.token,
      body: { body },
      headers: { "accept-language": "en" },
    });

  /**
   * Writes until the sender's server has heard of a block: what it took before that is kept
   * there and sent, and must be refused by the other server, which knew of the block first.
   */
  async function writeUntilRefused(peer: Peer, person: Person, id: string, others: Peer[]) {
    let accepted = 0;
    const refused = await eventually(
      async () => {
        const answer = await write(peer, person, id, `Are you there? (${accepted + 1})`);
        if (answer.status === 201) accepted++;
        return answer;
      },
      (answer) => answer.status !== 201,
      "a refusal once the block reached the sender's server",
      others,
    );
    return { refused, accepted };
  }

  /** Long enough for what was sent before a block to be delivered and refused. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 2_000));

  beforeAll(async () => {
    [a, b] = await Promise.all([startPeer("127.0.31.1"), startPeer("127.0.31.2")]);
    // The first account of each server is its administrator.
    [adminOfA, adminOfB] = await Promise.all([a.signUp("hana"), b.signUp("omar")]);
    [ana, ben, carl] = await Promise.all([a.signUp("ana"), b.signUp("ben"), b.signUp("carl")]);
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([a?.stop(), b?.stop()]);
    await killLaunched();
  });

  it("carries a message by handle to the other server and its answer back into the same conversation", async () => {
    const started = await a.request("POST", "/api/v1/conversations", {
      token: ana.token,
      body: { to: [benHandle()], body: "Hello Ben, shall we compare our case notes?" },
    });
    expect(started.status).toBe(201);
    conversationOnA = started.body.id;

    const [onB] = await eventually(
      () => conversationsOf(b, ben),
      (list) => list.length === 1,
      "ana's conversation at ben's server",
      [a, b],
    );
    expect(onB?.unread).toBe(1);
    expect(onB?.participants.map((p) => p.handle).sort()).toEqual(
      [anaHandle(), `@ben@${b.host}`].sort(),
    );
    expect(await textsIn(b, ben, onB?.id ?? "")).toEqual([
      expect.stringContaining("compare our case notes"),
    ]);

    expect((await write(b, ben, onB?.id ?? "", "Yes, on Thursday.")).status).toBe(201);
    const texts = await eventually(
      () => textsIn(a, ana, conversationOnA),
      (list) => list.length === 2,
      "ben's answer in ana's conversation",
      [a, b],
    );
    expect(texts[0]).toContain("Yes, on Thursday.");
    expect((await conversationsOf(a, ana)).map((c) => [c.id, c.unread])).toEqual([
      [conversationOnA, 1],
    ]);
  });

  it("takes a participant's report of a message to the administrator alone, and as a Flag to the author's server", async () => {
    const [onB] = await conversationsOf(b, ben);
    const messagesOnB = (
      await b.request("GET", `/api/v1/conversations/${onB?.id}/messages`, { token: ben.token })
    ).body.items as { id: string; content: string }[];
    const anasMessage = messagesOnB.find((m) => m.content.includes("compare our case notes"));
    const report = (person: Person, body: Record<string, unknown>) =>
      b.request("POST", `/api/v1/messages/${anasMessage?.id}/reports`, {
        token: person.token,
        body,
        headers: { "accept-language": "en" },
      });

    const outsider = await report(carl, { category: "harassment", reason: "Not mine to see." });
    expect(outsider.status).toBe(404);
    const noReason = await report(ben, { category: "harassment", reason: " " });
    expect(noReason.status).toBe(400);
    const filed = await report(ben, {
      category: "harassment",
      reason: "She keeps writing after I said no.",
      forward: true,
    });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ community: null, target: { kind: "message" } });
    expect((await report(ben, { category: "spam", reason: "Again." })).status).toBe(409);

    // Carl moderates a community of his own: a message's report is none of its business.
    const community = await b.request("POST", "/api/v1/communities", {
      token: carl.token,
      body: { slug: "care", name: "Care", summary: "Carers", privacy: "open" },
    });
    expect(community.status).toBe(201);
    const carlsQueue = await b.request("GET", "/api/v1/communities/care/reports", {
      token: carl.token,
    });
    expect(carlsQueue.body.items).toEqual([]);
    expect((await b.request("GET", "/api/v1/admin/reports", { token: carl.token })).status).toBe(
      403,
    );
    const queueOfB = await b.request("GET", "/api/v1/admin/reports", { token: adminOfB.token });
    expect(queueOfB.body.items).toEqual([
      expect.objectContaining({
        id: filed.body.id,
        community: null,
        reason: "She keeps writing after I said no.",
        target: expect.objectContaining({
          kind: "message",
          content: expect.stringContaining("compare our case notes"),
          author: expect.objectContaining({ handle: anaHandle() }),
        }),
      }),
    ]);

    const flagged = await eventually(
      async () =>
        (await a.request("GET", "/api/v1/admin/reports", { token: adminOfA.token })).body.items as {
          community: string | null;
          target: { kind: string; content: string };
        }[],
      (items) => items.length > 0,
      "the Flag in the queue of ana's server",
      [a, b],
    );
    expect(flagged).toEqual([
      expect.objectContaining({
        community: null,
        reason: "She keeps writing after I said no.",
        target: expect.objectContaining({
          kind: "message",
          content: expect.stringContaining("compare our case notes"),
        }),
      }),
    ]);

    const resolve = (action: string) =>
      b.request("POST", `/api/v1/reports/${filed.body.id}/resolve`, {
        token: adminOfB.token,
        body: { action },
        headers: { "accept-language": "en" },
      });
    const ban = await resolve("ban_person");
    expect(ban.status).toBe(422);
    expect(ban.body.error.code).toBe("no_community_to_act_in");
    const removed = await resolve("remove");
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ state: "resolved", target: { deleted: true } });
    expect(await textsIn(b, ben, onB?.id ?? "")).toEqual([expect.stringContaining("Thursday")]);
    const told = (
      await b.request("GET", "/api/v1/notifications", {
        token: ben.token,
        headers: { "accept-language": "en" },
      })
    ).body.items as { kind: string }[];
    expect(told.map((n) => n.kind)).toContain("report_decided");
  });

  it("stops messages both ways when the recipient blocks the sender, and tells the sender why", async () => {
    const blocked = await b.request("POST", "/api/v1/blocks", {
      token: ben.token,
      body: { handle: anaHandle() },
    });
    expect(blocked.status).toBe(201);
    const { refused, accepted } = await writeUntilRefused(a, ana, conversationOnA, [a, b]);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({
      code: "blocked",
      message: "You cannot message this person: one of you has blocked the other.",
    });
    const [onB] = await conversationsOf(b, ben);
    const fromBen = await write(b, ben, onB?.id ?? "", "One more thing.");
    expect(fromBen.status).toBe(403);
    expect(fromBen.body.error.code).toBe("blocked");
    await settle();
    // The report removed ana's first message here: ben's answer alone is left.
    expect(await textsIn(b, ben, onB?.id ?? "")).toHaveLength(1);
    expect(await textsIn(a, ana, conversationOnA)).toHaveLength(2 + accepted);

    expect(
      (
        await b.request("DELETE", `/api/v1/blocks/${encodeURIComponent(anaHandle())}`, {
          token: ben.token,
        })
      ).status,
    ).toBe(204);
    await eventually(
      () => write(a, ana, conversationOnA, "Glad we can talk again."),
      (answer) => answer.status === 201,
      "ana may write once ben's Undo reached her server",
      [a, b],
    );
    await eventually(
      () => textsIn(b, ben, onB?.id ?? ""),
      (list) => list[0]?.includes("Glad we can talk again.") === true,
      "ana's message after the unblock at ben's server",
      [a, b],
    );
  });

  it("stops messages both ways when the sender blocks the recipient", async () => {
    const blocked = await a.request("POST", "/api/v1/blocks", {
      token: ana.token,
      body: { handle: benHandle() },
    });
    expect(blocked.status).toBe(201);
    const mine = await write(a, ana, conversationOnA, "I blocked you.");
    expect(mine.status).toBe(403);
    expect(mine.body.error.code).toBe("blocked");
    const before = (await textsIn(a, ana, conversationOnA)).length;
    const [onB] = await conversationsOf(b, ben);
    const { refused } = await writeUntilRefused(b, ben, onB?.id ?? "", [a, b]);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      "You cannot message this person: one of you has blocked the other.",
    );
    const startedAgain = await b.request("POST", "/api/v1/conversations", {
      token: ben.token,
      body: { to: [anaHandle()], body: "A new conversation, then." },
      headers: { "accept-language": "en" },
    });
    expect(startedAgain.status).toBe(403);
    await settle();
    expect(await textsIn(a, ana, conversationOnA)).toHaveLength(before);
    expect(await conversationsOf(a, ana)).toHaveLength(1);
  });
});
