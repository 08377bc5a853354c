import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forgetExpiredAccountLinks } from "../../server/services/account-links.ts";
import { type Person, signUpWith, testPassword } from "../support/client.ts";
import { freshDatabase } from "../support/database.ts";
import { clientAt } from "../support/from-address.ts";
import { type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";
import { type SmtpCatcher, startSmtpCatcher } from "../support/smtp-catcher.ts";

const newPassword = "quiet harbour lanterns at dusk";

/**
 * Accounts people can recover and close, on a real server process that sends its mail to a
 * real SMTP server. Mailed links are opened as a browser without JavaScript would: a GET,
 * then a form POST. Time passes for a link by moving its end in the database.
 */
describe("account recovery", () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let smtp: SmtpCatcher;
  let praxis: Peer;
  let admin: Person;
  const otherNetwork = clientAt("127.0.5.9");

  const signIn = (login: string, password: string) =>
    praxis.request("POST", "/api/v1/sessions", { body: { login, password } });
  const me = (token: string) => praxis.request("GET", "/api/v1/me", { token });
  const askReset = (email: string) =>
    praxis.request("POST", "/api/v1/password-resets", { body: { email } });
  const linkIn = (mail: ParsedMail, page: string) => {
    const link = new RegExp(`${praxis.origin}/${page}/\\S+`).exec(mail.text ?? "")?.[0];
    if (!link) throw new Error(`no ${page} link in ${mail.text}`);
    return link;
  };
  const openPage = async (link: string, form?: Record<string, string>) => {
    const response = await fetch(link, {
      method: form ? "POST" : "GET",
      body: form ? new URLSearchParams(form) : undefined,
    });
    return { status: response.status, html: await response.text() };
  };

  beforeAll(async () => {
    database = await freshDatabase();
    smtp = await startSmtpCatcher("127.0.5.1");
    praxis = await startPeer("127.0.5.2", {
      DATABASE_URL: database.url,
      SMTP_URL: smtp.url,
      MAIL_FROM: "Praxis <hello@praxis.test>",
    });
    admin = await praxis.signUp("steward");
  }, 120_000);

  afterAll(async () => {
    await killLaunched();
    await Promise.all([smtp?.close(), otherNetwork.close()]);
    await database?.close();
  });

  it("mails a single-use link whose page sets a new password without JavaScript and signs every device out", async () => {
    const owner = await praxis.signUp("wanjiru");
    const otherDevice = (await signIn("wanjiru", testPassword)).body.token;

    const asked = await askReset("Wanjiru@Example.org");
    expect(asked.status).toBe(202);
    expect(asked.body).toEqual({ accepted: true });
    const mail = await smtp.nextTo("wanjiru@example.org");
    expect(mail.subject).toContain("new password");
    const link = linkIn(mail, "reset-password");

    const page = await openPage(link);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<form method="post">');
    expect(page.html).toContain('name="password"');
    // Opening the page changes nothing: the old password still works.
    expect((await signIn("wanjiru", testPassword)).status).toBe(200);

    const weak = await openPage(link, { password: "password12" });
    expect(weak.status).toBe(400);
    expect(weak.html).toContain("too easy to guess");

    const done = await openPage(link, { password: newPassword });
    expect(done.status).toBe(200);
    expect(done.html).toContain("every device was signed out");
    expect((await signIn("wanjiru", testPassword)).status).toBe(401);
    expect((await signIn("wanjiru", newPassword)).status).toBe(200);
    expect((await me(owner.token)).status).toBe(401);
    expect((await me(otherDevice)).status).toBe(401);

    const again = await openPage(link, { password: "another fine passphrase 7" });
    expect(again.status).toBe(410);
    expect(again.html).toContain("already used");
    expect((await signIn("wanjiru", newPassword)).status).toBe(200);
  });

  it("answers an unknown address as it answers a known one, and mails no one", async () => {
    await praxis.signUp("amara");
    const known = await askReset("amara@example.org");
    await smtp.nextTo("amara@example.org");
    const mailsBefore = smtp.caught.length;
    const unknown = await askReset("nobody-here@example.org");
    expect(unknown.status).toBe(known.status);
    expect(unknown.body).toEqual(known.body);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(smtp.caught.length).toBe(mailsBefore);
  });

  it("refuses an expired link, saying so, and leaves the password as it was", async () => {
    await praxis.signUp("tendai");
    await askReset("tendai@example.org");
    const link = linkIn(await smtp.nextTo("tendai@example.org"), "reset-password");
    await database.sql`
      update account_links set expires_at = now() - interval '1 second'
      where account_id = (select id from accounts where username = 'tendai')`;

    const page = await openPage(link);
    expect(page.status).toBe(410);
    expect(page.html).toContain("This link has expired");
    expect(page.html).toContain('href="/forgot-password"');
    expect((await openPage(link, { password: newPassword })).status).toBe(410);
    expect((await signIn("tendai", testPassword)).status).toBe(200);
    expect((await openPage(`${praxis.origin}/reset-password/forged`)).status).toBe(404);
  });

  it("forgets a link a day after it expires, and keeps the links still in use", async () => {
    await Promise.all([praxis.signUp("lindiwe"), praxis.signUp("joao")]);
    await Promise.all([askReset("lindiwe@example.org"), askReset("joao@example.org")]);
    await Promise.all([smtp.nextTo("lindiwe@example.org"), smtp.nextTo("joao@example.org")]);
    const linksOf = async (username: string) => {
      const [row] = await database.sql<{ count: number }[]>`
        select count(*)::int as count from account_links
        where account_id = (select id from accounts where username = ${username})`;
      return row?.count;
    };
    await database.sql`
      update account_links set expires_at = now() - interval '25 hours'
      where account_id = (select id from accounts where username = 'lindiwe')`;

    await forgetExpiredAccountLinks(database.db);
    expect(await linksOf("lindiwe")).toBe(0);
    expect(await linksOf("joao")).toBe(1);
  });

  it("limits reset requests from one client, with 429 and Retry-After", async () => {
    const request = (email: string) =>
      otherNetwork.send(
        new Request(`${praxis.origin}/api/v1/password-resets`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email }),
        }),
      );
    for (let n = 0; n < 10; n++) {
      expect((await request(`someone-${n}@example.org`)).status).toBe(202);
    }
    const refused = await request("someone-else@example.org");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await refused.json()).error.code).toBe("too_many_password_resets");
  });

  it("changes a password only with the current one, keeping this session and ending the others", async () => {
    const owner = await praxis.signUp("farida");
    const otherDevice = (await signIn("farida", testPassword)).body.token;
    const change = (current: string, password: string) =>
      praxis.request("PUT", "/api/v1/me/password", {
        token: owner.token,
        body: { current, password },
      });

    const wrong = await change("not my password", newPassword);
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe("wrong_password");
    expect(wrong.body.error.message).toBe("Your current password is not right.");
    expect((await change(testPassword, "password12")).body.error.code).toBe("weak_password");
    expect((await me(otherDevice)).status).toBe(200);

    expect((await change(testPassword, newPassword)).status).toBe(204);
    expect((await me(owner.token)).status).toBe(200);
    expect((await me(otherDevice)).status).toBe(401);
    expect((await signIn("farida", testPassword)).status).toBe(401);
    expect((await signIn("farida", newPassword)).status).toBe(200);
  });

  it("moves an account to a new address only once the link mailed there is confirmed", async () => {
    const owner = await praxis.signUp("kofi");
    const ask = (email: string, password = testPassword) =>
      praxis.request("POST", "/api/v1/me/email", { token: owner.token, body: { email, password } });

    expect((await ask("kofi@new.example.org", "not my password")).status).toBe(403);
    expect((await ask("steward@example.org")).body.error.code).toBe("email_taken");
    const asked = await ask("kofi@new.example.org");
    expect(asked.status).toBe(202);
    const link = linkIn(await smtp.nextTo("kofi@new.example.org"), "confirm-email");
    expect(smtp.countTo("kofi@example.org")).toBe(0);
    const addresses = () => praxis.request("GET", "/api/v1/me/email", { token: owner.token });
    expect((await addresses()).body).toEqual({
      email: "kofi@example.org",
      pending: "kofi@new.example.org",
    });

    const question = await openPage(link);
    expect(question.status).toBe(200);
    expect(question.html).toContain("kofi@new.example.org");
    expect((await me(owner.token)).body.email).toBe("kofi@example.org");

    const confirmed = await openPage(link, {});
    expect(confirmed.status).toBe(200);
    expect((await me(owner.token)).body.email).toBe("kofi@new.example.org");
    const notice = await smtp.nextTo("kofi@example.org");
    expect(notice.text).toContain("kofi@new.example.org");
    expect((await signIn("kofi@new.example.org", testPassword)).status).toBe(200);
    expect((await openPage(link, {})).status).toBe(410);
    expect((await addresses()).body).toEqual({ email: "kofi@new.example.org", pending: null });
  });

  it("refuses, at confirmation, an address someone took after the change was asked", async () => {
    const owner = await praxis.signUp("nadia");
    await praxis.request("POST", "/api/v1/me/email", {
      token: owner.token,
      body: { email: "shared@example.org", password: testPassword },
    });
    const link = linkIn(await smtp.nextTo("shared@example.org"), "confirm-email");
    await signUpWith(praxis.request, "quicker", { email: "shared@example.org" });

    const refused = await openPage(link, {});
    expect(refused.status).toBe(409);
    expect(refused.html).toContain("An account with this e-mail address already exists.");
    expect((await me(owner.token)).body.email).toBe("nadia@example.org");
  });

  /** An open community of the administrator's, with a thread by `author` and their reply. */
  async function writingBy(author: Person, slug: string) {
    await praxis.request("POST", "/api/v1/communities", {
      token: admin.token,
      body: { slug, name: slug, summary: "", privacy: "open" },
    });
    await praxis.request("POST", `/api/v1/communities/${slug}/join`, { token: author.token });
    const post = await praxis.request("POST", `/api/v1/communities/${slug}/discussions`, {
      token: author.token,
      body: { title: "Field notes", content: "What we learnt in the **field**." },
    });
    const comment = await praxis.request("POST", `/api/v1/posts/${post.body.id}/comments`, {
      token: author.token,
      body: { content: "And one more thing." },
    });
    return { postId: post.body.id as string, commentId: comment.body.id as string };
  }
  const deleteMe = (person: Person, password: string, content: string) =>
    praxis.request("DELETE", "/api/v1/me", { token: person.token, body: { password, content } });
  const readPost = (id: string) => praxis.request("GET", `/api/v1/posts/${id}`);
  const readComments = (id: string) => praxis.request("GET", `/api/v1/posts/${id}/comments`);

  it("deletes an account and keeps its writing under a deleted person's name, its name still taken", async () => {
    const leaving = await praxis.signUp("imani", { profession: "Midwife" });
    const { postId } = await writingBy(leaving, "field-notes");

    expect((await deleteMe(leaving, "not my password", "anonymise")).status).toBe(403);
    expect((await deleteMe(leaving, testPassword, "anonymise")).status).toBe(204);

    const post = await readPost(postId);
    expect(post.body.deleted).toBe(false);
    expect(post.body.source).toContain("field");
    expect(post.body.author.displayName).toBe("Deleted person");
    expect((await readComments(postId)).body.items[0].source).toBe("And one more thing.");
    expect((await me(leaving.token)).status).toBe(401);
    expect((await signIn("imani", testPassword)).status).toBe(401);
    expect((await signIn("imani@example.org", testPassword)).status).toBe(401);
    // A deleted account has no password hash; no typed password may stand in for one.
    expect((await signIn("imani", "not a real password, only a timing shield")).status).toBe(401);
    const impostor = await praxis.request("POST", "/api/v1/accounts", {
      body: { username: "Imani", email: "imani2@example.org", password: testPassword },
    });
    expect(impostor.body.error.code).toBe("name_taken");
    const members = await praxis.request("GET", "/api/v1/communities/field-notes/members", {
      token: admin.token,
    });
    expect(members.body.items.map((m: any) => m.account.username)).not.toContain("imani");
    const stored = await database.sql`
      select email, password_hash, profession from accounts where username = 'imani'`;
    expect(stored[0]).toEqual({ email: null, password_hash: null, profession: "" });
    // Its address is free again, for a new account.
    const fresh = await praxis.request("POST", "/api/v1/accounts", {
      body: { username: "imani_again", email: "imani@example.org", password: testPassword },
    });
    expect(fresh.status).toBe(201);
  });

  it("deletes an account with its posts and comments when the person asks, leaving tombstones", async () => {
    const leaving = await praxis.signUp("baraka");
    const { postId, commentId } = await writingBy(leaving, "baraka-notes");

    expect((await deleteMe(leaving, testPassword, "delete")).status).toBe(204);

    const post = await readPost(postId);
    expect(post.body.deleted).toBe(true);
    expect(post.body.source).toBe("");
    const [comment] = (await readComments(postId)).body.items;
    expect(comment.id).toBe(commentId);
    expect(comment.deleted).toBe(true);
    expect(comment.source).toBe("");
  });

  it("refuses to delete the last owner of a community until they hand it over", async () => {
    const founder = await praxis.signUp("zawadi");
    const heir = await praxis.signUp("jabari");
    await praxis.request("POST", "/api/v1/communities", {
      token: founder.token,
      body: { slug: "zawadi-circle", name: "Zawadi's circle", summary: "", privacy: "open" },
    });
    await praxis.request("POST", "/api/v1/communities/zawadi-circle/join", { token: heir.token });

    const refused = await deleteMe(founder, testPassword, "anonymise");
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe("last_owner");
    expect((await me(founder.token)).status).toBe(200);

    const members = await praxis.request("GET", "/api/v1/communities/zawadi-circle/members", {
      token: founder.token,
    });
    const heirship = members.body.items.find((m: any) => m.account.username === "jabari");
    await praxis.request("PATCH", `/api/v1/communities/zawadi-circle/members/${heirship.id}`, {
      token: founder.token,
      body: { role: "owner" },
    });
    expect((await deleteMe(founder, testPassword, "anonymise")).status).toBe(204);
  });
});
