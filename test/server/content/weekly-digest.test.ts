import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendDailyDigests, sendWeeklyDigests } from "../../../server/services/digest.ts";
import { type Person, startTestInstance, type TestInstance } from "../../support/instance.ts";
import { type SmtpCatcher, startSmtpCatcher } from "../../support/smtp-catcher.ts";

const hourMs = 3600_000;
const dayMs = 24 * hourMs;

/** The first 07:30 UTC after `from` (DIGEST_HOUR=7), on a Monday if asked (WEEKLY_DIGEST_DAY). */
function nextMorning(from: Date, monday = false): Date {
  const day = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  const daysOn = monday ? (8 - new Date(day).getUTCDay()) % 7 : 0;
  const morning = new Date(day + daysOn * dayMs + 7.5 * hourMs);
  return morning > from ? morning : new Date(morning.getTime() + (monday ? 7 : 1) * dayMs);
}

describe("the weekly digest", () => {
  let smtp: SmtpCatcher;
  let praxis: TestInstance;
  let owner: Person;
  let weekly: Person;
  let daily: Person;
  let liker: Person;
  const weeklyAddress = "weekly_reader@example.org";
  const dailyAddress = "daily_reader@example.org";

  beforeAll(async () => {
    smtp = await startSmtpCatcher("127.0.8.1");
    praxis = await startTestInstance({
      SMTP_URL: smtp.url,
      DIGEST_HOUR: "7",
      WEEKLY_DIGEST_DAY: "monday",
    });
    owner = await praxis.signUp("owner_person");
    weekly = await praxis.signUp("weekly_reader", { locale: "pt" });
    daily = await praxis.signUp("daily_reader");
    liker = await praxis.signUp("liker");
    await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "commons", name: "Commons", privacy: "public" },
    });
    await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "inner", name: "Inner circle", privacy: "semi_private" },
    });
    for (const person of [weekly, daily, liker]) {
      await praxis.request("POST", "/api/v1/communities/commons/join", { token: person.token });
    }
    // Waiting for a decision: the weekly reader may not read the inner circle yet.
    await praxis.request("POST", "/api/v1/communities/inner/join", { token: weekly.token });
  });
  afterAll(async () => {
    await praxis?.close();
    await smtp?.close();
  });

  const post = async (community: string, kind: string, title: string) => {
    const created = await praxis.request("POST", `/api/v1/communities/${community}/${kind}`, {
      token: owner.token,
      body: { title, content: `About ${title}.` },
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const comment = async (postId: string, times: number) => {
    for (let i = 0; i < times; i++) {
      const made = await praxis.request("POST", `/api/v1/posts/${postId}/comments`, {
        token: owner.token,
        body: { content: `Reply ${i}` },
      });
      expect(made.status).toBe(201);
    }
  };

  it("accepts weekly as a person's choice of e-mail", async () => {
    for (const [person, frequency] of [
      [weekly, "weekly"],
      [daily, "daily"],
    ] as const) {
      const changed = await praxis.request("PATCH", "/api/v1/me", {
        token: person.token,
        body: { emailNotifications: frequency },
      });
      expect(changed.status).toBe(200);
    }
    const me = await praxis.request("GET", "/api/v1/me", { token: weekly.token });
    expect(me.body.emailNotifications).toBe("weekly");
  });

  it("sends Monday's mail in the reader's language: the five most active discussions they may read", async () => {
    await post("commons", "announcements", "Call for case studies");
    // Created out of their order of activity, so that only activity can order them.
    const quiet = await post("commons", "discussions", "Sixth: one reply");
    const fifth = await post("commons", "discussions", "Fifth: a reply and a like");
    const first = await post("commons", "discussions", "First: six replies");
    const third = await post("commons", "discussions", "Third: four replies");
    const second = await post("commons", "discussions", "Second: five replies");
    const fourth = await post("commons", "discussions", "Fourth: three replies");
    await post("commons", "discussions", "Silent thread");
    const hidden = await post("inner", "discussions", "Inner: the busiest of all");
    await comment(first, 6);
    await comment(second, 5);
    await comment(third, 4);
    await comment(fourth, 3);
    await comment(fifth, 1);
    await comment(quiet, 1);
    await comment(hidden, 9);
    const liked = await praxis.request("POST", `/api/v1/posts/${fifth}/like`, {
      token: liker.token,
    });
    expect(liked.status).toBeLessThan(300);

    const monday = nextMorning(new Date(), true);
    // Two workers at once, on the very first run: one of them sends.
    const sent = await Promise.all([
      sendWeeklyDigests(praxis.deps, monday),
      sendWeeklyDigests(praxis.deps, monday),
    ]);
    expect(sent.sort()).toEqual([0, 1]);
    expect(await sendWeeklyDigests(praxis.deps, new Date(monday.getTime() + hourMs))).toBe(0);
    const mail = await smtp.nextTo(weeklyAddress);
    expect(mail.subject).toBe("A sua semana nas suas comunidades em praxis.test");
    const text = mail.text ?? "";
    // The weekly mail is the top five alone: an announcement with no replies is not among them.
    expect(text).not.toContain("Commons: Call for case studies");
    const ranked = ["First", "Second", "Third", "Fourth", "Fifth"].map((title) =>
      text.indexOf(`Commons: ${title}:`),
    );
    expect(ranked.every((at) => at > text.indexOf("Os 5 destaques da semana"))).toBe(true);
    expect([...ranked].sort((a, b) => a - b)).toEqual(ranked);
    expect(text).not.toContain("Sixth");
    expect(text).not.toContain("Silent thread");
    expect(text).not.toContain("Inner");
    expect(text).toContain(`http://praxis.test/posts/${first}`);
    expect(text).toContain("http://praxis.test/unsubscribe/");
    expect(mail.headerLines.map((line) => line.key)).toContain("list-unsubscribe");
    expect(smtp.countTo(dailyAddress)).toBe(0);
  });

  it("leaves the daily digest as it was: announcements only, to those who chose it", async () => {
    const morning = nextMorning(new Date());
    expect(await sendDailyDigests(praxis.deps, morning)).toBe(1);
    const mail = await smtp.nextTo(dailyAddress);
    expect(mail.subject).toBe("1 new announcements in your communities");
    expect(mail.text).toContain("Commons: Call for case studies");
    expect(mail.text).not.toContain("First: six replies");
    expect(smtp.countTo(weeklyAddress)).toBe(1);
  });

  it("lists the next week's activity only, in one mail however many workers run it", async () => {
    const nextWeek = new Date(nextMorning(new Date(), true).getTime() + 7 * dayMs);
    const thread = await post("commons", "discussions", "Next week's thread");
    await comment(thread, 2);
    // Its activity belongs to the week before the next digest.
    await praxis.deps.db.execute(
      `update comments set created_at = '${new Date(nextWeek.getTime() - dayMs).toISOString()}' where post_id = '${thread}'`,
    );
    const sent = await Promise.all([
      sendWeeklyDigests(praxis.deps, nextWeek),
      sendWeeklyDigests(praxis.deps, nextWeek),
    ]);
    expect(sent.sort()).toEqual([0, 1]);
    const mail = await smtp.nextTo(weeklyAddress, 1);
    expect(mail.text).toContain("Next week's thread");
    expect(mail.text).not.toContain("First: six replies");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(smtp.countTo(weeklyAddress)).toBe(2);
  });
});
