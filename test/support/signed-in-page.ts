import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import type { Locale } from "../../client/i18n.ts";
import type { Person } from "./client.ts";

/**
 * A browser page where `person` is signed in (their session cookie set, as signing in would),
 * reading in `locale` (the language cookie the site's own switcher sets), once `path` is loaded
 * and the client answers clicks. `options` go to the browser context (`bypassCSP` for axe…).
 */
export async function pageAs(
  browser: Browser,
  origin: string,
  person: Person,
  path: string,
  locale: Locale = "en",
  options: BrowserContextOptions = {},
): Promise<Page> {
  const page = await openAs(browser, origin, person, path, locale, options);
  await page.locator("main[aria-busy=false]").waitFor();
  // Server-drawn buttons answer clicks only once the client has taken the page over.
  await page.waitForFunction(() => performance.getEntriesByName("praxis:interactive").length > 0);
  return page;
}

/** `path` as `person` sees it in a browser without JavaScript: the page the server drew. */
export function pageWithoutScriptsAs(
  browser: Browser,
  origin: string,
  person: Person,
  path: string,
  locale: Locale = "en",
): Promise<Page> {
  return openAs(browser, origin, person, path, locale, { javaScriptEnabled: false });
}

async function openAs(
  browser: Browser,
  origin: string,
  person: Person,
  path: string,
  locale: Locale,
  options: BrowserContextOptions,
): Promise<Page> {
  const context = await browser.newContext({ ...options, locale });
  await context.addCookies([
    { name: "praxis_session", value: person.token, url: origin },
    { name: "lang", value: locale, url: origin },
  ]);
  const page = await context.newPage();
  await page.goto(`${origin}${path}`);
  return page;
}
