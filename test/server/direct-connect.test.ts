import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestInstance, type TestInstance } from "../support/instance.ts";
import { type SmtpCatcher, startSmtpCatcher } from "../support/smtp-catcher.ts";

describe("direct connect", () => {
  let smtp: SmtpCatcher;
  let praxis: TestInstance;
  let owner: Person;
  let asker: Person;
  let expert: Person;
  let bystander: Person;
  let questionId: string;

  const noticesOf = async (person: Person, kind: string) =>
    (
      await praxis.request("GET", "/api/v1/notifications", { token: person.token })
    ).body.items.filter((notice: { kind: string }) => notice.kind === kind);

  beforeAll(async () => {
    smtp = await startSmtpCatcher("127.0.24.2");
    praxis = await startTestInstance({ SMTP_URL: smtp.url });
    owner = await praxis.signUp("facilitator", { locale: "fr" });
    asker = await praxis.signUp("asker", { locale: "pt" });
    expert = await praxis.signUp("expert", { locale: "ar" });
    bystander = await praxis.signUp("bystander");
    await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "health", name: "Health", privacy: "open" },
    });
    for (const person of [asker, expert, bystander]) {
      await praxis.request("POST", "/api/v1/communities/health/join", { token: person.token });
    }
  });
  afterAll(async () => {
    await praxis?.close();
    await smtp?.close();
  });

  it("refuses an empty question with 400", async () => {
    const refused = await praxis.request("POST", "/api/v1/communities/health/questions", {
      token: asker.token,
      body: { body: "   " },
    });
    expect(refused.status).toBe(400);
  });

  it("takes a member's question and tells the facilitators in the app and by e-mail", async () => {
    const asked = await praxis.request("POST", "/api/v1/communities/health/questions", {
      token: asker.token,
      body: { body: "How do we screen for malnutrition?" },
    });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ state: "open", viewer: { may: { assign: false } } });
    questionId = asked.body.id;
    expect(await noticesOf(owner, "question_asked")).toHaveLength(1);
    const mail = await smtp.nextTo("facilitator@example.org");
    expect(mail.subject).toBe("Une nouvelle question dans « Health »");
    expect(mail.text).toContain("How do we screen for malnutrition?");
  });

  it("hides the question from a member who takes no part in it", async () => {
    const list = await praxis.request("GET", "/api/v1/communities/health/questions", {
      token: bystander.token,
    });
    expect(list.body.items).toEqual([]);
    for (const [path, body] of [
      [`/api/v1/questions/${questionId}/answer`, { body: "Guess" }],
      [`/api/v1/questions/${questionId}/assign`, { account: "bystander" }],
    ] as const) {
      const refused = await praxis.request("POST", path, { token: bystander.token, body });
      expect(refused.status).toBe(404);
    }
    const read = await praxis.request("GET", `/api/v1/questions/${questionId}`, {
      token: bystander.token,
    });
    expect(read.status).toBe(404);
  });

  it("lets a facilitator hand it to a member only, who hears of it", async () => {
    const stranger = await praxis.request("POST", `/api/v1/questions/${questionId}/assign`, {
      token: owner.token,
      body: { account: "nobody_here" },
    });
    expect(stranger.status).toBe(422);
    const bad = await praxis.request("POST", `/api/v1/questions/${questionId}/assign`, {
      token: owner.token,
      body: {},
    });
    expect(bad.status).toBe(400);
    const assigned = await praxis.request("POST", `/api/v1/questions/${questionId}/assign`, {
      token: owner.token,
      body: { account: "expert" },
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ state: "assigned", assignee: { username: "expert" } });
    expect(await noticesOf(expert, "question_assigned")).toHaveLength(1);
    const mail = await smtp.nextTo("expert@example.org");
    expect(mail.subject).toBe("سؤال موجّه إليك في «Health»");
    const theirs = await praxis.request(
      "GET",
      "/api/v1/communities/health/questions?state=assigned",
      {
        token: expert.token,
      },
    );
    expect(theirs.body.items.map((item: { id: string }) => item.id)).toEqual([questionId]);
  });

  it("takes the assignee's answer once and tells the asker", async () => {
    const byAsker = await praxis.request("POST", `/api/v1/questions/${questionId}/answer`, {
      token: asker.token,
      body: { body: "I answer myself" },
    });
    expect(byAsker.status).toBe(403);
    const answered = await praxis.request("POST", `/api/v1/questions/${questionId}/answer`, {
      token: expert.token,
      body: { body: "Measure the mid-upper arm circumference." },
    });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ state: "answered" });
    const again = await praxis.request("POST", `/api/v1/questions/${questionId}/answer`, {
      token: expert.token,
      body: { body: "Twice" },
    });
    expect(again.status).toBe(409);
    expect(await noticesOf(asker, "question_answered")).toHaveLength(1);
    const mail = await smtp.nextTo("asker@example.org");
    expect(mail.subject).toBe("A sua pergunta em «Health» foi respondida");
    expect(mail.text).toContain("Measure the mid-upper arm circumference.");
    const facilitatorView = await praxis.request(
      "GET",
      "/api/v1/communities/health/questions?state=answered",
      { token: owner.token },
    );
    expect(facilitatorView.body.items).toHaveLength(1);
  });
});
