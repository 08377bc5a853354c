import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accounts } from "../../db/schema/accounts.ts";
import { communities } from "../../db/schema/communities.ts";
import { memberships } from "../../db/schema/memberships.ts";
import { type Person, startTestInstance, type TestInstance } from "../support/instance.ts";
import { type SmtpCatcher, startSmtpCatcher } from "../support/smtp-catcher.ts";

const pdf = new TextEncoder().encode(
  "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n",
);
const harm = { category: "harassment", reason: "It names a child and their school." };

/**
 * Files, events and people can be reported too; moderators act on the person behind a report
 * (removal, ban, suspension, a domain block), each kept in the audit log with its reason; the
 * people who decide are e-mailed in their language, and the reporter hears the outcome only.
 */
describe("report actions", () => {
  let praxis: TestInstance;
  let smtp: SmtpCatcher;
  let instanceAdmin: Person;
  let owner: Person;
  let moderator: Person;
  let reporter: Person;
  let author: Person;
  let outsider: Person;

  const report = (target: string, id: string, by: Person, body: unknown = harm) =>
    praxis.request("POST", `/api/v1/${target}/${id}/reports`, { token: by.token, body });
  const resolve = (id: string, by: Person, body: unknown) =>
    praxis.request("POST", `/api/v1/reports/${id}/resolve`, { token: by.token, body });
  const join = (slug: string, person: Person) =>
    praxis.request("POST", `/api/v1/communities/${slug}/join`, { token: person.token });
  const membersOf = async (slug: string, state = "active") =>
    (
      await praxis.request("GET", `/api/v1/communities/${slug}/members?state=${state}`, {
        token: owner.token,
      })
    ).body.items as { id: string; account: { id: string } }[];
  const audit = async (slug: string) =>
    (await praxis.request("GET", `/api/v1/communities/${slug}/audit`, { token: owner.token })).body
      .items as { action: string; target: string | null; details: Record<string, unknown> }[];
  const decidedNotices = async (person: Person) =>
    (
      (await praxis.request("GET", "/api/v1/notifications", { token: person.token })).body
        .items as { kind: string; data: Record<string, string>; actor: unknown }[]
    ).filter((notice) => notice.kind === "report_decided");
  const newCommunity = async (slug: string, privacy: string) => {
    const created = await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug, name: slug, summary: "", privacy },
    });
    expect(created.status).toBe(201);
  };
  const reportPerson = (person: { id: string }, community: string, by = reporter) =>
    report("accounts", person.id, by, { ...harm, community });

  beforeAll(async () => {
    smtp = await startSmtpCatcher("127.0.23.1");
    praxis = await startTestInstance({ SMTP_URL: smtp.url, MAIL_FROM: "praxis@praxis.test" });
    instanceAdmin = await praxis.signUp("ngozi");
    owner = await praxis.signUp("olu", { locale: "fr" });
    moderator = await praxis.signUp("kwame");
    reporter = await praxis.signUp("lina");
    author = await praxis.signUp("tariq");
    outsider = await praxis.signUp("oscar");
    await newCommunity("safeguarding", "public");
    await newCommunity("elsewhere", "private");
    for (const person of [moderator, reporter, author]) {
      expect((await join("safeguarding", person)).body.state).toBe("active");
    }
    const membership = (await membersOf("safeguarding")).find(
      (item) => item.account.id === moderator.id,
    );
    const promoted = await praxis.request(
      "PATCH",
      `/api/v1/communities/safeguarding/members/${membership?.id}`,
      { token: owner.token, body: { role: "moderator" } },
    );
    expect(promoted.status).toBe(200);
    const quiet = await praxis.request("PATCH", "/api/v1/me", {
      token: moderator.token,
      body: { emailNotifications: "none" },
    });
    expect(quiet.status).toBe(200);
  });
  afterAll(async () => {
    await praxis?.close();
    await smtp?.close();
  });

  it("takes reports of a file, an event and a person, each as what it is", async () => {
    const form = new FormData();
    form.set("file", new Blob([pdf]), "Field guide.pdf");
    form.set("title", "Field guide");
    const shared = await praxis.request("POST", "/api/v1/communities/safeguarding/files", {
      token: author.token,
      body: form,
    });
    expect(shared.status).toBe(201);
    const event = await praxis.request("POST", "/api/v1/communities/safeguarding/events", {
      token: author.token,
      body: {
        title: "Home visits",
        content: "Meet the families.",
        startsAt: "2027-03-10T14:00",
        endsAt: "2027-03-10T16:00",
        timezone: "Africa/Dakar",
      },
    });
    expect(event.status).toBe(201);

    const ofFile = await report("files", shared.body.id, reporter);
    expect(ofFile.status).toBe(201);
    expect(ofFile.body.target).toMatchObject({ kind: "file", id: shared.body.id });
    const ofEvent = await report("events", event.body.id, reporter);
    expect(ofEvent.status).toBe(201);
    expect(ofEvent.body.target).toMatchObject({ kind: "event", title: "Home visits" });
    const ofPerson = await reportPerson(author, "safeguarding");
    expect(ofPerson.status).toBe(201);
    expect(ofPerson.body.target).toMatchObject({ kind: "person", id: author.id, postId: null });
    expect(ofPerson.body.target.author.username).toBe("tariq");

    // A file's address reports files only: an event there is unknown.
    expect((await report("files", event.body.id, reporter)).status).toBe(404);
    expect((await reportPerson(author, "safeguarding")).status).toBe(409);
  });

  it("answers 404 for what the reporter cannot see and 400 without a reason", async () => {
    const hidden = await praxis.request("POST", "/api/v1/communities/elsewhere/discussions", {
      token: owner.token,
      body: { title: "Members only", content: "Not for outsiders." },
    });
    expect(hidden.status).toBe(201);
    expect((await report("posts", hidden.body.id, outsider)).status).toBe(404);
    expect((await report("events", hidden.body.id, outsider)).status).toBe(404);
    // The owner is a member of "elsewhere", but the outsider cannot read who is: unknown to them.
    const unseen = await reportPerson(owner, "elsewhere", outsider);
    expect(unseen.status).toBe(404);
    expect(unseen.body.error.code).toBe("account_not_found");
    // Someone who is no member of the community is not someone to report there.
    expect((await reportPerson(outsider, "safeguarding")).body.error.code).toBe(
      "account_not_found",
    );
    const noReason = await report("accounts", author.id, reporter, {
      category: "spam",
      reason: "  ",
      community: "safeguarding",
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.code).toBe("invalid_input");
  });

  it("e-mails a new report to the moderators and instance administrators in their language, except who asked for no mail", async () => {
    const before = {
      admin: smtp.countTo("ngozi@example.org"),
      owner: smtp.countTo("olu@example.org"),
    };
    const post = await praxis.request("POST", "/api/v1/communities/safeguarding/discussions", {
      token: author.token,
      body: { title: "School names", content: "A list of pupils." },
    });
    expect((await report("posts", post.body.id, reporter)).status).toBe(201);
    const toOwner = await smtp.nextTo("olu@example.org", before.owner);
    expect(toOwner.subject).toBe("Nouveau signalement dans « safeguarding »");
    expect(toOwner.text).toContain("It names a child and their school.");
    expect(toOwner.text).toContain("http://praxis.test/c/safeguarding/reports");
    expect(toOwner.text).not.toContain("lina");
    const toAdmin = await smtp.nextTo("ngozi@example.org", before.admin);
    expect(toAdmin.subject).toBe("New report in “safeguarding”");
    expect(smtp.countTo("kwame@example.org")).toBe(0);
  });

  it("removes the reported person from the community, by a community admin only, with the reason in the log", async () => {
    const [open] = await openPersonReports();
    if (!open) throw new Error("the person report of the first test is not open");
    const byModerator = await resolve(open.id, moderator, { action: "remove_person" });
    expect(byModerator.status).toBe(403);
    const decided = await resolve(open.id, owner, {
      action: "remove_person",
      note: "Shared pupils' names twice.",
    });
    expect(decided.status).toBe(200);
    expect(decided.body.state).toBe("resolved");
    expect((await membersOf("safeguarding")).map((m) => m.account.id)).not.toContain(author.id);
    expect(await audit("safeguarding")).toContainEqual(
      expect.objectContaining({
        action: "member_removed",
        target: "tariq",
        details: { reason: "Shared pupils' names twice." },
      }),
    );
    // The reporter is told it was acted on, and not by whom.
    const [told] = await decidedNotices(reporter);
    expect(told).toMatchObject({ data: { context: "resolved", community: "safeguarding" } });
    expect(told?.actor).toBeNull();
    expect(JSON.stringify(told)).not.toContain("olu");
  });

  it("bans the person from the community when a community admin bans", async () => {
    expect((await join("safeguarding", author)).body.state).toBe("active");
    const filed = await reportPerson(author, "safeguarding");
    expect(filed.status).toBe(201);
    const banned = await resolve(filed.body.id, owner, { action: "ban_person" });
    expect(banned.status).toBe(200);
    const bans = await membersOf("safeguarding", "banned");
    expect(bans.map((m) => m.account.id)).toContain(author.id);
    expect(await audit("safeguarding")).toContainEqual(
      expect.objectContaining({
        action: "member_banned",
        target: "tariq",
        // Without a note, the report's own reason is the one kept.
        details: { reason: harm.reason },
      }),
    );
  });

  it("suspends the account when the instance administrator bans, and refuses to remove a person", async () => {
    const victim = await praxis.signUp("vlad");
    expect((await join("safeguarding", victim)).status).toBe(200);
    const filed = await reportPerson(victim, "safeguarding");
    expect(filed.status).toBe(201);
    const remove = await resolve(filed.body.id, instanceAdmin, { action: "remove" });
    expect(remove.status).toBe(422);
    expect(remove.body.error.code).toBe("nothing_to_remove");
    const suspended = await resolve(filed.body.id, instanceAdmin, {
      action: "ban_person",
      note: "Grooming messages.",
    });
    expect(suspended.status).toBe(200);
    const signIn = await praxis.request("POST", "/api/v1/sessions", {
      body: { login: "vlad", password: "a long enough password" },
    });
    expect(signIn.status).toBe(403);
    expect(signIn.body.error.code).toBe("account_suspended");
    // Their open session ends with the suspension.
    expect((await praxis.request("GET", "/api/v1/me", { token: victim.token })).status).toBe(401);
    expect(await audit("safeguarding")).toContainEqual(
      expect.objectContaining({
        action: "account_suspended",
        target: "vlad",
        details: { reason: "Grooming messages." },
      }),
    );
  });

  it("blocks the author's server, for the instance administrator only and never for a local author", async () => {
    const [community] = await praxis.deps.db
      .select({ id: communities.id })
      .from(communities)
      .where(eq(communities.slug, "safeguarding"));
    const [remote] = await praxis.deps.db
      .insert(accounts)
      .values({
        username: "spammer",
        domain: "spam.example",
        uri: "https://spam.example/users/spammer",
        inbox: "https://spam.example/users/spammer/inbox",
        displayName: "Spammer",
      } as typeof accounts.$inferInsert)
      .returning();
    if (!community || !remote) throw new Error("setup failed");
    await praxis.deps.db
      .insert(memberships)
      .values({ communityId: community.id, accountId: remote.id, state: "active", role: "member" });
    const filed = await reportPerson(remote, "safeguarding");
    expect(filed.status).toBe(201);
    const byOwner = await resolve(filed.body.id, owner, { action: "block_domain" });
    expect(byOwner.status).toBe(403);
    const blocked = await resolve(filed.body.id, instanceAdmin, {
      action: "block_domain",
      note: "A spam server.",
    });
    expect(blocked.status).toBe(200);
    const blocks = await praxis.request("GET", "/api/v1/admin/domain-blocks", {
      token: instanceAdmin.token,
    });
    expect(blocks.body.items).toContainEqual(
      expect.objectContaining({ domain: "spam.example", reason: "A spam server." }),
    );
    expect(await audit("safeguarding")).toContainEqual(
      expect.objectContaining({
        action: "domain_blocked",
        target: "spammer",
        details: { reason: "A spam server.", domain: "spam.example" },
      }),
    );

    const local = await reportPerson(moderator, "safeguarding");
    const refused = await resolve(local.body.id, instanceAdmin, { action: "block_domain" });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe("author_is_local");
  });

  it("tells the reporter a dismissed report was dismissed", async () => {
    const filed = await reportPerson(owner, "safeguarding");
    expect(filed.status).toBe(201);
    const before = (await decidedNotices(reporter)).length;
    expect((await resolve(filed.body.id, moderator, { action: "dismiss" })).status).toBe(200);
    const notices = await decidedNotices(reporter);
    expect(notices).toHaveLength(before + 1);
    expect(notices[0]?.data.context).toBe("dismissed");
  });

  async function openPersonReports() {
    const answer = await praxis.request(
      "GET",
      "/api/v1/communities/safeguarding/reports?state=open",
      { token: owner.token },
    );
    return (answer.body.items as { id: string; target: { kind: string } }[]).filter(
      (item) => item.target.kind === "person",
    );
  }
});
