import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserInstance, screenshot, startBrowserInstance } from "../support/browser.ts";
import { testPassword } from "../support/client.ts";
import { killLaunched } from "../support/process.ts";
import { wordsIn } from "../support/words.ts";

const en = wordsIn("en");
const fr = wordsIn("fr");

/**
 * Sign-in and registration without JavaScript (issue 18): both pages are drawn on the server
 * and post as plain forms; a refusal comes back with the server's own message.
 */
describe("signing in and registering without scripts", () => {
  let instance: BrowserInstance;
  let context: BrowserContext;

  const post = (path: string, fields: Record<string, string>, headers = {}) =>
    fetch(`${instance.origin}${path}`, {
      method: "POST",
      body: new URLSearchParams(fields),
      headers,
      redirect: "manual",
    });

  beforeAll(async () => {
    instance = await startBrowserInstance("127.0.14.1");
    context = await instance.browser.newContext({ javaScriptEnabled: false, locale: "fr-FR" });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await instance?.close();
    await killLaunched();
  });

  it("draws both forms on the server, posting to themselves", async () => {
    for (const [path, words] of [
      ["/signin", en("account.signIn")],
      ["/register", en("account.register")],
    ] as const) {
      const page = await (await fetch(`${instance.origin}${path}`)).text();
      expect(page).toContain(`method="post" action="${path}"`);
      expect(page).toContain(words);
      expect(page).not.toContain(`<p>${en("loading")}</p>`);
    }
  });

  it("registers, signs out and signs in again with plain forms, in French", async () => {
    const page = await context.newPage();
    await page.goto(`${instance.origin}/register`);
    await page.locator("#username").fill("amadou");
    await page.locator("#email").fill("amadou@example.org");
    await page.locator("#new-password").fill(testPassword);
    await page.locator("#profession").fill("Travailleur social");
    await page.locator("main form button[type=submit]").click();
    await page.waitForURL(`${instance.origin}/`);
    await page.getByRole("link", { name: fr("nav.settings") }).waitFor();

    await context.clearCookies();
    await page.goto(`${instance.origin}/signin?next=${encodeURIComponent("/?topic=care")}`);
    await page.locator("#login").fill("amadou");
    await page.locator("#password").fill("not the password at all");
    await page.locator("main form button[type=submit]").click();
    await page.waitForURL(/\/signin/);
    const refusal = await page.getByRole("alert").textContent();
    expect(refusal).toContain("ne correspondent pas");
    await screenshot(page, "sign-in-refused-without-javascript");

    await page.locator("#login").fill("amadou@example.org");
    await page.locator("#password").fill(testPassword);
    await page.locator("main form button[type=submit]").click();
    await page.waitForURL(`${instance.origin}/?topic=care`);
    await page.getByRole("link", { name: fr("nav.settings") }).waitFor();
    // The refusal was shown once: the next page has none.
    expect(await page.getByRole("alert").count()).toBe(0);
    const me = await (await page.request.get(`${instance.origin}/api/v1/me`)).json();
    expect(me).toMatchObject({
      username: "amadou",
      locale: "fr",
      profession: "Travailleur social",
    });
  });

  it("gives a registration's refusal in the server's words, and keeps the limits", async () => {
    const weak = await post("/register", {
      username: "weakling",
      email: "weak@example.org",
      password: "password12",
    });
    expect(weak.status).toBe(303);
    expect(weak.headers.get("location")).toBe("/register");
    const cookie = weak.headers.get("set-cookie")?.split(";")[0] ?? "";
    const page = await (await fetch(`${instance.origin}/register`, { headers: { cookie } })).text();
    expect(page).toMatch(/role="alert"[^>]*>[^<]*too easy to guess/);
  });

  it("refuses a sign-in another site made the browser post, and a made-up message", async () => {
    const forged = await post(
      "/signin",
      { login: "amadou", password: testPassword },
      { origin: "https://evil.example" },
    );
    expect(forged.status).toBe(303);
    expect(forged.headers.get("set-cookie")).toBeNull();
    const madeUp = await (
      await fetch(`${instance.origin}/signin`, {
        headers: { cookie: "praxis_refusal=Your%20account%20is%20locked.%20Call%20us" },
      })
    ).text();
    expect(madeUp).not.toContain("Call us");
  });
});
