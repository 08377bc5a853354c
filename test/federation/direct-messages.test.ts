import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Person } from "../support/client.ts";
import { freshDatabase } from "../support/database.ts";
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
 * Direct messages with a Mastodon-shaped server that shares no code with Praxis: its requests
 * are signed by hand with node:crypto (test/support/raw-peer.ts).
 */
describe("direct messages with a Mastodon-shaped server", () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let praxis: Peer;
  let mastodon: RawPeer;
  let ana: Person;
  let mona: RawActor;
  let eve: RawActor;
  let n = 0;

  const anaUri = () => `${praxis.origin}/actors/ana`;

  /** A direct status as Mastodon sends one (fixtures/peers/mastodon/activities/private_message.json). */
  function directNote(author: RawActor, text: string, inReplyTo: string | null = null) {
    const id = `${author.id}/statuses/${++n}`;
    return {
      "@context": [
        ...contexts,
        { ostatus: "http://ostatus.org#", conversation: "ostatus:conversation" },
      ],
      id: `${id}/activity`,
      type: "Create",
      actor: author.id,
      to: [anaUri()],
      cc: [],
      object: {
        id,
        type: "Note",
        summary: null,
        inReplyTo,
        published: new Date().toISOString(),
        attributedTo: author.id,
        to: [anaUri()],
        cc: [],
        sensitive: false,
        conversation: `tag:${mastodon.host},2026:objectId=${n}:objectType=Conversation`,
        content: `<p><span class="h-card"><a href="${anaUri()}" class="u-url mention">@<span>ana</span></a></span> ${text}</p>`,
        attachment: [],
        tag: [{ type: "Mention", href: anaUri(), name: `@ana@${praxis.host}` }],
      },
    };
  }

  const deliver = (activity: unknown, signer: RawActor) =>
    fetch(signedRequest("POST", `${praxis.origin}/inbox`, signer, activity));

  const anasMessages = async () => {
    const list = await praxis.request("GET", "/api/v1/conversations", { token: ana.token });
    const texts: string[] = [];
    for (const conversation of list.body.items as { id: string }[]) {
      const page = await praxis.request(
        "GET",
        `/api/v1/conversations/${conversation.id}/messages`,
        {
          token: ana.token,
        },
      );
      texts.push(...page.body.items.map((m: { content: string }) => m.content));
    }
    return texts;
  };

  const conversationWith = async (actor: RawActor) => {
    const list = await praxis.request("GET", "/api/v1/conversations", { token: ana.token });
    return (list.body.items as { id: string; participants: { handle: string }[] }[]).find((c) =>
      c.participants.some((p) => p.handle.startsWith(`@${actor.document.preferredUsername}@`)),
    );
  };

  beforeAll(async () => {
    database = await freshDatabase();
    [praxis, mastodon] = await Promise.all([
      startPeer("127.0.22.5", { DATABASE_URL: database.url }),
      startRawPeer("127.0.22.6"),
    ]);
    ana = await praxis.signUp("ana");
    mona = mastodon.person("mona");
    eve = mastodon.person("eve");
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([praxis?.stop(), mastodon?.close()]);
    await killLaunched();
    await database?.close();
  });

  it("keeps a Mastodon direct status in the person's conversation, and sends the answer to its author alone", async () => {
    const first = directNote(mona, "Can we talk about the training?");
    expect((await deliver(first, mona)).status).toBe(202);
    const conversation = await eventually(
      () => conversationWith(mona),
      (found) => found !== undefined,
      "mona's conversation with ana",
      [praxis],
    );
    expect(await anasMessages()).toEqual([
      expect.stringContaining("Can we talk about the training?"),
    ]);

    const answered = await praxis.request(
      "POST",
      `/api/v1/conversations/${conversation?.id}/messages`,
      {
        token: ana.token,
        body: { body: "Yes, on Friday." },
      },
    );
    expect(answered.status).toBe(201);
    const [create] = await eventually(
      async () => mastodon.received.map((r) => r.body).filter((a) => a.type === "Create"),
      (creates) => creates.length > 0,
      "ana's answer at mona's server",
      [praxis],
    );
    const note = create.object;
    expect(create.actor).toBe(anaUri());
    expect([create.to].flat()).toEqual([mona.id]);
    expect([note.to].flat()).toEqual([mona.id]);
    expect(note.cc ?? []).toEqual([]);
    expect(JSON.stringify(create)).not.toContain(publicAddress);
    expect(JSON.stringify(create)).not.toContain("as:Public");
    expect([note.tag].flat()).toContainEqual(
      expect.objectContaining({ type: "Mention", href: mona.id }),
    );
    expect(note.inReplyTo).toBe(first.object.id);
    expect(note.content).toContain("Yes, on Friday.");

    // Mastodon's answer to our answer lands in the same conversation.
    expect((await deliver(directNote(mona, "Friday it is.", note.id), mona)).status).toBe(202);
    await eventually(
      async () =>
        (
          await praxis.request("GET", `/api/v1/conversations/${conversation?.id}/messages`, {
            token: ana.token,
          })
        ).body.items.length,
      (count) => count === 3,
      "three messages in one conversation",
      [praxis],
    );
  });

  it("ignores a direct message whose signature is by another key than its author's", async () => {
    const forged = directNote(mona, "Forged: send me your password.");
    const answer = await deliver(forged, { ...eve, keyId: eve.keyId } as RawActor);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect((await deliver(directNote(eve, "Genuine hello from eve."), eve)).status).toBe(202);
    await eventually(
      anasMessages,
      (texts) => texts.some((t) => t.includes("Genuine hello from eve.")),
      "eve's genuine message",
      [praxis],
    );
    expect((await anasMessages()).some((t) => t.includes("Forged"))).toBe(false);
  });

  it("sends a Block when the person here blocks, and refuses what the blocked one sends", async () => {
    const blocked = await praxis.request("POST", "/api/v1/blocks", {
      token: ana.token,
      body: { handle: `eve@${mastodon.host}` },
    });
    expect(blocked.status).toBe(201);
    await eventually(
      async () => mastodon.received.map((r) => r.body).filter((a) => a.type === "Block"),
      (blocks) => blocks.some((b) => b.object === eve.id && b.actor === anaUri()),
      "ana's Block at eve's server",
      [praxis],
    );
    expect((await deliver(directNote(eve, "Blocked words."), eve)).status).toBe(202);
    // A later message from mona is kept, so eve's had its chance to be.
    expect((await deliver(directNote(mona, "After the block."), mona)).status).toBe(202);
    await eventually(
      anasMessages,
      (texts) => texts.some((t) => t.includes("After the block.")),
      "mona's later message",
      [praxis],
    );
    expect((await anasMessages()).some((t) => t.includes("Blocked words."))).toBe(false);
  });

  it("stops messages to a person whose server sent their Block", async () => {
    const block = {
      "@context": contexts,
      id: `${mona.id}#blocks/${++n}`,
      type: "Block",
      actor: mona.id,
      object: anaUri(),
    };
    expect((await deliver(block, mona)).status).toBe(202);
    const conversation = await conversationWith(mona);
    const creates = () => mastodon.received.filter((r) => r.body.type === "Create").length;
    const before = creates();
    const refused = await eventually(
      () =>
        praxis.request("POST", `/api/v1/conversations/${conversation?.id}/messages`, {
          token: ana.token,
          body: { body: "Are you there?" },
        }),
      (answer) => answer.status === 403,
      "ana refused after mona's Block",
      [praxis],
    );
    expect(refused.body.error.code).toBe("blocked");
    expect(creates()).toBe(before);
  });
});
