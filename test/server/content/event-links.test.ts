import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestInstance, type TestInstance } from "../../support/instance.ts";

/** iCalendar folds long lines; unfolded, each property is one line. */
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, "");
const propertyNames = (ics: string) =>
  unfold(ics)
    .split("\r\n")
    .map((line) => line.split(/[;:]/)[0]);

/** An event's online, recording and slides links: in its answers and in its calendar file. */
describe("event links", () => {
  let praxis: TestInstance;
  let organiser: Person;
  let member: Person;
  const slug = "webinars";

  beforeAll(async () => {
    praxis = await startTestInstance();
    organiser = await praxis.signUp("links_organiser");
    member = await praxis.signUp("links_member");
    await praxis.request("POST", "/api/v1/communities", {
      token: organiser.token,
      body: { slug, name: "Webinar series", privacy: "open" },
    });
    const joined = await praxis.request("POST", `/api/v1/communities/${slug}/join`, {
      token: member.token,
    });
    expect(joined.body.state).toBe("active");
  });
  afterAll(() => praxis.close());

  const publish = (body: Record<string, unknown>) =>
    praxis.request("POST", `/api/v1/communities/${slug}/events`, {
      token: organiser.token,
      body: {
        title: "Adaptive safety nets",
        content: "Questions welcome.",
        timezone: "America/Bogota",
        startsAt: "2027-03-10T09:00",
        endsAt: "2027-03-10T10:30",
        ...body,
      },
    });

  const calendarOf = async (id: string, locale = "en") => {
    const answer = await praxis.request("GET", `/api/v1/events/${id}/event.ics`, {
      headers: { "accept-language": locale },
    });
    expect(answer.status).toBe(200);
    return answer.body as string;
  };

  it("puts a hybrid event's online link in its calendar file beside its place", async () => {
    const created = await publish({
      location: "Hotel Tequendama, Bogotá",
      onlineUrl: "https://meet.example.org/safety-nets?pwd=a;b",
    });
    expect(created.status).toBe(201);
    const ics = unfold(await calendarOf(created.body.id));
    expect(ics).toContain("LOCATION:Hotel Tequendama\\, Bogotá\r\n");
    expect(ics).toContain(
      "DESCRIPTION:Questions welcome.\\n\\nOnline: https://meet.example.org/safety-nets?pwd=a\\;b\r\n",
    );
    // The event's own page stays its URL: RSVP and Q&A are there.
    expect(ics).toContain(`URL;VALUE=URI:${created.body.uri}\r\n`);
  });

  it("names the links in the calendar file in the reader's language", async () => {
    const created = await publish({
      onlineUrl: "https://meet.example.org/fr",
      webinar: { recordingUrl: "https://video.example.org/fr", slidesUrl: null },
    });
    const ics = unfold(await calendarOf(created.body.id, "fr"));
    expect(ics).toContain("LOCATION:https://meet.example.org/fr\r\n");
    expect(ics).toContain(
      "DESCRIPTION:Questions welcome.\\n\\nEn ligne : https://meet.example.org/fr\\nEnregistrement : https://video.example.org/fr\r\n",
    );
    expect(ics).toContain("ATTACH:https://video.example.org/fr\r\n");
  });

  it("lets no link or title add a line of its own to the calendar file", async () => {
    const created = await publish({
      title: "Clinic\r\nATTENDEE:mailto:title@example.org",
      content: "Agenda\r\nBEGIN:VALARM\nTRIGGER:-PT5M\u2028ATTENDEE:mailto:text@example.org",
      location: "Room 1\rATTENDEE:mailto:place@example.org",
      onlineUrl: "https://meet.example.org/room\r\nATTENDEE:mailto:link@example.org",
    });
    expect(created.status).toBe(201);
    const patched = await praxis.request("PATCH", `/api/v1/events/${created.body.id}`, {
      token: organiser.token,
      body: {
        webinar: {
          recordingUrl: "https://video.example.org/r\nATTACH:https://evil.example.org/",
          slidesUrl: "https://slides.example.org/s\u0085X-INJECTED:1",
        },
      },
    });
    expect(patched.status).toBe(200);
    for (const link of [
      patched.body.onlineUrl,
      patched.body.recordingUrl,
      patched.body.slidesUrl,
    ]) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: controls are what is looked for
      expect(link).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    }
    expect(patched.body.slidesUrl).toBe("https://slides.example.org/s%C2%85X-INJECTED:1");
    const ics = await calendarOf(created.body.id);
    const names = propertyNames(ics);
    expect(names).not.toContain("ATTENDEE");
    expect(names).not.toContain("TRIGGER");
    expect(unfold(ics)).not.toContain("\r\nBEGIN:VALARM");
    expect(names).not.toContain("X-INJECTED");
    expect(names.filter((name) => name === "ATTACH")).toHaveLength(2);
    expect(unfold(ics)).toContain(
      "Online: https://meet.example.org/roomATTENDEE:mailto:link@example.org",
    );
    // Every line ends in CRLF and no bare CR or LF is left inside one.
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n\u0085\u2028]/);
  });

  it("sets, shows and removes a webinar's recording and slides", async () => {
    const created = await publish({ onlineUrl: "https://meet.example.org/later" });
    const id = created.body.id;
    const set = await praxis.request("PATCH", `/api/v1/events/${id}`, {
      token: organiser.token,
      body: {
        webinar: {
          recordingUrl: "https://video.example.org/later",
          slidesUrl: "https://slides.example.org/later.pdf",
        },
      },
    });
    expect(set.status).toBe(200);
    const read = await praxis.request("GET", `/api/v1/posts/${id}`);
    expect(read.body).toMatchObject({
      onlineUrl: "https://meet.example.org/later",
      webinar: true,
      recordingUrl: "https://video.example.org/later",
      slidesUrl: "https://slides.example.org/later.pdf",
    });
    const ics = unfold(await calendarOf(id));
    expect(ics).toContain("Recording: https://video.example.org/later");
    expect(ics).toContain("Slides: https://slides.example.org/later.pdf");
    const cleared = await praxis.request("PATCH", `/api/v1/events/${id}`, {
      token: organiser.token,
      body: { onlineUrl: null, webinar: { slidesUrl: null } },
    });
    expect(cleared.body).toMatchObject({
      onlineUrl: null,
      recordingUrl: "https://video.example.org/later",
      slidesUrl: null,
    });
    expect(unfold(await calendarOf(id))).toContain(
      "DESCRIPTION:Questions welcome.\\n\\nRecording: https://video.example.org/later\r\n",
    );
  });

  it("moves the going count as members answer, once each", async () => {
    const created = await publish({});
    const id = created.body.id;
    const rsvp = (person: Person, status: string) =>
      praxis.request("POST", `/api/v1/events/${id}/rsvp`, {
        token: person.token,
        body: { status },
      });
    expect((await rsvp(member, "going")).body).toEqual({ going: 1, viewerRsvp: "going" });
    expect((await rsvp(member, "going")).body.going).toBe(1);
    expect((await rsvp(organiser, "going")).body.going).toBe(2);
    expect((await rsvp(member, "not_going")).body).toEqual({ going: 1, viewerRsvp: "not_going" });
    const seen = await praxis.request("GET", `/api/v1/posts/${id}`, { token: member.token });
    expect(seen.body).toMatchObject({ going: 1, viewerRsvp: "not_going" });
    const bad = await rsvp(member, "maybe");
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBeTruthy();
  });
});
