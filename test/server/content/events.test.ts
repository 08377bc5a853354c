import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { posts } from "../../../db/schema/posts.ts";
import { type Person, startTestInstance, type TestInstance } from "../../support/instance.ts";

/** iCalendar folds long lines; unfolded, each property is one line. */
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, "");
const count = (text: string, line: string) =>
  text.split("\r\n").filter((each) => each === line).length;

describe("community calendar", () => {
  let praxis: TestInstance;
  let owner: Person;
  let member: Person;
  let other: Person;
  let outsider: Person;

  beforeAll(async () => {
    praxis = await startTestInstance();
    owner = await praxis.signUp("cal_owner");
    member = await praxis.signUp("cal_member");
    other = await praxis.signUp("cal_other");
    outsider = await praxis.signUp("cal_outsider");
  });
  afterAll(() => praxis.close());

  /** A community with `member` (and `other`) as active members. */
  async function community(slug: string, privacy = "open", hidden = false) {
    const created = await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug, name: `Community ${slug}`, privacy, hidden },
    });
    expect(created.status).toBe(201);
    for (const person of [member, other]) {
      await praxis.request("POST", `/api/v1/communities/${slug}/invitations`, {
        token: owner.token,
        body: { handle: person.username },
      });
      const joined = await praxis.request("POST", `/api/v1/communities/${slug}/join`, {
        token: person.token,
      });
      expect(joined.body.state).toBe("active");
    }
    return slug;
  }

  const publish = (slug: string, token: string, body: Record<string, unknown>) =>
    praxis.request("POST", `/api/v1/communities/${slug}/events`, {
      token,
      body: {
        title: "Shock-responsive social protection clinic",
        content: "Bring your **questions**.",
        timezone: "Africa/Nairobi",
        startsAt: "2027-03-10T14:00",
        endsAt: "2027-03-10T16:00",
        ...body,
      },
    });

  it("keeps a time given with an offset as its UTC instant, with the organiser's zone", async () => {
    const slug = await community("cal-offset");
    const created = await publish(slug, member.token, {
      startsAt: "2026-12-03T14:00:00+03:00",
      endsAt: "2026-12-03T15:30+0300",
      location: "Nairobi, Kenya",
      onlineUrl: "https://meet.example.org/clinic",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      kind: "event",
      community: slug,
      startsAt: "2026-12-03T11:00:00.000Z",
      endsAt: "2026-12-03T12:30:00.000Z",
      timezone: "Africa/Nairobi",
      location: "Nairobi, Kenya",
      onlineUrl: "https://meet.example.org/clinic",
      webinar: false,
      going: 0,
      viewerRsvp: null,
    });
    expect(created.body.content).toContain("<strong>questions</strong>");
    const event = await praxis.request("GET", `/api/v1/events/${created.body.id}`);
    expect(event.body.startsAt).toBe("2026-12-03T11:00:00.000Z");
    const post = await praxis.request("GET", `/api/v1/posts/${created.body.id}`);
    expect(post.body).toMatchObject({ kind: "event", title: created.body.title });
  });

  it("reads a local time without offset in the event's time zone, summer time included", async () => {
    const slug = await community("cal-local");
    const at = async (startsAt: string, timezone: string) => {
      const created = await publish(slug, member.token, {
        startsAt,
        endsAt: `${startsAt.slice(0, 10)}T23:59`,
        timezone,
      });
      expect(created.status).toBe(201);
      return created.body.startsAt;
    };
    expect(await at("2026-12-03T14:00", "Africa/Nairobi")).toBe("2026-12-03T11:00:00.000Z");
    expect(await at("2027-01-15T09:30", "Europe/Berlin")).toBe("2027-01-15T08:30:00.000Z");
    expect(await at("2027-07-15T09:30", "Europe/Berlin")).toBe("2027-07-15T07:30:00.000Z");
    expect(await at("2027-07-15T09:30", "UTC")).toBe("2027-07-15T09:30:00.000Z");
    // 02:30 does not exist in New York on 14 March 2027: it is read as 03:30 daylight time.
    expect(await at("2027-03-14T02:30", "America/New_York")).toBe("2027-03-14T07:30:00.000Z");
  });

  it("refuses an unknown time zone", async () => {
    const slug = await community("cal-zone");
    const refused = await publish(slug, member.token, { timezone: "Mars/Olympus_Mons" });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe("unknown_time_zone");
    expect(refused.body.error.message).toContain("Mars/Olympus_Mons");
  });

  it("refuses an event that does not end after it starts, and writes nothing of it", async () => {
    const slug = await community("cal-order");
    for (const endsAt of ["2027-03-10T13:00", "2027-03-10T14:00"]) {
      const refused = await publish(slug, member.token, { title: "Backwards meeting", endsAt });
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe("event_ends_before_start");
    }
    const written = await praxis.deps.db
      .select()
      .from(posts)
      .where(eq(posts.title, "Backwards meeting"));
    expect(written).toEqual([]);
    const listed = await praxis.request("GET", `/api/v1/communities/${slug}/events`);
    expect(listed.body.items).toEqual([]);
  });

  it("takes only http(s) links", async () => {
    const slug = await community("cal-links");
    for (const body of [
      { onlineUrl: "javascript:alert(1)" },
      { webinar: { recordingUrl: "ftp://files.example.org/recording.mp4" } },
    ]) {
      const refused = await publish(slug, member.token, body);
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe("invalid_input");
    }
  });

  it("lets only the community's active members publish events", async () => {
    const slug = await community("cal-members");
    const stranger = await publish(slug, outsider.token, {});
    expect(stranger.status).toBe(403);
    expect(stranger.body.error.code).toBe("members_only");
    expect((await publish(slug, "", {})).status).toBe(401);
    expect((await publish(slug, member.token, {})).status).toBe(201);
  });

  it("counts an RSVP once per person and lets them change their mind", async () => {
    const slug = await community("cal-rsvp");
    const event = (await publish(slug, owner.token, {})).body;
    const rsvp = (person: Person, status: string) =>
      praxis.request("POST", `/api/v1/events/${event.id}/rsvp`, {
        token: person.token,
        body: { status },
      });
    expect((await rsvp(member, "going")).body).toEqual({ going: 1, viewerRsvp: "going" });
    expect((await rsvp(member, "going")).body).toEqual({ going: 1, viewerRsvp: "going" });
    expect((await rsvp(other, "going")).body).toEqual({ going: 2, viewerRsvp: "going" });
    expect((await rsvp(member, "not_going")).body).toEqual({
      going: 1,
      viewerRsvp: "not_going",
    });
    const seen = await praxis.request("GET", `/api/v1/events/${event.id}`, {
      token: member.token,
    });
    expect(seen.body).toMatchObject({ going: 1, viewerRsvp: "not_going" });
    const listed = await praxis.request("GET", `/api/v1/communities/${slug}/events`, {
      token: other.token,
    });
    expect(listed.body.items[0]).toMatchObject({ id: event.id, going: 1, viewerRsvp: "going" });
    const stranger = await rsvp(outsider, "going");
    expect(stranger.status).toBe(403);
    expect(stranger.body.error.code).toBe("members_only");
    expect((await rsvp(member, "maybe")).status).toBe(400);
  });

  it("adds a webinar's recording and slides afterwards, by its author or a moderator", async () => {
    const slug = await community("cal-webinar");
    const webinar = (await publish(slug, member.token, { webinar: {} })).body;
    expect(webinar).toMatchObject({ webinar: true, recordingUrl: null, slidesUrl: null });
    const question = await praxis.request("POST", `/api/v1/posts/${webinar.id}/comments`, {
      token: other.token,
      body: { content: "Will the slides be shared?" },
    });
    expect(question.status).toBe(201);

    const edit = (person: Person, body: Record<string, unknown>) =>
      praxis.request("PATCH", `/api/v1/events/${webinar.id}`, { token: person.token, body });
    const recorded = await edit(member, {
      webinar: { recordingUrl: "https://video.example.org/clinic" },
    });
    expect(recorded.status).toBe(200);
    expect(recorded.body).toMatchObject({
      webinar: true,
      recordingUrl: "https://video.example.org/clinic",
      slidesUrl: null,
      startsAt: webinar.startsAt,
    });
    const slides = await edit(owner, { webinar: { slidesUrl: "https://example.org/slides.pdf" } });
    expect(slides.status).toBe(200);
    expect(slides.body).toMatchObject({
      recordingUrl: "https://video.example.org/clinic",
      slidesUrl: "https://example.org/slides.pdf",
    });
    const notTheirs = await edit(other, { location: "Somewhere else" });
    expect(notTheirs.status).toBe(403);
    expect(notTheirs.body.error.code).toBe("not_author");
    const backwards = await edit(member, { endsAt: "2027-03-10T12:00" });
    expect(backwards.status).toBe(422);
    expect(backwards.body.error.code).toBe("event_ends_before_start");
    const moved = await edit(member, {
      timezone: "Europe/Berlin",
      startsAt: "2027-03-10T09:00",
      endsAt: "2027-03-10T10:00",
    });
    expect(moved.body).toMatchObject({
      timezone: "Europe/Berlin",
      startsAt: "2027-03-10T08:00:00.000Z",
      endsAt: "2027-03-10T09:00:00.000Z",
    });
    const seen = await praxis.request("GET", `/api/v1/events/${webinar.id}`);
    expect(seen.body).toMatchObject({
      recordingUrl: "https://video.example.org/clinic",
      commentCount: 1,
    });
  });

  it("lists events not yet over, soonest first, a page at a time", async () => {
    const slug = await community("cal-list");
    const make = async (title: string, startsAt: string, endsAt: string) =>
      (await publish(slug, member.token, { title, startsAt, endsAt, timezone: "UTC" })).body.id;
    const march = await make("March", "2027-03-01T10:00", "2027-03-01T11:00");
    const january = await make("January", "2027-01-05T10:00", "2027-01-05T11:00");
    const february = await make("February", "2027-02-01T10:00", "2027-02-01T11:00");
    const januaryToo = await make("January too", "2027-01-05T10:00", "2027-01-05T12:00");
    const past = await make("Past", "2020-01-01T10:00", "2020-01-01T11:00");

    const sameTime = [january, januaryToo].sort();
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const page = await praxis.request("GET", `/api/v1/communities/${slug}/events${query}`);
      expect(page.status).toBe(200);
      pages.push(page.body.items.map((item: { id: string }) => item.id));
      cursor = page.body.next;
    } while (cursor);
    expect(pages).toEqual([sameTime, [february, march]]);

    const withPast = await praxis.request(
      "GET",
      `/api/v1/communities/${slug}/events?from=2019-06-01&until=2027-01-31`,
    );
    expect(withPast.body.items.map((item: { id: string }) => item.id)).toEqual([past, ...sameTime]);
    expect(withPast.body.next).toBeNull();
  });

  it("serves the community's calendar as an iCalendar feed", async () => {
    const slug = await community("cal-feed");
    const berlin = await publish(slug, member.token, {
      title: "Berlin clinic",
      content: "Agenda: *cash plus*",
      timezone: "Europe/Berlin",
      startsAt: "2027-07-15T09:30",
      endsAt: "2027-07-15T11:00",
      location: "GIZ Haus, Berlin",
    });
    const utc = await publish(slug, member.token, {
      title: "Global call",
      timezone: "UTC",
      startsAt: "2027-02-01T13:00Z",
      endsAt: "2027-02-01T14:00Z",
      onlineUrl: "https://meet.example.org/global",
    });
    const feed = await praxis.request("GET", `/api/v1/communities/${slug}/events.ics`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    const ics = unfold(feed.body);
    expect(ics.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(ics.trimEnd().endsWith("END:VCALENDAR")).toBe(true);
    expect(count(ics, "BEGIN:VEVENT")).toBe(2);
    expect(ics).toContain(`UID:${berlin.body.uri}\r\n`);
    expect(ics).toContain(`UID:${utc.body.uri}\r\n`);
    expect(ics).toContain("SUMMARY:Berlin clinic\r\n");
    expect(ics).toContain("SUMMARY:Global call\r\n");
    expect(ics).toContain("DESCRIPTION:Agenda: *cash plus*\r\n");
    expect(ics).toContain("LOCATION:GIZ Haus\\, Berlin\r\n");
    expect(ics).toContain("LOCATION:https://meet.example.org/global\r\n");
    expect(ics).toContain(`URL;VALUE=URI:${berlin.body.uri}\r\n`);
    // The Berlin event keeps its wall-clock time and zone, explained by a VTIMEZONE.
    expect(ics).toContain("DTSTART;TZID=Europe/Berlin:20270715T093000\r\n");
    expect(ics).toContain("DTEND;TZID=Europe/Berlin:20270715T110000\r\n");
    expect(ics).toMatch(/BEGIN:VTIMEZONE\r\nTZID:Europe\/Berlin\r\n/);
    expect(ics).toContain("TZOFFSETTO:+0200\r\n");
    expect(ics).toContain("DTSTART:20270328T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200");
    // The UTC one is written in UTC.
    expect(ics).toContain("DTSTART:20270201T130000Z\r\n");
    expect(ics).toContain("DTEND:20270201T140000Z\r\n");
  });

  it("keeps a semi-private community's feed for members, also through their personal feed link", async () => {
    const slug = await community("cal-closed", "semi_private");
    const hidden = await community("cal-hidden", "semi_private", true);
    await publish(slug, member.token, { title: "Members-only workshop" });
    await publish(hidden, member.token, { title: "Hidden retreat" });

    const anonymous = await praxis.request("GET", `/api/v1/communities/${slug}/events.ics`);
    expect(anonymous.status).toBe(401);
    const stranger = await praxis.request("GET", `/api/v1/communities/${slug}/events.ics`, {
      token: outsider.token,
    });
    expect(stranger.status).toBe(403);
    const notThere = await praxis.request("GET", `/api/v1/communities/${hidden}/events.ics`, {
      token: outsider.token,
    });
    expect(notThere.status).toBe(404);
    const insider = await praxis.request("GET", `/api/v1/communities/${slug}/events.ics`, {
      token: member.token,
    });
    expect(unfold(insider.body)).toContain("SUMMARY:Members-only workshop\r\n");

    expect((await praxis.request("GET", "/api/v1/me/calendar")).status).toBe(401);
    const link = await praxis.request("GET", "/api/v1/me/calendar", { token: member.token });
    expect(link.status).toBe(200);
    const url = new URL(link.body.url);
    expect(url.origin).toBe("http://praxis.test");
    expect(url.pathname).toMatch(/^\/api\/v1\/calendar\/[\w.-]+\.ics$/);
    // A calendar app sends no credentials: the link alone opens the member's feed.
    const personal = await praxis.request("GET", url.pathname);
    expect(personal.status).toBe(200);
    expect(personal.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    const mine = unfold(personal.body);
    expect(mine).toContain("SUMMARY:Members-only workshop\r\n");
    expect(mine).toContain("SUMMARY:Hidden retreat\r\n");

    const strangersLink = await praxis.request("GET", "/api/v1/me/calendar", {
      token: outsider.token,
    });
    const theirs = await praxis.request("GET", new URL(strangersLink.body.url).pathname);
    expect(theirs.status).toBe(200);
    expect(count(unfold(theirs.body), "BEGIN:VEVENT")).toBe(0);

    const forged = url.pathname.replace(/\.[\w-]+\.ics$/, ".forged.ics");
    expect((await praxis.request("GET", forged)).status).toBe(404);
  });

  const eventFile = (id: string, token?: string) =>
    praxis.request("GET", `/api/v1/events/${id}/event.ics`, { token });

  it("serves one event alone as an iCalendar file", async () => {
    const slug = await community("cal-one");
    const clinic = await publish(slug, member.token, { title: "Nairobi clinic" });
    await publish(slug, member.token, { title: "Another session" });
    const answer = await eventFile(clinic.body.id);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    const ics = unfold(answer.body);
    expect(count(ics, "BEGIN:VEVENT")).toBe(1);
    expect(ics).toContain(`UID:${clinic.body.uri}\r\n`);
    expect(ics).toContain("SUMMARY:Nairobi clinic\r\n");
    expect(ics).toContain("DTSTART;TZID=Africa/Nairobi:20270310T140000\r\n");
    expect(ics).not.toContain("Another session");
  });

  it("answers 404 for one event's file to whoever may not read the event", async () => {
    const slug = await community("cal-one-closed", "semi_private");
    const workshop = await publish(slug, member.token, { title: "Members-only workshop" });
    expect((await eventFile(workshop.body.id)).status).toBe(404);
    const stranger = await eventFile(workshop.body.id, outsider.token);
    expect(stranger.status).toBe(404);
    expect(stranger.body.error.code).toBe("post_not_found");
    const insider = await eventFile(workshop.body.id, member.token);
    expect(insider.status).toBe(200);
    expect(unfold(insider.body)).toContain("SUMMARY:Members-only workshop\r\n");
  });

  it("has no file for a deleted event, nor for a post that is not an event", async () => {
    const slug = await community("cal-one-gone");
    const cancelled = await publish(slug, member.token, { title: "Cancelled session" });
    expect((await eventFile(cancelled.body.id)).status).toBe(200);
    const deleted = await praxis.request("DELETE", `/api/v1/posts/${cancelled.body.id}`, {
      token: member.token,
    });
    expect(deleted.status).toBe(204);
    expect((await eventFile(cancelled.body.id)).status).toBe(404);
    const thread = await praxis.request("POST", `/api/v1/communities/${slug}/discussions`, {
      token: member.token,
      body: { title: "Not an event", content: "Just talk." },
    });
    expect((await eventFile(thread.body.id)).status).toBe(404);
  });
});
