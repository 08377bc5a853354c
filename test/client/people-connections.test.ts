import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousAxeProblems } from "../support/axe.ts";
import { type BrowserInstance, screenshot, startBrowserInstance } from "../support/browser.ts";
import { type Person, requester, signUpWith } from "../support/client.ts";
import { killLaunched } from "../support/process.ts";
import { pageAs } from "../support/signed-in-page.ts";
import { wordsIn } from "../support/words.ts";

/** Each step opens pages as several people and runs axe on some. */
const stepTimeout = 90_000;

const en = wordsIn("en");
const ar = wordsIn("ar");
const serverSays = (locale: string, code: string): string =>
  JSON.parse(readFileSync(`locales/${locale}/errors.json`, "utf8"))[code];

/**
 * The people screens of issue 17 in a real browser: an avatar uploaded and shown, coffee
 * rounds taken part in, a question asked, handed on, answered and read, and an event reported
 * to the moderators, each through the page's own forms.
 */
describe("meeting people in a community", () => {
  let instance: BrowserInstance;
  let owner: Person;
  let expert: Person;
  let asker: Person;
  const request = (...args: Parameters<ReturnType<typeof requester>>) =>
    requester(instance.origin, (req) => fetch(req))(...args);
  /** Pages opened with axe allowed in (it is injected as a script the policy refuses). */
  const open = (person: Person, path: string, locale: "en" | "ar" = "en") =>
    pageAs(instance.browser, instance.origin, person, path, locale, { bypassCSP: true });
  const photo = () =>
    sharp({ create: { width: 600, height: 400, channels: 3, background: "#c04020" } })
      .png()
      .toBuffer();
  const done = async (page: Page) => {
    await page.locator("main[aria-busy=false]").waitFor();
    await page.context().close();
  };

  /** The asker's report from a page's Report form; `choose` picks anything more it asks. */
  const report = async (
    path: string,
    reason: string,
    choose?: (page: Page) => Promise<unknown>,
  ) => {
    const page = await open(asker, path);
    await page.locator("summary", { hasText: en("report.action") }).click();
    await page.getByLabel(en("report.reason")).fill(reason);
    await choose?.(page);
    await page.getByRole("button", { name: en("report.send") }).click();
    await page.getByText(en("report.sent")).waitFor();
    await done(page);
  };

  beforeAll(async () => {
    instance = await startBrowserInstance("127.0.32.1");
    await signUpWith(request, "steward");
    owner = await signUpWith(request, "fatima", { displayName: "فاطمة" });
    expert = await signUpWith(request, "amina", { displayName: "Amina K." });
    asker = await signUpWith(request, "omar", { displayName: "عمر" });
    await request("PATCH", "/api/v1/me", { token: expert.token, body: { resourcePerson: true } });
    await request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "care", name: "Care leavers", privacy: "open" },
    });
    for (const person of [expert, asker]) {
      await request("POST", "/api/v1/communities/care/join", { token: person.token, body: {} });
    }
  }, 180_000);

  afterAll(async () => {
    await instance?.close();
    await killLaunched();
  });

  it(
    "uploads an avatar from the settings and shows it, small and lazy, on the profile and in the members",
    async () => {
      const page = await open(asker, "/settings");
      await page.locator("#avatar-file").setInputFiles({
        name: "me.png",
        mimeType: "image/png",
        buffer: await photo(),
      });
      // Previewed before it is sent.
      await expect
        .poll(() => page.getByAltText(en("images.avatarShown")).getAttribute("src"))
        .toMatch(/^data:image\/png/);
      await page.getByRole("button", { name: en("images.upload"), exact: true }).click();
      await page.waitForURL(/\/settings\?saved=1$/);
      await page.goto(`${instance.origin}/@omar`);
      const avatar = page.locator(".profile-head img.avatar");
      // Loaded: the browser picks the 96 px size or, for a dense screen, the 256 px one.
      await expect
        .poll(() => avatar.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
        .toBeGreaterThan(0);
      expect(await avatar.getAttribute("src")).toMatch(/\/images\/[0-9a-f-]+-96$/);
      expect(await avatar.getAttribute("srcset")).toMatch(/-256 2x$/);
      expect(await avatar.getAttribute("alt")).toBe("");
      expect(await seriousAxeProblems(page)).toEqual([]);
      await page.goto(`${instance.origin}/c/care/members`);
      const small = page.locator(".person img.avatar.small");
      await small.first().waitFor();
      expect(await small.first().getAttribute("loading")).toBe("lazy");
      expect(await small.first().getAttribute("width")).toBe("40");
      expect(await small.first().getAttribute("src")).toMatch(/\/images\/[0-9a-f-]+-48$/);
      await done(page);
    },
    stepTimeout,
  );

  it(
    "refuses a file that is not a picture with the server's words, in Arabic",
    async () => {
      const page = await open(asker, "/settings", "ar");
      await page.locator("#avatar-file").setInputFiles({
        name: "notes.png",
        mimeType: "image/png",
        buffer: Buffer.from("not a picture at all"),
      });
      await page.getByRole("button", { name: ar("images.upload"), exact: true }).click();
      await page.waitForURL(/\/settings$/);
      expect(await page.getByRole("alert").textContent()).toBe(serverSays("ar", "not_an_image"));
      await screenshot(page, "avatar-refused-ar");
      await done(page);
    },
    stepTimeout,
  );

  it(
    "takes the avatar and the banner as plain multipart posts, without scripts",
    async () => {
      const form = async () => {
        const body = new FormData();
        body.set(
          "file",
          new Blob([new Uint8Array(await photo())], { type: "image/png" }),
          "banner.png",
        );
        return body;
      };
      const post = async (path: string, person: Person) =>
        fetch(`${instance.origin}${path}`, {
          method: "POST",
          body: await form(),
          headers: { cookie: `praxis_session=${person.token}` },
          redirect: "manual",
        });
      const banner = await post("/c/care/settings/banner", owner);
      expect(banner.status).toBe(303);
      expect(banner.headers.get("location")).toBe("/c/care/settings?saved=1");
      const community = await request("GET", "/api/v1/communities/care");
      expect(community.body.bannerUrls["640x160"]).toMatch(/\/images\//);
      // Not one of its admins: back to the settings, nothing changed.
      const refused = await post("/c/care/settings/banner", asker);
      expect(refused.headers.get("location")).toBe("/c/care/settings");
      const removed = await fetch(`${instance.origin}/settings/avatar/remove`, {
        method: "POST",
        body: new URLSearchParams(),
        headers: { cookie: `praxis_session=${asker.token}` },
        redirect: "manual",
      });
      expect(removed.headers.get("location")).toBe("/settings?saved=1");
      const me = await request("GET", "/api/v1/me", { token: asker.token });
      expect(me.body.avatarUrls).toBeNull();
      const page = await open(asker, "/c/care");
      await expect
        .poll(() =>
          page.locator("img.banner").evaluate((img: HTMLImageElement) => img.naturalWidth),
        )
        .toBeGreaterThan(0);
      await done(page);
    },
    stepTimeout,
  );

  it(
    "pairs a member for coffee from the community's page, and tells its admins how many take part",
    async () => {
      const page = await open(asker, "/c/care");
      await page.getByRole("button", { name: en("coffee.join") }).click();
      await page.getByText(en("coffee.joined")).waitFor();
      expect(await page.getByText(en("coffee.nextRound", { when: "" }).trim()).count()).toBe(1);
      // Members do not see the count; its admins do.
      expect(await page.getByText(en("coffee.participants", { count: 1 })).count()).toBe(0);
      expect(await seriousAxeProblems(page)).toEqual([]);
      await done(page);
      const admin = await open(owner, "/c/care", "ar");
      await admin.getByText(ar("coffee.participants", { count: 1 })).waitFor();
      await done(admin);
      const status = await request("GET", "/api/v1/communities/care/coffee", {
        token: asker.token,
      });
      expect(status.body).toMatchObject({ joined: true, participants: 1 });
    },
    stepTimeout,
  );

  it(
    "asks the facilitators, who hand the question to a resource person, whose answer the asker reads",
    async () => {
      const question = "كيف ندعم الشباب بعد مغادرة دور الرعاية؟";
      const asking = await open(asker, "/c/care", "ar");
      await asking.getByLabel(ar("questions.question")).fill(question);
      await asking.getByRole("button", { name: ar("questions.send") }).click();
      await asking.waitForURL(/\/c\/care\/questions\?asked=1$/);
      await asking.getByText(ar("questions.sent")).waitFor();
      expect(await asking.locator(".question-body").getAttribute("dir")).toBe("auto");
      await done(asking);

      const facilitator = await open(owner, "/c/care/questions");
      await facilitator.locator(".question-body", { hasText: question }).waitFor();
      await facilitator.getByLabel(en("questions.assignTo")).fill("amina");
      await facilitator.getByRole("button", { name: en("questions.assign") }).click();
      await facilitator.getByText(en("questions.states.assigned")).waitFor();
      expect(await seriousAxeProblems(facilitator)).toEqual([]);
      await done(facilitator);

      const answering = await open(expert, "/c/care/questions");
      await answering.getByLabel(en("questions.answer")).fill("Start with a mentor and a room.");
      await answering.getByRole("button", { name: en("questions.sendAnswer") }).click();
      await answering.locator(".answer").waitFor();
      await done(answering);

      const reading = await open(asker, "/c/care/questions", "ar");
      const answer = reading.locator(".answer");
      await answer.waitFor();
      expect(await answer.textContent()).toContain("Start with a mentor and a room.");
      expect(await reading.locator("section", { has: answer }).locator("h2").textContent()).toBe(
        ar("questions.answeredTitle"),
      );
      expect(await seriousAxeProblems(reading)).toEqual([]);
      await screenshot(reading, "question-answered-ar");
      await done(reading);
    },
    stepTimeout,
  );

  it(
    "hands a question on and answers it as plain forms, without scripts",
    async () => {
      const question = "Which allowances reach care leavers at eighteen?";
      const asked = await request("POST", "/api/v1/communities/care/questions", {
        token: asker.token,
        body: { body: question },
      });
      expect(asked.status).toBe(201);
      const withoutScripts = async (person: Person, path: string) => {
        const context = await instance.browser.newContext({ javaScriptEnabled: false });
        await context.addCookies([
          { name: "praxis_session", value: person.token, url: instance.origin },
        ]);
        const page = await context.newPage();
        await page.goto(`${instance.origin}${path}`);
        return page;
      };
      const card = (page: Page) => page.locator(".question", { hasText: question });

      const facilitator = await withoutScripts(owner, "/c/care/questions");
      await card(facilitator).getByLabel(en("questions.assignTo")).fill("amina");
      await card(facilitator)
        .getByRole("button", { name: en("questions.assign") })
        .click();
      await card(facilitator).getByText(en("questions.states.assigned")).waitFor();
      await facilitator.context().close();

      const answering = await withoutScripts(expert, "/c/care/questions");
      await card(answering).getByLabel(en("questions.answer")).fill("The leaving-care grant.");
      await card(answering)
        .getByRole("button", { name: en("questions.sendAnswer") })
        .click();
      await card(answering).locator(".answer", { hasText: "The leaving-care grant." }).waitFor();
      await answering.context().close();
    },
    stepTimeout,
  );

  it(
    "reports an event from its page into the moderators' queue",
    async () => {
      const created = await request("POST", "/api/v1/communities/care/events", {
        token: expert.token,
        body: {
          title: "Housing clinic",
          content: "Bring your papers.",
          timezone: "Africa/Cairo",
          startsAt: "2027-05-04T10:00",
          endsAt: "2027-05-04T11:00",
        },
      });
      expect(created.status).toBe(201);
      await report(`/posts/${created.body.id}`, "The address is a private home.");
      const queue = await open(owner, "/c/care/reports");
      await queue.getByText("The address is a private home.").waitFor();
      const reported = queue.getByRole("link", { name: "Housing clinic" });
      expect(await reported.getAttribute("href")).toBe(`/posts/${created.body.id}`);
      await done(queue);
    },
    stepTimeout,
  );

  it(
    "reports a person from their profile to the moderators of a community they share",
    async () => {
      await report("/@amina", "Asks members for money in private.", (page) =>
        page.getByLabel(en("report.community")).selectOption("care"),
      );
      const queue = await open(owner, "/c/care/reports");
      await queue.getByText("Asks members for money in private.").waitFor();
      await done(queue);
    },
    stepTimeout,
  );
});
