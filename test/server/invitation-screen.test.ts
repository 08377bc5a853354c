import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invitations } from "../../db/schema/invitations.ts";
import { type Person, startTestInstance, type TestInstance } from "../support/instance.ts";
import { mainText } from "../support/page-text.ts";

const errorsIn = (locale: string) =>
  JSON.parse(readFileSync(`locales/${locale}/errors.json`, "utf8")) as Record<string, string>;

/** The page an invitation e-mail's link opens, as the server renders it (no JavaScript). */
describe("the invitation screen", () => {
  let praxis: TestInstance;
  let owner: Person;

  beforeAll(async () => {
    praxis = await startTestInstance({ REGISTRATION_MODE: "open" });
    owner = await praxis.signUp("amina", { displayName: "Amina Diallo" });
    const created = await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "evaluators", name: "Evaluation circle", privacy: "private" },
    });
    expect(created.status).toBe(201);
  });
  afterAll(() => praxis.close());

  /** Invites `email` and answers the invitation's id and the token its mailed link carries. */
  const invite = async (email: string) => {
    const sent = await praxis.request("POST", "/api/v1/communities/evaluators/invitations", {
      token: owner.token,
      body: { email },
    });
    expect(sent.status).toBe(201);
    const link = (await praxis.mails()).filter((mail) => mail.to === email).at(-1)?.link ?? "";
    expect(link).toMatch(/^http:\/\/praxis\.test\/invitations\/[^/\s]+$/);
    return { id: sent.body.id as string, token: link.split("/invitations/")[1] ?? "" };
  };
  const page = async (token: string, locale = "en") => {
    const answer = await praxis.request("GET", `/invitations/${token}`, {
      headers: { "accept-language": locale },
    });
    const html = String(answer.body);
    return { status: answer.status, html, text: mainText(html) };
  };

  it("names the community and who invited, and offers to sign in or register", async () => {
    const { token } = await invite("guest_valid@example.org");
    const { status, html, text } = await page(token);
    expect(status).toBe(200);
    expect(text).toContain("Evaluation circle");
    expect(text).toContain("Amina Diallo");
    expect(html).toContain(`href="/signin?next=/invitations/${token}"`);
    const preview = await praxis.request("GET", `/api/v1/invitations/${token}`);
    expect(preview.body.invitedBy).toMatchObject({ displayName: "Amina Diallo" });
  });

  it("says in the reader's language that an expired link has expired", async () => {
    const { id, token } = await invite("guest_late@example.org");
    await praxis.deps.db
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(invitations.id, id));
    const { status, text } = await page(token, "fr");
    expect(status).toBe(410);
    expect(text).toContain(errorsIn("fr").invitation_expired);
    expect(text).not.toContain("Evaluation circle");
  });

  it("says that a link already used has been used", async () => {
    const { token } = await invite("guest_once@example.org");
    const guest = await praxis.signUp("guest_once");
    const accepted = await praxis.request("POST", `/api/v1/invitations/${token}/accept`, {
      token: guest.token,
    });
    expect(accepted.status).toBe(200);
    const { status, text } = await page(token);
    expect(status).toBe(409);
    expect(text).toContain(errorsIn("en").invitation_used);
  });

  it("says that a made-up link is not valid", async () => {
    const { status, html, text } = await page("not-a-real-token", "ar");
    expect(status).toBe(404);
    expect(text).toContain(errorsIn("ar").invitation_not_found);
    expect(html).toContain('dir="rtl"');
  });
});
