import type { BrowserContextOptions } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousAxeProblems } from "../support/axe.ts";
import { type BrowserInstance, screenshot, startBrowserInstance } from "../support/browser.ts";
import { type Person, type Requester, requester, signUpWith } from "../support/client.ts";
import { mainText } from "../support/page-text.ts";
import { killLaunched } from "../support/process.ts";
import { wordsIn } from "../support/words.ts";

const en = wordsIn("en");
const ar = wordsIn("ar");

/** ICU separates a time range with thin and narrow spaces: any space will do. */
const range = (from: string, to: string) => new RegExp(`${from}\\s*–\\s*${to}`, "u");

/** An event's page: when in the reader's zone and the event's, where, links, RSVP, Q&A. */
describe("an event's page in the browser", () => {
  let instance: BrowserInstance;
  let request: Requester;
  let organiser: Person;
  let member: Person;
  let eventId: string;
  const slug = "andes-webinars";

  beforeAll(async () => {
    instance = await startBrowserInstance("127.0.9.1");
    request = requester(instance.origin, (req) => fetch(req));
    organiser = await signUpWith(request, "lucia");
    member = await signUpWith(request, "mateo");
    await request("POST", "/api/v1/communities", {
      token: organiser.token,
      body: { slug, name: "Andean social protection", summary: "Webinars", privacy: "open" },
    });
    await request("POST", `/api/v1/communities/${slug}/join`, { token: member.token });
    const created = await request("POST", `/api/v1/communities/${slug}/events`, {
      token: organiser.token,
      body: {
        title: "Adaptive safety nets in the Andes",
        content: "Bring your questions.",
        timezone: "America/Bogota",
        startsAt: "2027-03-10T09:00",
        endsAt: "2027-03-10T10:30",
        location: "Hotel Tequendama, Bogotá",
        onlineUrl: "https://meet.example.org/andes",
      },
    });
    expect(created.status).toBe(201);
    eventId = created.body.id;
    await request("POST", `/api/v1/posts/${eventId}/comments`, {
      token: member.token,
      body: { content: "Will the slides be shared?" },
    });
  }, 120_000);
  afterAll(async () => {
    await instance?.close();
    await killLaunched();
  });

  async function open(options: BrowserContextOptions, person?: Person) {
    const context = await instance.browser.newContext(options);
    if (person) {
      await context.addCookies([
        { name: "praxis_session", value: person.token, url: instance.origin },
      ]);
    }
    const page = await context.newPage();
    await page.goto(`${instance.origin}/posts/${eventId}`);
    await page.locator("main[aria-busy=false]").waitFor();
    return { context, page };
  }

  it("draws the date, the event's zone, the place and the online link without JavaScript", async () => {
    const html = await (
      await fetch(`${instance.origin}/posts/${eventId}`, { headers: { "accept-language": "en" } })
    ).text();
    const text = mainText(html);
    expect(text).toContain("Wednesday, March 10, 2027");
    expect(text).toMatch(range("9:00", "10:30\\sAM"));
    // Tags become spaces in `mainText`: the zone's id sits in its own element.
    expect(text).toMatch(/Colombia Standard Time \(\s*America\/Bogota\s*\)/);
    expect(text).toContain(en("event.eventTime"));
    expect(text).toContain("Hotel Tequendama, Bogotá");
    expect(html).toContain('href="https://meet.example.org/andes"');
    expect(text).toContain(en("event.questions", { count: 1 }));
    expect(text).toContain("Will the slides be shared?");
    // The server cannot know the reader's zone: it draws none but the event's.
    expect(text).not.toContain(en("event.yourTime"));

    const { context, page } = await open({ javaScriptEnabled: false, timezoneId: "Europe/Paris" });
    await page.getByText("Colombia Standard Time").waitFor();
    expect(await page.getByRole("link", { name: "https://meet.example.org/andes" }).count()).toBe(
      1,
    );
    await screenshot(page, "event-without-javascript");
    await context.close();
  });

  it("shows a reader in Paris the time in their zone and in the event's, each labelled", async () => {
    const { context, page } = await open({ timezoneId: "Europe/Paris", locale: "en-US" });
    const times = page.locator(".event-details .event-time");
    await expect.poll(() => times.count()).toBe(2);
    const [yours, theirs] = await times.allTextContents();
    expect(yours).toContain(en("event.yourTime"));
    expect(yours).toMatch(range("3:00", "4:30\\sPM"));
    expect(yours).toContain("Central European Standard Time (Europe/Paris)");
    expect(theirs).toContain(en("event.eventTime"));
    expect(theirs).toMatch(range("9:00", "10:30\\sAM"));
    expect(theirs).toContain("Colombia Standard Time (America/Bogota)");
    await context.close();

    // A reader in the event's own zone sees it once.
    const local = await open({ timezoneId: "America/Bogota" });
    await local.page.locator(".event-details .event-time").first().waitFor();
    expect(await local.page.locator(".event-details .event-time").count()).toBe(1);
    await local.context.close();
  });

  it("moves the going count as members answer", async () => {
    const { context, page } = await open({ timezoneId: "Europe/Paris" }, member);
    const going = page.getByRole("button", { name: en("event.going"), exact: true });
    const notGoing = page.getByRole("button", { name: en("event.not_going") });
    await page.getByText(en("event.goingCount", { formatted: "0" })).waitFor();
    await going.click();
    await page.getByText(en("event.goingCount", { formatted: "1" })).waitFor();
    expect(await going.getAttribute("aria-pressed")).toBe("true");
    await request("POST", `/api/v1/events/${eventId}/rsvp`, {
      token: organiser.token,
      body: { status: "going" },
    });
    await page.reload();
    await page.getByText(en("event.goingCount", { formatted: "2" })).waitFor();
    await notGoing.click();
    await page.getByText(en("event.goingCount", { formatted: "1" })).waitFor();
    expect(await notGoing.getAttribute("aria-pressed")).toBe("true");
    await context.close();
  });

  it("lets the organiser set a webinar's recording and slides, then shows them", async () => {
    const { context, page } = await open({ timezoneId: "Europe/Paris" }, organiser);
    await page.getByText(en("event.edit")).click();
    // The form shows the event's own wall-clock time and zone, not the reader's.
    expect(await page.locator("#edit-startsAt").inputValue()).toBe("2027-03-10T09:00");
    expect(await page.locator("#edit-timezone").inputValue()).toBe("America/Bogota");
    await page.locator("#edit-recordingUrl").fill("https://video.example.org/andes");
    await page.locator("#edit-slidesUrl").fill("https://slides.example.org/andes.pdf");
    await page.getByRole("button", { name: en("thread.save") }).click();
    const recording = page.getByRole("link", { name: "https://video.example.org/andes" });
    await recording.waitFor();
    expect(await recording.getAttribute("href")).toBe("https://video.example.org/andes");
    await page.getByRole("link", { name: "https://slides.example.org/andes.pdf" }).waitFor();
    expect(await page.locator(".event-details dt").allTextContents()).toEqual([
      en("event.place"),
      en("event.online"),
      en("event.recording"),
      en("event.slides"),
    ]);
    // The time did not move by being saved from another zone.
    const event = await request("GET", `/api/v1/events/${eventId}`);
    expect(event.body.startsAt).toBe("2027-03-10T14:00:00.000Z");
    const ics = await (
      await fetch(
        `${instance.origin}${await page.locator("a[href$='event.ics']").getAttribute("href")}`,
      )
    ).text();
    expect(ics.replace(/\r\n[ \t]/g, "")).toContain(
      "Online: https://meet.example.org/andes\\nRecording: https://video.example.org/andes",
    );
    await screenshot(page, "event-webinar-links");

    // The form that publishes an event takes the links too.
    await page.goto(`${instance.origin}/c/${slug}/calendar`);
    await page.locator("#event-title").fill("Follow-up clinic");
    await page.locator("#event-content").fill("What we learned.");
    await page.locator("#startsAt").fill("2027-04-01T15:00");
    await page.locator("#endsAt").fill("2027-04-01T16:00");
    await page.locator("#timezone").selectOption("America/Bogota");
    await page.locator("#onlineUrl").fill("https://meet.example.org/follow-up");
    await page.locator("#slidesUrl").fill("https://slides.example.org/follow-up.pdf");
    await page.getByRole("button", { name: en("compose.publish") }).click();
    await page.getByRole("link", { name: "Follow-up clinic", exact: true }).click();
    await page.getByRole("link", { name: "https://slides.example.org/follow-up.pdf" }).waitFor();
    await page.getByRole("link", { name: "https://meet.example.org/follow-up" }).waitFor();
    await context.close();
  });

  it("lays an event out right to left in Arabic, with no serious accessibility problem", async () => {
    const { context, page } = await open({
      timezoneId: "Europe/Paris",
      extraHTTPHeaders: { "accept-language": "ar" },
      viewport: { width: 390, height: 844 },
      bypassCSP: true,
    });
    expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
    const times = page.locator(".event-details .event-time");
    await expect.poll(() => times.count()).toBe(2);
    const [yours, theirs] = await times.allTextContents();
    expect(yours).toContain(ar("event.yourTime"));
    expect(yours).toContain("Europe/Paris");
    expect(theirs).toContain(ar("event.eventTime"));
    expect(theirs).toContain("America/Bogota");
    // Zone names and links stay left to right inside the Arabic text.
    expect(await page.locator(".event-details bdi[dir=ltr]").first().textContent()).toBe(
      "Europe/Paris",
    );
    expect(
      await page.getByRole("link", { name: "https://meet.example.org/andes" }).getAttribute("dir"),
    ).toBe("ltr");
    expect(await page.getByText(ar("event.questions", { count: 1 })).count()).toBe(1);
    await screenshot(page, "event-arabic-phone");
    expect(await seriousAxeProblems(page)).toEqual([]);
    await context.close();
  });
});
