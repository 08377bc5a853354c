import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locale } from "../../client/i18n.ts";
import { seriousAxeProblems } from "../support/axe.ts";
import { type BrowserInstance, screenshot, startBrowserInstance } from "../support/browser.ts";
import { type Person, requester, signUpWith } from "../support/client.ts";
import { killLaunched } from "../support/process.ts";
import { pageAs, pageWithoutScriptsAs } from "../support/signed-in-page.ts";
import { wordsIn } from "../support/words.ts";

const stepTimeout = 90_000;
const en = wordsIn("en");
const ar = wordsIn("ar");
const arabicErrors = JSON.parse(readFileSync("locales/ar/errors.json", "utf8")) as Record<
  string,
  string
>;

/**
 * Joining, asking to join and leaving a community, taking part in its coffee rounds and
 * asking its facilitators, in a browser without JavaScript (issue 18): the page draws each
 * as a plain form from what the server says the reader may do, and comes back with the
 * outcome or the server's refusal in the reader's language.
 */
describe("belonging to a community without scripts", () => {
  let instance: BrowserInstance;
  let owner: Person;
  let layla: Person;
  const request = (...args: Parameters<ReturnType<typeof requester>>) =>
    requester(instance.origin, (req) => fetch(req))(...args);

  const openWithoutScripts = (person: Person, path: string, locale?: Locale) =>
    pageWithoutScriptsAs(instance.browser, instance.origin, person, path, locale);
  const press = (page: Page, name: string) =>
    page.getByRole("button", { name, exact: true }).click();
  const stateIn = async (slug: string) => {
    const answer = await request("GET", `/api/v1/communities/${slug}/profile`, {
      token: layla.token,
    });
    return answer.body.viewer?.state ?? null;
  };

  beforeAll(async () => {
    instance = await startBrowserInstance("127.0.54.1");
    owner = await signUpWith(request, "steward");
    layla = await signUpWith(request, "layla", { displayName: "Layla" });
    for (const [slug, name, privacy, eligibility] of [
      ["care", "Care leavers", "open", ""],
      ["circle", "Evaluation circle", "semi_private", "Evaluators of social protection programmes"],
      ["board", "Board", "private", ""],
    ]) {
      const created = await request("POST", "/api/v1/communities", {
        token: owner.token,
        body: { slug, name, privacy, eligibility },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
  }, 180_000);

  afterAll(async () => {
    await instance?.close();
    await killLaunched();
  });

  it(
    "joins an open community, takes part in coffee, asks the facilitators, and leaves",
    async () => {
      const page = await openWithoutScripts(layla, "/c/care");
      await press(page, en("join.join"));
      await page.getByText(en("join.member")).waitFor();
      expect(await stateIn("care")).toBe("active");

      await page.getByText(en("coffee.notJoined")).waitFor();
      await press(page, en("coffee.join"));
      await page.getByText(en("coffee.joined")).waitFor();

      await page.getByLabel(en("questions.question")).fill("Who keeps the registry of leavers?");
      await press(page, en("questions.send"));
      await page.waitForURL(/\/c\/care\/questions\?asked=1$/);
      await page.getByText("Who keeps the registry of leavers?").waitFor();

      await page.goto(`${instance.origin}/c/care`);
      await press(page, en("join.leave"));
      await page.getByRole("button", { name: en("join.join"), exact: true }).waitFor();
      expect(await stateIn("care")).toBeNull();
      await screenshot(page, "belonging-without-scripts-left");
    },
    stepTimeout,
  );

  it(
    "asks to join a semi-private community in Arabic, with the message its eligibility asks for, and withdraws the request",
    async () => {
      const page = await openWithoutScripts(layla, "/c/circle", "ar");
      await page.getByRole("heading", { name: ar("join.requestTitle") }).waitFor();
      // The form says the message is needed, and the browser keeps it from going without one.
      const message = page.getByLabel(ar("join.messageRequired"));
      expect(await message.evaluate((field) => (field as HTMLTextAreaElement).required)).toBe(true);
      await press(page, ar("join.request"));
      expect(
        await message.evaluate((field) => (field as HTMLTextAreaElement).validity.valueMissing),
      ).toBe(true);
      expect(await stateIn("circle")).toBeNull();

      // Sent anyway, as a browser that checks nothing would, the server refuses it in Arabic.
      await message.evaluate((field) => field.removeAttribute("required"));
      await press(page, ar("join.request"));
      await page.waitForURL(/\/c\/circle$/);
      await page.getByRole("alert").getByText(String(arabicErrors.message_required)).waitFor();
      expect(await stateIn("circle")).toBeNull();

      await page.getByLabel(ar("join.messageRequired")).fill("أقيّم برامج التحويلات النقدية.");
      await press(page, ar("join.request"));
      await page.getByText(ar("join.pending")).waitFor();
      expect(await stateIn("circle")).toBe("pending");

      // A request still waiting can be withdrawn, and made again.
      await press(page, ar("join.withdraw"));
      await page.getByRole("heading", { name: ar("join.requestTitle") }).waitFor();
      expect(await stateIn("circle")).toBeNull();
      await page.getByLabel(ar("join.messageRequired")).fill("أقيّم برامج التحويلات النقدية.");
      await press(page, ar("join.request"));
      await page.getByText(ar("join.pending")).waitFor();
    },
    stepTimeout,
  );

  it(
    "offers no form where only an invitation lets one in",
    async () => {
      const page = await openWithoutScripts(layla, "/c/board");
      await page.getByText(en("join.inviteOnly")).waitFor();
      expect(await page.locator('form[action="/c/board/join"]').count()).toBe(0);
    },
    stepTimeout,
  );

  it(
    "draws the same forms with scripts, which act in place, with no serious axe finding",
    async () => {
      const page = await pageAs(instance.browser, instance.origin, layla, "/c/care", "ar", {
        bypassCSP: true,
      });
      // A mark the page keeps only if it is not loaded again: the join happens in place.
      await page.evaluate(() => Object.assign(window, { stayed: true }));
      await page.getByRole("button", { name: ar("join.join"), exact: true }).click();
      // She took part in coffee before she left: coming back starts afresh.
      await page.getByText(ar("coffee.notJoined")).waitFor();
      expect(await page.evaluate(() => "stayed" in window)).toBe(true);
      expect(await seriousAxeProblems(page)).toEqual([]);
      await page.goto(`${instance.origin}/c/circle`);
      await page.getByText(ar("join.pending")).waitFor();
      expect(await seriousAxeProblems(page)).toEqual([]);
      await page.context().close();
    },
    stepTimeout,
  );
});
