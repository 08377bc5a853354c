import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestInstance, type TestInstance } from "../support/instance.ts";
import { type SmtpCatcher, startSmtpCatcher } from "../support/smtp-catcher.ts";

interface ConversationItem {
  id: string;
  unread: number;
  participants: { username: string }[];
  last: { content: string } | null;
}

/**
 * People here write to each other in conversations only they can read; a block between two
 * people stops messages either way, and each new message reaches its recipient in the app and,
 * as they chose, by e-mail.
 */
describe("direct messages between people here", () => {
  let smtp: SmtpCatcher;
  let praxis: TestInstance;
  let amina: Person;
  let bruno: Person;
  let chidi: Person;
  let dalia: Person;

  const start = (by: Person, to: string[], body: string) =>
    praxis.request("POST", "/api/v1/conversations", { token: by.token, body: { to, body } });
  const answer = (by: Person, id: string, body: string) =>
    praxis.request("POST", `/api/v1/conversations/${id}/messages`, {
      token: by.token,
      body: { body },
    });
  const conversationsOf = async (person: Person) =>
    (await praxis.request("GET", "/api/v1/conversations", { token: person.token })).body
      .items as ConversationItem[];
  const messagesIn = (person: Person, id: string) =>
    praxis.request("GET", `/api/v1/conversations/${id}/messages`, { token: person.token });
  const messageCount = async () =>
    Number(
      (await praxis.deps.db.execute<{ n: number }>("select count(*)::int as n from messages"))[0]
        ?.n,
    );
  const mailbox = (person: Person) => `${person.username}@example.org`;

  beforeAll(async () => {
    smtp = await startSmtpCatcher("127.0.22.1");
    praxis = await startTestInstance({ SMTP_URL: smtp.url });
    amina = await praxis.signUp("amina");
    bruno = await praxis.signUp("bruno", { locale: "fr" });
    chidi = await praxis.signUp("chidi");
    dalia = await praxis.signUp("dalia");
  });
  afterAll(async () => {
    await praxis?.close();
    await smtp?.close();
  });

  it("keeps a conversation between its participants, with unread counts", async () => {
    const started = await start(
      amina,
      ["bruno"],
      "Hello **Bruno**, could we talk about the pilot?",
    );
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    expect(started.body.participants.map((p: { username: string }) => p.username).sort()).toEqual([
      "amina",
      "bruno",
    ]);

    const [brunosView] = await conversationsOf(bruno);
    expect(brunosView?.id).toBe(id);
    expect(brunosView?.unread).toBe(1);
    expect(brunosView?.last?.content).toContain("<strong>Bruno</strong>");
    expect((await conversationsOf(amina))[0]?.unread).toBe(0);

    const answered = await answer(bruno, id, "Oui, volontiers.");
    expect(answered.status).toBe(201);
    const read = await praxis.request("POST", `/api/v1/conversations/${id}/read`, {
      token: bruno.token,
    });
    expect(read.status).toBe(204);
    expect((await conversationsOf(bruno))[0]?.unread).toBe(0);
    expect((await conversationsOf(amina))[0]?.unread).toBe(1);

    const thread = await messagesIn(amina, id);
    expect(thread.status).toBe(200);
    expect(thread.body.items.map((m: { source: string }) => m.source)).toEqual([
      "Oui, volontiers.",
      "Hello **Bruno**, could we talk about the pilot?",
    ]);
  });

  it("answers a third person as if the conversation did not exist", async () => {
    const started = await start(amina, ["bruno"], "Just between us.");
    const id = started.body.id as string;
    const read = await messagesIn(chidi, id);
    expect(read.status).toBe(404);
    expect(read.body.error.code).toBe("conversation_not_found");
    expect((await answer(chidi, id, "Let me in")).status).toBe(404);
    expect(
      (await praxis.request("GET", `/api/v1/conversations/${id}`, { token: chidi.token })).status,
    ).toBe(404);
    expect(await conversationsOf(chidi)).toEqual([]);
  });

  it("tells the recipient in the app and by e-mail in their language", async () => {
    const before = smtp.countTo(mailbox(bruno));
    const started = await start(dalia, ["bruno"], "Une question sur les ateliers.");
    const mail = await smtp.nextTo(mailbox(bruno), before);
    expect(mail.subject).toBe("dalia vous a envoyé un message");
    expect(mail.text).toContain("Une question sur les ateliers.");
    expect(mail.text).toContain(`/messages/${started.body.id}`);
    const notices = (
      await praxis.request("GET", "/api/v1/notifications", { token: bruno.token })
    ).body.items.filter((notice: { kind: string }) => notice.kind === "direct_message");
    expect(notices[0]?.target).toBe(`/messages/${started.body.id}`);
  });

  it("sends no mail to a recipient who asked for digests only", async () => {
    await praxis.deps.db.execute(
      "update accounts set email_notifications = 'daily' where username = 'chidi'",
    );
    const before = smtp.countTo(mailbox(chidi));
    const started = await start(dalia, ["chidi"], "Digest people still see it in the app.");
    expect(started.status).toBe(201);
    // A mail to another recipient of the same kind of message arrives, so this one would have too.
    const other = smtp.countTo(mailbox(amina));
    await start(dalia, ["amina"], "And you by e-mail.");
    await smtp.nextTo(mailbox(amina), other);
    expect(smtp.countTo(mailbox(chidi))).toBe(before);
  });

  it("refuses messages across a block, either way, and stores nothing", async () => {
    const conversation = await start(chidi, ["dalia"], "Before the block.");
    expect(conversation.status).toBe(201);
    const blocked = await praxis.request("POST", "/api/v1/blocks", {
      token: dalia.token,
      body: { handle: "chidi" },
    });
    expect(blocked.status).toBe(201);
    const count = await messageCount();

    const fromBlocked = await start(chidi, ["dalia"], "Please answer me.");
    expect(fromBlocked.status).toBe(403);
    expect(fromBlocked.body.error.code).toBe("blocked");
    expect(fromBlocked.body.error.message).toContain("blocked");
    const inOldConversation = await answer(chidi, conversation.body.id, "Still there?");
    expect(inOldConversation.status).toBe(403);
    const fromBlocker = await start(dalia, ["chidi", "amina"], "Hi both.");
    expect(fromBlocker.status).toBe(403);
    await praxis.request("POST", "/api/v1/blocks", {
      token: bruno.token,
      body: { handle: "chidi" },
    });
    const inFrench = await start(bruno, ["chidi"], "Coucou");
    expect(inFrench.status).toBe(403);
    expect(inFrench.body.error.message).toContain("bloqué");
    expect(await messageCount()).toBe(count);
    await praxis.request("DELETE", "/api/v1/blocks/chidi", { token: bruno.token });

    const list = await praxis.request("GET", "/api/v1/blocks", { token: dalia.token });
    expect(
      list.body.items.map((b: { account: { username: string } }) => b.account.username),
    ).toEqual(["chidi"]);
    const unblocked = await praxis.request("DELETE", "/api/v1/blocks/chidi", {
      token: dalia.token,
    });
    expect(unblocked.status).toBe(204);
    expect((await start(chidi, ["dalia"], "Thank you.")).status).toBe(201);
  });

  it("stops the news of a blocked person's replies reaching the blocker", async () => {
    await praxis.request("POST", "/api/v1/communities", {
      token: amina.token,
      body: { slug: "pilot", name: "Pilot", summary: "", privacy: "open" },
    });
    await praxis.request("POST", "/api/v1/communities/pilot/join", { token: chidi.token });
    const post = await praxis.request("POST", "/api/v1/communities/pilot/discussions", {
      token: amina.token,
      body: { title: "Planning", content: "Ideas welcome." },
    });
    await praxis.request("POST", "/api/v1/blocks", {
      token: amina.token,
      body: { handle: "chidi" },
    });
    const reply = await praxis.request("POST", `/api/v1/posts/${post.body.id}/comments`, {
      token: chidi.token,
      body: { content: "Here is one." },
    });
    expect(reply.status).toBe(201);
    const notices = (
      await praxis.request("GET", "/api/v1/notifications", { token: amina.token })
    ).body.items.filter((notice: { kind: string }) => notice.kind === "reply");
    expect(notices).toEqual([]);
  });

  it("answers bad input with a clear 4xx", async () => {
    const noRecipient = await start(amina, [], "To nobody");
    expect(noRecipient.status).toBe(400);
    const noBody = await start(amina, ["bruno"], "   ");
    expect(noBody.status).toBe(400);
    const self = await start(amina, ["amina"], "To me");
    expect(self.status).toBe(422);
    expect(self.body.error.code).toBe("recipient_invalid");
    const community = await start(amina, ["pilot"], "To a community");
    expect(community.status).toBe(422);
    const unknown = await start(amina, ["nobody_here"], "Hello?");
    expect(unknown.status).toBe(404);
    const crowd = await start(
      amina,
      Array.from({ length: 20 }, (_, i) => `person${i}`),
      "Too many",
    );
    expect(crowd.status).toBe(400);
    const notAnId = await messagesIn(amina, "not-a-uuid");
    expect(notAnId.status).toBe(400);
    const signedOut = await praxis.request("GET", "/api/v1/conversations");
    expect(signedOut.status).toBe(401);
  });
});
