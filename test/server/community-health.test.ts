import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  flagDormantCommunities,
  remindOfWaitingRequests,
} from "../../server/services/community-health.ts";
import { type Person, startTestInstance, type TestInstance } from "../support/instance.ts";
import { type SmtpCatcher, startSmtpCatcher } from "../support/smtp-catcher.ts";

const dayMs = 24 * 3600_000;
const daysFrom = (from: Date, days: number) => new Date(from.getTime() + days * dayMs);

describe("the community-health loop", () => {
  let smtp: SmtpCatcher;
  let praxis: TestInstance;
  let administrator: Person;
  let owner: Person;
  let moderator: Person;
  let applicant: Person;
  /** When the tests start: the quiet community's last post and its request are set before it. */
  const start = new Date();

  const mailsTo = (person: Person) => smtp.countTo(`${person.username}@example.org`);
  const notices = async (person: Person, kind: string) =>
    (
      await praxis.request("GET", "/api/v1/notifications", { token: person.token })
    ).body.items.filter((notice: { kind: string }) => notice.kind === kind);

  beforeAll(async () => {
    smtp = await startSmtpCatcher("127.0.8.2");
    praxis = await startTestInstance({
      SMTP_URL: smtp.url,
      INACTIVITY_DAYS: "30",
      PENDING_REMINDER_DAYS: "7",
    });
    administrator = await praxis.signUp("instance_admin");
    owner = await praxis.signUp("quiet_owner", { locale: "fr" });
    moderator = await praxis.signUp("quiet_moderator");
    applicant = await praxis.signUp("applicant");
    for (const slug of ["quiet", "lively"]) {
      await praxis.request("POST", "/api/v1/communities", {
        token: owner.token,
        body: {
          slug,
          name: slug === "quiet" ? "Quiet corner" : "Lively square",
          privacy: "semi_private",
        },
      });
    }
    await praxis.request("POST", "/api/v1/communities/quiet/join", { token: moderator.token });
    const [request] = (
      await praxis.request("GET", "/api/v1/communities/quiet/members?state=pending", {
        token: owner.token,
      })
    ).body.items;
    await praxis.request("POST", `/api/v1/communities/quiet/members/${request.id}/approve`, {
      token: owner.token,
      body: {},
    });
    const promoted = await praxis.request(
      "PATCH",
      `/api/v1/communities/quiet/members/${request.id}`,
      {
        token: owner.token,
        body: { role: "moderator" },
      },
    );
    expect(promoted.status).toBe(200);
    await praxis.request("POST", "/api/v1/communities/quiet/join", {
      token: applicant.token,
      body: { message: "May I join?" },
    });
    // The quiet corner last had news 31 days ago, and its request has waited 8 days.
    await praxis.deps.db.execute(
      `update communities set last_activity_at = '${daysFrom(start, -31).toISOString()}' where slug = 'quiet'`,
    );
    await praxis.deps.db.execute(
      `update memberships set created_at = '${daysFrom(start, -8).toISOString()}' where state = 'pending'`,
    );
  });
  afterAll(async () => {
    await praxis?.close();
    await smtp?.close();
  });

  it("flags a community idle for INACTIVITY_DAYS once, telling its owners and moderators in the app and by e-mail", async () => {
    const mailsBefore = mailsTo(moderator);
    const flagged = await Promise.all([
      flagDormantCommunities(praxis.deps, start),
      flagDormantCommunities(praxis.deps, start),
    ]);
    expect(flagged.sort()).toEqual([0, 1]);
    expect(await flagDormantCommunities(praxis.deps, daysFrom(start, 1))).toBe(0);

    for (const keeper of [owner, moderator]) {
      const told = await notices(keeper, "community_dormant");
      expect(told).toHaveLength(1);
      expect(told[0]).toMatchObject({
        data: { community: "quiet", name: "Quiet corner", days: "30" },
      });
    }
    expect(await notices(applicant, "community_dormant")).toEqual([]);
    const mail = await smtp.nextTo("quiet_owner@example.org");
    expect(mail.subject).toBe("« Quiet corner » n’a rien de nouveau depuis 30 jours");
    expect(mail.text).toContain("http://praxis.test/c/quiet");
    await smtp.nextTo("quiet_moderator@example.org", mailsBefore);
    expect(mailsTo(owner)).toBe(1);
    expect(mailsTo(moderator)).toBe(mailsBefore + 1);
  });

  it("shows the instance administrator the dormant communities with the age of their oldest request", async () => {
    const listed = await praxis.request("GET", "/api/v1/admin/communities/dormant", {
      token: administrator.token,
    });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        ref: "quiet",
        name: "Quiet corner",
        pendingRequests: 1,
        oldestRequestDays: 8,
      }),
    ]);
    const refused = await praxis.request("GET", "/api/v1/admin/communities/dormant", {
      token: owner.token,
    });
    expect(refused.status).toBe(403);
  });

  it("reminds the community's admins of a request waiting 8 days once, and again only after 7 more days", async () => {
    expect(await remindOfWaitingRequests(praxis.deps, start)).toBe(1);
    expect(await remindOfWaitingRequests(praxis.deps, daysFrom(start, 3))).toBe(0);
    const reminded = await notices(owner, "join_requests_waiting");
    expect(reminded).toHaveLength(1);
    expect(reminded[0]).toMatchObject({ data: { community: "quiet", count: "1", days: "7" } });
    const mail = await smtp.nextTo("quiet_owner@example.org", 1);
    expect(mail.subject).toBe("Des demandes d’adhésion attendent dans « Quiet corner »");
    expect(mail.text).toContain("http://praxis.test/c/quiet/requests");
    // Moderators do not decide on requests: the reminder is for those who do.
    expect(await notices(moderator, "join_requests_waiting")).toEqual([]);

    const again = await Promise.all([
      remindOfWaitingRequests(praxis.deps, daysFrom(start, 7)),
      remindOfWaitingRequests(praxis.deps, daysFrom(start, 7)),
    ]);
    expect(again.sort()).toEqual([0, 1]);
    expect(await notices(owner, "join_requests_waiting")).toHaveLength(2);
    await smtp.nextTo("quiet_owner@example.org", 2);
    expect(mailsTo(owner)).toBe(3);
  });

  it("tells of a new dormancy once the community woke up and fell quiet again", async () => {
    const posted = await praxis.request("POST", "/api/v1/communities/quiet/discussions", {
      token: owner.token,
      body: { title: "Still here?", content: "Anyone?" },
    });
    expect(posted.status).toBe(201);
    expect(await flagDormantCommunities(praxis.deps, daysFrom(start, 29))).toBe(0);
    // The lively square, quiet since it was made at the start, falls dormant the same day.
    expect(await flagDormantCommunities(praxis.deps, daysFrom(start, 31))).toBe(2);
    expect(await flagDormantCommunities(praxis.deps, daysFrom(start, 32))).toBe(0);
    const told = await notices(owner, "community_dormant");
    expect(
      told.map((notice: { data: { community: string } }) => notice.data.community).sort(),
    ).toEqual(["lively", "quiet", "quiet"]);
  });
});
