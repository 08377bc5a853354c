import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../support/instance.ts";

describe("accounts and sessions", () => {
  let praxis: TestInstance;
  beforeAll(async () => {
    praxis = await startTestInstance();
  });
  afterAll(() => praxis.close());

  it("makes the first account the instance administrator and later ones ordinary", async () => {
    const first = await praxis.signUp("first_admin");
    const second = await praxis.signUp("second");
    const me = await praxis.request("GET", "/api/v1/me", { token: first.token });
    expect(me.body).toMatchObject({
      username: "first_admin",
      isAdmin: true,
      handle: "@first_admin@praxis.test",
    });
    const other = await praxis.request("GET", "/api/v1/me", { token: second.token });
    expect(other.body.isAdmin).toBe(false);
  });

  it("refuses a username that differs from an existing one only by case", async () => {
    await praxis.signUp("Amina");
    const clash = await praxis.request("POST", "/api/v1/accounts", {
      body: { username: "AMINA", email: "other@example.org", password: "a long enough password" },
    });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe("name_taken");
  });

  it("refuses a second account with the same e-mail address", async () => {
    const clash = await praxis.request("POST", "/api/v1/accounts", {
      body: {
        username: "amina_two",
        email: "AMINA@example.org",
        password: "a long enough password",
      },
    });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe("email_taken");
  });

  it("explains every invalid field and creates nothing", async () => {
    const bad = await praxis.request("POST", "/api/v1/accounts", {
      body: { username: "no spaces", email: "not-an-email", password: "short" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_input");
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      "email",
      "password",
      "username",
    ]);
    const login = await praxis.request("POST", "/api/v1/sessions", {
      body: { login: "no spaces", password: "short" },
    });
    expect(login.status).toBe(401);
  });

  it("signs in by username or e-mail, with a Bearer token and an HttpOnly cookie", async () => {
    await praxis.signUp("kofi", {
      profession: "Economist",
      country: "Ghana",
      organisation: "Ministry",
    });
    const byEmail = await praxis.request("POST", "/api/v1/sessions", {
      body: { login: "KOFI@example.org", password: "a long enough password" },
    });
    expect(byEmail.status).toBe(200);
    expect(byEmail.headers.get("set-cookie")).toMatch(/praxis_session=.+HttpOnly/i);
    const cookie = byEmail.headers.get("set-cookie")?.split(";")[0] ?? "";
    const me = await praxis.request("GET", "/api/v1/me", { headers: { cookie } });
    expect(me.body).toMatchObject({
      username: "kofi",
      profession: "Economist",
      country: "Ghana",
      organisation: "Ministry",
    });
  });

  it("rejects a wrong password without saying which part was wrong", async () => {
    const wrong = await praxis.request("POST", "/api/v1/sessions", {
      body: { login: "kofi", password: "wrong password!" },
    });
    const unknown = await praxis.request("POST", "/api/v1/sessions", {
      body: { login: "nobody", password: "wrong password!" },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  it("revokes the token on sign-out", async () => {
    const person = await praxis.signUp("leaving_soon");
    expect((await praxis.request("GET", "/api/v1/me", { token: person.token })).status).toBe(200);
    expect(
      (await praxis.request("DELETE", "/api/v1/sessions", { token: person.token })).status,
    ).toBe(204);
    const after = await praxis.request("GET", "/api/v1/me", { token: person.token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe("not_signed_in");
  });

  it("refuses a forged token", async () => {
    const person = await praxis.signUp("forger");
    const [header, payload] = person.token.split(".");
    const forged = `${header}.${payload}.${"A".repeat(43)}`;
    expect((await praxis.request("GET", "/api/v1/me", { token: forged })).status).toBe(401);
  });

  it("lets people change their profile and language", async () => {
    const person = await praxis.signUp("profile_editor");
    const changed = await praxis.request("PATCH", "/api/v1/me", {
      token: person.token,
      body: { displayName: "Profile Editor", locale: "fr", country: "Sénégal" },
    });
    expect(changed.body).toMatchObject({
      displayName: "Profile Editor",
      locale: "fr",
      country: "Sénégal",
    });
    const unknownLocale = await praxis.request("PATCH", "/api/v1/me", {
      token: person.token,
      body: { locale: "xx" },
    });
    expect(unknownLocale.status).toBe(400);
  });

  it("refuses cookie-authenticated writes sent from another site", async () => {
    await praxis.signUp("csrf_target");
    const session = await praxis.request("POST", "/api/v1/sessions", {
      body: { login: "csrf_target", password: "a long enough password" },
    });
    const cookie = session.headers.get("set-cookie")?.split(";")[0] ?? "";
    const forged = await praxis.request("PATCH", "/api/v1/me", {
      headers: { cookie, origin: "https://evil.example" },
      body: { displayName: "pwned" },
    });
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe("cross_site_request");
    const sameSite = await praxis.request("PATCH", "/api/v1/me", {
      headers: { cookie, origin: "http://praxis.test" },
      body: { displayName: "Still me" },
    });
    expect(sameSite.body.displayName).toBe("Still me");
  });
});

describe("registration modes", () => {
  it("holds new accounts for the administrator's approval in approval mode", async () => {
    const praxis = await startTestInstance({ REGISTRATION_MODE: "approval" });
    try {
      const admin = await praxis.signUp("root_admin");
      const pending = await praxis.signUp("newcomer");
      expect(pending.token).toBeUndefined();
      const refused = await praxis.request("POST", "/api/v1/sessions", {
        body: { login: "newcomer", password: "a long enough password" },
      });
      expect(refused.body.error.code).toBe("account_pending");
      const queue = await praxis.request("GET", "/api/v1/admin/accounts?state=pending", {
        token: admin.token,
      });
      expect(queue.body.items.map((a: { username: string }) => a.username)).toEqual(["newcomer"]);
      const approved = await praxis.request(
        "POST",
        `/api/v1/admin/accounts/${pending.id}/approve`,
        {
          token: admin.token,
        },
      );
      expect(approved.body.state).toBe("active");
      const again = await praxis.request("POST", `/api/v1/admin/accounts/${pending.id}/approve`, {
        token: admin.token,
      });
      expect(again.status).toBe(409);
      const signedIn = await praxis.request("POST", "/api/v1/sessions", {
        body: { login: "newcomer", password: "a long enough password" },
      });
      expect(signedIn.status).toBe(200);
      expect((await praxis.mails()).some((mail) => mail.to === "newcomer@example.org")).toBe(true);
    } finally {
      await praxis.close();
    }
  });

  it("only registers people holding an invitation in invite mode, each link once", async () => {
    const praxis = await startTestInstance({ REGISTRATION_MODE: "invite" });
    try {
      const admin = await praxis.signUp("root_admin");
      const uninvited = await praxis.request("POST", "/api/v1/accounts", {
        body: {
          username: "gatecrasher",
          email: "g@example.org",
          password: "a long enough password",
        },
      });
      expect(uninvited.status).toBe(403);
      expect(uninvited.body.error.code).toBe("registration_closed");
      const sent = await praxis.request("POST", "/api/v1/admin/invitations", {
        token: admin.token,
        body: { email: "guest@example.org" },
      });
      expect(sent.status).toBe(201);
      const [mail] = await praxis.mails();
      const token = mail?.link?.split("/invitations/")[1];
      expect(token).toBeTruthy();
      const registered = await praxis.request("POST", "/api/v1/accounts", {
        body: {
          username: "guest",
          email: "guest@example.org",
          password: "a long enough password",
          invitation: token,
        },
      });
      expect(registered.status).toBe(201);
      const reused = await praxis.request("POST", "/api/v1/accounts", {
        body: {
          username: "guest2",
          email: "guest2@example.org",
          password: "a long enough password",
          invitation: token,
        },
      });
      expect(reused.status).toBe(409);
      expect(reused.body.error.code).toBe("invitation_used");
    } finally {
      await praxis.close();
    }
  });
});
