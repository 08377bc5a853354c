import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendDailyDigests } from "../../../server/services/digest.ts";
import { notifyEventsStartingSoon } from "../../../server/services/reminders.ts";
import { type Person, startTestInstance, type TestInstance } from "../../support/instance.ts";

describe("daily digests and reminders", () => {
  let praxis: TestInstance;
  let owner: Person;
  let daily: Person;
  let each: Person;

  beforeAll(async () => {
    praxis = await startTestInstance({ DIGEST_HOUR: "7" });
    owner = await praxis.signUp("owner_person");
    daily = await praxis.signUp("daily_reader", { locale: "fr" });
    each = await praxis.signUp("each_reader");
    await praxis.request("PATCH", "/api/v1/me", {
      token: daily.token,
      body: { emailNotifications: "daily" },
    });
    await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "bulletin", name: "Bulletin", privacy: "public" },
    });
    for (const person of [daily, each]) {
      await praxis.request("POST", "/api/v1/communities/bulletin/join", { token: person.token });
    }
  });
  afterAll(() => praxis.close());

  const announce = (title: string) =>
    praxis.request("POST", "/api/v1/communities/bulletin/announcements", {
      token: owner.token,
      body: { title, content: "Details inside." },
    });
  const digestsTo = async (address: string) =>
    (await praxis.mails()).filter((mail) => mail.to === address && mail.text.includes("•"));

  it("sends one digest a day to those who chose it, in their language, listing only what is new", async () => {
    await announce("Budget review opens");
    await announce("New toolkit published");
    // The first digest time to come: it covers the day before it.
    const now = new Date();
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 7, 30);
    const digestHour = new Date(today > now.getTime() ? today : today + 24 * 3600_000);
    expect(await sendDailyDigests(praxis.deps, digestHour)).toBe(1);
    expect(await sendDailyDigests(praxis.deps, new Date(digestHour.getTime() + 3600_000))).toBe(0);
    const [digest] = await digestsTo("daily_reader@example.org");
    expect(digest?.subject).toContain("2 nouvelles annonces");
    expect(digest?.text).toContain("Budget review opens");
    expect(digest?.text).toContain("New toolkit published");
    expect(digest?.text).toContain("/unsubscribe/");
    expect(await digestsTo("each_reader@example.org")).toEqual([]);

    await announce("Later news");
    await praxis.deps.db.execute(
      `update posts set created_at = '${new Date(digestHour.getTime() + 7200_000).toISOString()}' where title = 'Later news'`,
    );
    const nextDay = new Date(digestHour.getTime() + 24 * 3600_000);
    expect(await sendDailyDigests(praxis.deps, nextDay)).toBe(1);
    const digests = await digestsTo("daily_reader@example.org");
    expect(digests).toHaveLength(2);
    expect(digests[1]?.text).toContain("Later news");
    expect(digests[1]?.text).not.toContain("Budget review opens");
  });

  it("reminds those going to an event within the hour before it starts, once", async () => {
    const startsAt = new Date(Date.now() + 3 * 3600_000);
    const event = await praxis.request("POST", "/api/v1/communities/bulletin/events", {
      token: owner.token,
      body: {
        title: "Peer exchange",
        content: "Online.",
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3600_000).toISOString(),
        timezone: "Africa/Dakar",
      },
    });
    expect(event.status).toBe(201);
    await praxis.request("POST", `/api/v1/events/${event.body.id}/rsvp`, {
      token: daily.token,
      body: { status: "going" },
    });
    await praxis.request("POST", `/api/v1/events/${event.body.id}/rsvp`, {
      token: each.token,
      body: { status: "not_going" },
    });
    const reminders = async (person: Person) =>
      (
        await praxis.request("GET", "/api/v1/notifications", { token: person.token })
      ).body.items.filter((n: { kind: string }) => n.kind === "event_soon");

    expect(await notifyEventsStartingSoon(praxis.deps, new Date())).toBe(0);
    const soon = new Date(startsAt.getTime() - 30 * 60_000);
    expect(await notifyEventsStartingSoon(praxis.deps, soon)).toBe(1);
    expect(await notifyEventsStartingSoon(praxis.deps, soon)).toBe(0);
    const [reminder] = await reminders(daily);
    expect(reminder).toMatchObject({
      subject: event.body.id,
      data: { title: "Peer exchange", community: "bulletin" },
    });
    expect(await reminders(each)).toEqual([]);
  });
});
