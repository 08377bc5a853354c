import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type BrowserInstance, screenshot, startBrowserInstance } from "../support/browser.ts";
import { requester, signUpWith, testPassword } from "../support/client.ts";
import { killLaunched } from "../support/process.ts";

/** Fetches a path from inside the page, through its service worker: what the reader would get. */
const fetchInPage = (page: Page, path: string) =>
  page.evaluate(async (url) => {
    try {
      const response = await fetch(url);
      return { status: response.status, text: await response.text() };
    } catch {
      return { status: 0, text: "" };
    }
  }, path);

async function waitForServiceWorker(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

/** Praxis as an installed app on a phone: what someone read stays readable without a network. */
describe("reading offline", () => {
  let instance: BrowserInstance;
  let origin: string;

  beforeAll(async () => {
    instance = await startBrowserInstance("127.0.0.61");
    origin = instance.origin;
    const request = requester(origin, (req) => fetch(req));
    const admin = await signUpWith(request, "librarian");
    const publish = (path: string, body: Record<string, unknown>) =>
      request("POST", `/api/v1${path}`, { token: admin.token, body });
    await publish("/communities", {
      slug: "library",
      name: "Social protection library",
      summary: "Readings, discussions and events",
      privacy: "open",
    });
    await publish("/communities", {
      slug: "council",
      name: "Evaluation council",
      summary: "Evaluators reviewing drafts",
      privacy: "semi_private",
    });
    await publish("/communities/library/discussions", {
      title: "Cash plus in Ghana",
      content: "What the evaluation found.",
    });
    await publish("/communities/library/events", {
      title: "Peer exchange on targeting",
      content: "Kenya and Senegal compare their registries.",
      startsAt: "2030-03-04T09:00",
      endsAt: "2030-03-04T10:30",
      timezone: "Africa/Nairobi",
    });
    await publish("/communities/council/discussions", {
      title: "Draft findings, members only",
      content: "Not for outsiders yet.",
    });
  }, 120_000);
  afterAll(async () => {
    await instance?.close();
    await killLaunched();
  });

  let context: BrowserContext;
  afterEach(async () => {
    await context?.close();
  });

  it("links a valid manifest that makes Praxis installable", async () => {
    context = await instance.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${origin}/c/library`);
    const href = await page.locator('link[rel="manifest"]').getAttribute("href");
    expect(href).toBeTruthy();
    const answer = await context.request.get(new URL(href ?? "", origin).href);
    expect(answer.headers()["content-type"]).toBe("application/manifest+json");
    expect(await answer.json()).toMatchObject({
      name: "Praxis",
      start_url: "/",
      display: "standalone",
      theme_color: "#0b5cad",
    });
    await waitForServiceWorker(page);
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(`${origin}/`);
    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send("Page.getAppManifest");
    expect(manifest.url).toBe(new URL(href ?? "", origin).href);
    expect(manifest.errors).toEqual([]);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    // Test contexts are incognito, where Chromium never offers to install; it still runs and
    // reports every other check (a missing or unsuitable icon among them).
    const errors = installabilityErrors.map((error) => error.errorId);
    expect(errors.filter((id) => id !== "in-incognito")).toEqual([]);
  });

  it("keeps a community page read once readable after going offline and reloading", async () => {
    context = await instance.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${origin}/c/library`);
    await waitForServiceWorker(page);
    await context.setOffline(true);
    // The worker's own requests are offline too: a page never read is not there.
    expect((await fetchInPage(page, "/api/v1/communities/library/pages")).status).toBe(0);
    // Offline, the browser's HTTP cache could answer these too: only the worker's flag tells.
    const assets: { path: string; fromWorker: boolean }[] = [];
    page.on("response", (response) => {
      const { pathname } = new URL(response.url());
      if (pathname.startsWith("/assets/")) {
        assets.push({ path: pathname, fromWorker: response.fromServiceWorker() });
      }
    });
    await page.reload();
    await page.getByRole("link", { name: "Cash plus in Ghana" }).waitFor();
    expect(await page.locator("h1").textContent()).toBe("Social protection library");
    // Its styles and scripts came from the worker's cache: styled, and hydrated.
    await page.waitForFunction(() => performance.getEntriesByName("praxis:interactive").length > 0);
    expect(
      await page.locator("header.site").evaluate((header) => getComputedStyle(header).display),
    ).toBe("flex");
    expect(new Set(assets.map((asset) => asset.path.split(".").pop()))).toEqual(
      new Set(["css", "js"]),
    );
    expect(assets.every((asset) => asset.fromWorker)).toBe(true);
    await screenshot(page, "community-offline");
  });

  it("forgets members-only answers once the person signs out", async () => {
    context = await instance.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${origin}/signin`);
    await waitForServiceWorker(page);
    await page.locator("#login").fill("librarian");
    await page.locator("#password").fill(testPassword);
    await page.locator("main form button[type=submit]").click();
    await page.locator("header.site button.link").waitFor();
    await page.goto(`${origin}/c/council`);
    await page.getByRole("link", { name: "Draft findings, members only" }).waitFor();
    const membersOnly = "/api/v1/communities/council/discussions";
    const online = await fetchInPage(page, membersOnly);
    expect(online.text).toContain("Draft findings, members only");

    await context.setOffline(true);
    const kept = await fetchInPage(page, membersOnly);
    expect(kept.status).toBe(200);
    expect(kept.text).toContain("Draft findings, members only");

    await context.setOffline(false);
    await page.locator("header.site button.link").click();
    await page.getByRole("link", { name: "Sign in" }).waitFor();
    await context.setOffline(true);
    const forgotten = await fetchInPage(page, membersOnly);
    expect(forgotten.status).toBe(0);
    expect(forgotten.text).not.toContain("Draft findings");
    // Nor is the page they read as a member.
    await expect(page.goto(`${origin}/c/council`)).rejects.toThrow();
  });

  it("offers each event as its own calendar file", async () => {
    context = await instance.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${origin}/c/library/calendar`);
    const link = page.getByRole("link", { name: "Add to calendar: Peer exchange on targeting" });
    expect(await link.textContent()).toBe("Add to calendar");
    const href = await link.getAttribute("href");
    expect(href).toMatch(/^\/api\/v1\/events\/[\w-]+\/event\.ics$/);
    await screenshot(page, "calendar-add-event");
    const file = await context.request.get(`${origin}${href}`);
    expect(file.status()).toBe(200);
    expect(file.headers()["content-type"]).toBe("text/calendar; charset=utf-8");
    expect(await file.text()).toContain("SUMMARY:Peer exchange on targeting");
  });
});
