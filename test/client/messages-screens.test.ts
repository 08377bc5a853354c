import { readFileSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locale } from "../../client/i18n.ts";
import { seriousAxeProblems } from "../support/axe.ts";
import { type BrowserInstance, screenshot, startBrowserInstance } from "../support/browser.ts";
import { type Person, requester, signUpWith } from "../support/client.ts";
import { killLaunched } from "../support/process.ts";
import { pageAs } from "../support/signed-in-page.ts";
import { wordsIn } from "../support/words.ts";

const en = wordsIn("en");
const ar = wordsIn("ar");
const arabicErrors = JSON.parse(readFileSync("locales/ar/errors.json", "utf8")) as Record<
  string,
  string
>;

/** A Latin name ending in punctuation: it lands on the wrong side of Arabic when not isolated. */
const benName = "Ben (UNICEF)";

/**
 * A page where the client's scripts never load (every script file is refused), as `person`
 * signed in, reading in `locale`: the server's own page and plain forms, as without
 * JavaScript, while axe can still be injected.
 */
async function plainPageAs(
  browser: Browser,
  origin: string,
  person: Person,
  path: string,
  locale: Locale,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ bypassCSP: true, locale });
  await context.route("**/*.js", (route) => route.abort());
  await context.addCookies([
    { name: "praxis_session", value: person.token, url: origin },
    { name: "lang", value: locale, url: origin },
  ]);
  const page = await context.newPage();
  await page.goto(`${origin}${path}`);
  return { context, page };
}

/**
 * The messages screens as people use them: from a profile's "Message" to a conversation, the
 * list with its unread state, answering, a new message to two people and a refusal, with
 * scripts and with plain forms, in English and in Arabic, with no serious axe finding.
 */
describe("the messages screens", () => {
  let instance: BrowserInstance;
  let ana: Person;
  let ben: Person;
  let carl: Person;
  const opened: BrowserContext[] = [];
  const request = (...args: Parameters<ReturnType<typeof requester>>) =>
    requester(instance.origin, (req) => fetch(req))(...args);
  const host = () => new URL(instance.origin).host;

  async function expectAccessible(page: Page, name: string) {
    expect(await seriousAxeProblems(page), name).toEqual([]);
    await screenshot(page, name);
  }

  beforeAll(async () => {
    instance = await startBrowserInstance("127.0.31.10");
    ana = await signUpWith(request, "ana", { displayName: "Ana" });
    ben = await signUpWith(request, "ben", { displayName: benName });
    carl = await signUpWith(request, "carl", { displayName: "Carl" });
  }, 90_000);

  afterAll(async () => {
    for (const context of opened) await context.close();
    await instance?.close();
    await killLaunched();
  });

  it("starts a conversation from a person's profile and sends it, with scripts, in English", async () => {
    const page = await pageAs(instance.browser, instance.origin, ana, "/@ben", "en", {
      bypassCSP: true,
    });
    opened.push(page.context());
    await page.getByRole("link", { name: en("messages.action"), exact: true }).click();
    await page.waitForURL(/\/messages\/new\?to=/);
    expect(await page.locator("#message-to").inputValue()).toBe(`@ben@${host()}`);
    await expectAccessible(page, "messages-new-en");
    await page.locator("#message-body").fill("Hello Ben, shall we compare our case notes?");
    await page.getByRole("button", { name: en("messages.send"), exact: true }).click();
    await page.waitForURL(/\/messages\/[0-9a-f-]{36}$/);
    await page.getByText("shall we compare our case notes?").waitFor();
    expect(await page.locator("h1").textContent()).toBe(`${en("messages.with")} ${benName}`);
    await expectAccessible(page, "messages-conversation-en");
    await page.getByRole("link", { name: en("nav.messages"), exact: true }).click();
    await page.waitForURL(/\/messages$/);
    await page.getByRole("link", { name: benName, exact: true }).waitFor();
    // Ana wrote the last message: nothing in it is unread for her.
    expect(await page.locator("li.unread").count()).toBe(0);
  });

  it("shows the unread conversation and takes the answer, with scripts, in Arabic", async () => {
    const page = await pageAs(instance.browser, instance.origin, ben, "/messages", "ar", {
      bypassCSP: true,
    });
    opened.push(page.context());
    expect(await page.locator("h1").textContent()).toBe(ar("messages.title"));
    const unread = page.locator("li.unread");
    expect(await unread.count()).toBe(1);
    expect(await unread.locator(".badge").textContent()).toBe(ar("messages.unread", { count: 1 }));
    await expectAccessible(page, "messages-list-ar");
    await unread.getByRole("link", { name: "Ana", exact: true }).click();
    await page.waitForURL(/\/messages\/[0-9a-f-]{36}$/);
    await page.getByText("shall we compare our case notes?").waitFor();
    // The author's name and the message keep their own direction on the Arabic page.
    expect(await page.locator("ol.messages bdi").first().textContent()).toBe("Ana");
    expect(await page.locator("ol.messages .prose").first().getAttribute("dir")).toBe("auto");
    await page.locator("#message-body").fill("نعم، يوم الخميس.");
    await page.getByRole("button", { name: ar("messages.send"), exact: true }).click();
    await page.getByText("نعم، يوم الخميس.").waitFor();
    expect(await page.locator("#message-body").inputValue()).toBe("");
    await expectAccessible(page, "messages-conversation-ar");
    // Ana's message can be reported; Ben's own has no such button.
    expect(await page.locator("ol.messages details.report").count()).toBe(1);
    await page.locator("ol.messages details.report summary").click();
    await page.locator("ol.messages details.report textarea").fill("رسائل غير مرغوب فيها");
    await page.getByRole("button", { name: ar("report.send"), exact: true }).click();
    await page.getByRole("status").getByText(ar("report.sent")).waitFor();
    await page.goto(`${instance.origin}/messages`);
    expect(await page.locator("li.unread").count()).toBe(0);
  });

  it("shows the message's report to the instance administrator", async () => {
    const page = await pageAs(instance.browser, instance.origin, ana, "/admin/reports", "en", {
      bypassCSP: true,
    });
    opened.push(page.context());
    const card = page.locator("main li.card", { hasText: en("report.kinds.message") });
    await card.getByText("shall we compare our case notes?").waitFor();
    await expectAccessible(page, "messages-report-queue-en");
  });

  it("reads and answers as plain forms without scripts, in English", async () => {
    const { context, page } = await plainPageAs(
      instance.browser,
      instance.origin,
      ana,
      "/messages",
      "en",
    );
    opened.push(context);
    const unread = page.locator("li.unread");
    expect(await unread.count()).toBe(1);
    await expectAccessible(page, "messages-list-en-without-javascript");
    await unread.getByRole("link", { name: benName, exact: true }).click();
    await page.getByText("نعم، يوم الخميس.").waitFor();
    await page.locator("#message-body").fill("Thursday it is.");
    await page.getByRole("button", { name: en("messages.send"), exact: true }).click();
    await page.waitForURL(/\/messages\/[0-9a-f-]{36}$/);
    await page.getByText("Thursday it is.").waitFor();
    await expectAccessible(page, "messages-conversation-en-without-javascript");

    await page.goto(`${instance.origin}/messages`);
    expect(await page.locator("li.unread").count()).toBe(0);
    await page.getByRole("link", { name: en("messages.new"), exact: true }).click();
    await page.locator("#message-to").fill(`@ben, @carl@${host()}`);
    await page.locator("#message-body").fill("A word to you both.");
    await page.getByRole("button", { name: en("messages.send"), exact: true }).click();
    await page.waitForURL(/\/messages\/[0-9a-f-]{36}$/);
    await page.getByText("A word to you both.").waitFor();
    expect(await page.locator("h1").textContent()).toBe(`${en("messages.with")} ${benName}, Carl`);
    const list = await request("GET", "/api/v1/conversations", { token: carl.token });
    expect(list.body.items).toHaveLength(1);
  });

  it("says why a message is refused without scripts, in Arabic", async () => {
    const blocked = await request("POST", "/api/v1/blocks", {
      token: carl.token,
      body: { handle: "ben" },
    });
    expect(blocked.status).toBe(201);
    const { context, page } = await plainPageAs(
      instance.browser,
      instance.origin,
      ben,
      "/messages/new?to=carl",
      "ar",
    );
    opened.push(context);
    await expectAccessible(page, "messages-new-ar-without-javascript");
    await page.locator("#message-body").fill("هل أنت هنا؟");
    await page.getByRole("button", { name: ar("messages.send"), exact: true }).click();
    await page.waitForURL(/\/messages\/new$/);
    const refusal = await page.getByRole("alert").textContent();
    expect(refusal).toBe(arabicErrors.blocked);
    await expectAccessible(page, "messages-refused-ar-without-javascript");
    const list = await request("GET", "/api/v1/conversations", { token: carl.token });
    expect(list.body.items).toHaveLength(1);
  });
});
