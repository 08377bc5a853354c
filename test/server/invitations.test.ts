import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invitations } from "../../db/schema/invitations.ts";
import { signToken } from "../../server/services/tokens.ts";
import { type Person, startTestInstance, type TestInstance } from "../support/instance.ts";

interface MemberItem {
  id: string;
  account: { id: string; username: string };
  role: string;
  state: string;
}

describe("community invitations", () => {
  let praxis: TestInstance;
  let owner: Person;

  beforeAll(async () => {
    // REGISTRATION_MODE is open unless told otherwise; said here because one test relies on it.
    praxis = await startTestInstance({ REGISTRATION_MODE: "open" });
    owner = await praxis.signUp("owner");
  });
  afterAll(() => praxis.close());

  const createCommunity = async (slug: string, privacy = "private") => {
    const created = await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug, name: `Community ${slug}`, privacy },
    });
    expect(created.status).toBe(201);
  };
  const invite = (slug: string, body: { email: string } | { handle: string }, by = owner) =>
    praxis.request("POST", `/api/v1/communities/${slug}/invitations`, { token: by.token, body });
  const join = (slug: string, person: Person) =>
    praxis.request("POST", `/api/v1/communities/${slug}/join`, { token: person.token, body: {} });
  const viewerOf = async (slug: string, person: Person) =>
    (await praxis.request("GET", `/api/v1/communities/${slug}`, { token: person.token })).body
      .viewer;
  const membersIn = async (slug: string, state: string) => {
    const list = await praxis.request(
      "GET",
      `/api/v1/communities/${slug}/members?state=${state}&limit=100`,
      { token: owner.token },
    );
    expect(list.status).toBe(200);
    return list.body.items as MemberItem[];
  };
  /** The token in the last invitation link mailed to `to`. */
  const tokenMailedTo = async (to: string) => {
    const mail = (await praxis.mails()).filter((m) => m.to === to).at(-1);
    expect(mail?.link).toMatch(/^http:\/\/praxis\.test\/invitations\/[^/\s]+$/);
    return mail?.link?.split("/invitations/")[1] ?? "";
  };
  const accept = (token: string, person: Person) =>
    praxis.request("POST", `/api/v1/invitations/${token}/accept`, { token: person.token });

  describe("by e-mail", () => {
    it("mails a link to a private community that shows the community and makes its holder an active member", async () => {
      await createCommunity("mail-private");
      const sent = await invite("mail-private", { email: "mail_guest@example.org" });
      expect(sent.status).toBe(201);
      expect(sent.body).toMatchObject({
        community: "mail-private",
        email: "mail_guest@example.org",
      });
      const mail = (await praxis.mails()).find((m) => m.to === "mail_guest@example.org");
      expect(mail?.subject).toContain("Community mail-private");
      const token = await tokenMailedTo("mail_guest@example.org");
      const preview = await praxis.request("GET", `/api/v1/invitations/${token}`);
      expect(preview.status).toBe(200);
      expect(preview.body).toMatchObject({
        id: sent.body.id,
        community: "mail-private",
        communityName: "Community mail-private",
      });
      const guest = await praxis.signUp("mail_guest");
      expect(await viewerOf("mail-private", guest)).toBeNull();
      const accepted = await accept(token, guest);
      expect(accepted.status).toBe(200);
      expect(accepted.body.community).toBe("mail-private");
      expect(await viewerOf("mail-private", guest)).toEqual({ state: "active", role: "member" });
      const community = await praxis.request("GET", "/api/v1/communities/mail-private", {
        token: guest.token,
      });
      expect(community.body.memberCount).toBe(2);
    });

    it("accepts a link only once", async () => {
      await createCommunity("mail-once");
      await invite("mail-once", { email: "mail_once@example.org" });
      const token = await tokenMailedTo("mail_once@example.org");
      const guest = await praxis.signUp("mail_once");
      expect((await accept(token, guest)).status).toBe(200);
      const again = await accept(token, guest);
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe("invitation_used");
      const other = await praxis.signUp("mail_once_forwarded");
      const forwarded = await accept(token, other);
      expect(forwarded.status).toBe(409);
      expect(forwarded.body.error.code).toBe("invitation_used");
      expect(await viewerOf("mail-once", other)).toBeNull();
    });

    it("refuses an expired link with 410", async () => {
      await createCommunity("mail-expired");
      const sent = await invite("mail-expired", { email: "mail_late@example.org" });
      expect(sent.status).toBe(201);
      // Waiting 14 days is not an option, so the invitation is made to have expired a minute
      // ago: its row's expiresAt moves into the past and a link is signed (with the instance's
      // own secret, as the server does) with that same past expiry, as the real link would be.
      const past = new Date(Date.now() - 60_000);
      await praxis.deps.db
        .update(invitations)
        .set({ expiresAt: past })
        .where(eq(invitations.id, sent.body.id));
      const expired = await signToken(
        praxis.deps.config.secretKey,
        "invitation",
        { sub: sent.body.id },
        past,
      );
      const preview = await praxis.request("GET", `/api/v1/invitations/${expired}`);
      expect(preview.status).toBe(410);
      expect(preview.body.error.code).toBe("invitation_expired");
      const late = await praxis.signUp("mail_late");
      const accepted = await accept(expired, late);
      expect(accepted.status).toBe(410);
      expect(accepted.body.error.code).toBe("invitation_expired");
      // The mailed link (signed with the original, future expiry) dies with its row's expiry too.
      const mailed = await accept(await tokenMailedTo("mail_late@example.org"), late);
      expect(mailed.status).toBe(410);
      expect(mailed.body.error.code).toBe("invitation_expired");
      expect(await viewerOf("mail-expired", late)).toBeNull();
    });

    it("refuses a tampered link with 404", async () => {
      await createCommunity("mail-tampered");
      await invite("mail-tampered", { email: "mail_tamper@example.org" });
      const token = await tokenMailedTo("mail_tamper@example.org");
      const [header, payload, signature = ""] = token.split(".");
      // The signature's first character carries six whole bits, so changing it changes the bytes.
      const forgedSignature = `${signature.startsWith("A") ? "B" : "A"}${signature.slice(1)}`;
      const tampered = `${header}.${payload}.${forgedSignature}`;
      const preview = await praxis.request("GET", `/api/v1/invitations/${tampered}`);
      expect(preview.status).toBe(404);
      expect(preview.body.error.code).toBe("invitation_not_found");
      const guest = await praxis.signUp("mail_tamper");
      const accepted = await accept(tampered, guest);
      expect(accepted.status).toBe(404);
      expect(accepted.body.error.code).toBe("invitation_not_found");
      expect(await viewerOf("mail-tampered", guest)).toBeNull();
    });

    it("refuses to invite by e-mail somebody who is already an active member", async () => {
      await createCommunity("mail-member", "open");
      const member = await praxis.signUp("mail_member");
      expect((await join("mail-member", member)).body.state).toBe("active");
      const refused = await invite("mail-member", { email: "MAIL_MEMBER@example.org" });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe("already_member");
      expect((await praxis.mails()).filter((m) => m.to === "mail_member@example.org")).toEqual([]);
    });
  });

  describe("by handle", () => {
    it("pre-approves a local account named by its full handle", async () => {
      await createCommunity("handle-full");
      const guest = await praxis.signUp("handle_full_guest");
      const invited = await invite("handle-full", { handle: "@handle_full_guest@praxis.test" });
      expect(invited.status).toBe(201);
      expect(invited.body).toMatchObject({
        community: "handle-full",
        handle: "handle_full_guest@praxis.test",
        email: null,
      });
      const waiting = (await membersIn("handle-full", "invited")).find(
        (m) => m.account.id === guest.id,
      );
      expect(waiting).toMatchObject({ state: "invited", role: "member" });
      expect(await viewerOf("handle-full", guest)).toEqual({ state: "invited", role: "member" });
      const joined = await join("handle-full", guest);
      expect(joined.status).toBe(200);
      expect(joined.body.state).toBe("active");
      expect(await viewerOf("handle-full", guest)).toEqual({ state: "active", role: "member" });
    });

    it("pre-approves a local account named by its bare username", async () => {
      await createCommunity("handle-bare");
      const guest = await praxis.signUp("handle_bare_guest");
      const invited = await invite("handle-bare", { handle: "handle_bare_guest" });
      expect(invited.status).toBe(201);
      expect(invited.body.handle).toBe("handle_bare_guest@praxis.test");
      expect((await membersIn("handle-bare", "invited")).map((m) => m.account.username)).toContain(
        "handle_bare_guest",
      );
      const joined = await join("handle-bare", guest);
      expect(joined.status).toBe(200);
      expect(joined.body.state).toBe("active");
    });

    it("refuses an unknown local handle with 404", async () => {
      await createCommunity("handle-unknown");
      for (const handle of ["nobody_here", "@nobody_here@praxis.test"]) {
        const refused = await invite("handle-unknown", { handle });
        expect(refused.status).toBe(404);
        expect(refused.body.error.code).toBe("account_not_found");
      }
      expect(await membersIn("handle-unknown", "invited")).toEqual([]);
    });

    it("refuses to invite somebody who is already an active member", async () => {
      await createCommunity("handle-member", "open");
      const member = await praxis.signUp("handle_member");
      expect((await join("handle-member", member)).body.state).toBe("active");
      const refused = await invite("handle-member", { handle: "@handle_member@praxis.test" });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe("already_member");
      expect(await viewerOf("handle-member", member)).toEqual({ state: "active", role: "member" });
    });

    it("records a remote handle without creating any membership here", async () => {
      await createCommunity("handle-remote");
      const invited = await invite("handle-remote", { handle: "@amina@partner.example" });
      expect(invited.status).toBe(201);
      expect(invited.body).toMatchObject({
        community: "handle-remote",
        handle: "amina@partner.example",
        email: null,
      });
      const [row] = await praxis.deps.db
        .select()
        .from(invitations)
        .where(eq(invitations.id, invited.body.id));
      expect(row?.handle).toBe("amina@partner.example");
      expect(await membersIn("handle-remote", "invited")).toEqual([]);
      expect((await membersIn("handle-remote", "active")).map((m) => m.account.username)).toEqual([
        "owner",
      ]);
    });
  });

  describe("who may invite, and where", () => {
    it("does not let people who are not admins of the community invite", async () => {
      await createCommunity("invite-admins", "open");
      const member = await praxis.signUp("invite_plain_member");
      expect((await join("invite-admins", member)).body.state).toBe("active");
      const moderator = await praxis.signUp("invite_moderator");
      expect((await join("invite-admins", moderator)).body.state).toBe("active");
      const moderatorId =
        (await membersIn("invite-admins", "active")).find((m) => m.account.id === moderator.id)
          ?.id ?? "";
      const promoted = await praxis.request(
        "PATCH",
        `/api/v1/communities/invite-admins/members/${moderatorId}`,
        { token: owner.token, body: { role: "moderator" } },
      );
      expect(promoted.body.role).toBe("moderator");
      const target = await praxis.signUp("invite_target");
      for (const by of [member, moderator]) {
        const byMail = await invite("invite-admins", { email: "someone@example.org" }, by);
        expect(byMail.status).toBe(403);
        expect(byMail.body.error.code).toBe("admin_only");
        const byHandle = await invite("invite-admins", { handle: "invite_target" }, by);
        expect(byHandle.status).toBe(403);
        expect(byHandle.body.error.code).toBe("admin_only");
      }
      expect(await viewerOf("invite-admins", target)).toBeNull();
      expect((await praxis.mails()).filter((m) => m.to === "someone@example.org")).toEqual([]);
    });

    it("refuses invitations to an archived community", async () => {
      await createCommunity("invite-archived");
      const archived = await praxis.request("PATCH", "/api/v1/communities/invite-archived", {
        token: owner.token,
        body: { archived: true },
      });
      expect(archived.body.archived).toBe(true);
      const guest = await praxis.signUp("archived_guest");
      const byMail = await invite("invite-archived", { email: "archived_mail@example.org" });
      expect(byMail.status).toBe(422);
      expect(byMail.body.error.code).toBe("community_archived");
      const byHandle = await invite("invite-archived", { handle: "archived_guest" });
      expect(byHandle.status).toBe(422);
      expect(byHandle.body.error.code).toBe("community_archived");
      expect(await viewerOf("invite-archived", guest)).toBeNull();
      expect((await praxis.mails()).filter((m) => m.to === "archived_mail@example.org")).toEqual(
        [],
      );
    });
  });

  it("makes a person who registers through a community invitation link an active member", async () => {
    await createCommunity("invite-register");
    await invite("invite-register", { email: "newcomer@example.org" });
    const token = await tokenMailedTo("newcomer@example.org");
    const password = "a long enough password";
    const registered = await praxis.request("POST", "/api/v1/accounts", {
      body: { username: "newcomer", email: "newcomer@example.org", password, invitation: token },
    });
    expect(registered.status).toBe(201);
    const session = await praxis.request("POST", "/api/v1/sessions", {
      body: { login: "newcomer", password },
    });
    expect(session.status).toBe(200);
    const community = await praxis.request("GET", "/api/v1/communities/invite-register", {
      token: session.body.token,
    });
    expect(community.status).toBe(200);
    expect(community.body.viewer).toEqual({ state: "active", role: "member" });
    expect((await membersIn("invite-register", "active")).map((m) => m.account.username)).toContain(
      "newcomer",
    );
    const reused = await praxis.request("GET", `/api/v1/invitations/${token}`);
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe("invitation_used");
  });
});
