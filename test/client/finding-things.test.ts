import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type BrowserInstance, screenshot, startBrowserInstance } from "../support/browser.ts";
import { type Person, type Requester, requester, signUpWith } from "../support/client.ts";
import { mainText } from "../support/page-text.ts";
import { killLaunched } from "../support/process.ts";
import { wordsIn } from "../support/words.ts";

const en = wordsIn("en");
const discussionTitle = (n: number) => `Targeting round ${String(n).padStart(2, "0")}`;

/** A server-rendered page as someone without JavaScript gets it. */
async function pageWithoutScript(origin: string, path: string, person?: Person) {
  const headers: Record<string, string> = { "accept-language": "en" };
  if (person) headers.cookie = `praxis_session=${person.token}`;
  const response = await fetch(new URL(path, origin), { headers });
  return { status: response.status, html: await response.text() };
}

/** The "More" link of a server-rendered list, where there is one. */
function moreLinkIn(html: string): string | null {
  const href = /<p class="more"><a href="([^"]+)"/.exec(html)?.[1];
  return href ? href.replaceAll("&amp;", "&") : null;
}

/** Finding one's way: long lists, search, the page tree, one's communities, notifications. */
describe("finding things", () => {
  let instance: BrowserInstance;
  let origin: string;
  let request: Requester;
  let ada: Person;
  let bruno: Person;
  let brunosThread: string;
  let context: BrowserContext;

  beforeAll(async () => {
    instance = await startBrowserInstance("127.0.11.1");
    origin = instance.origin;
    request = requester(origin, (req) => fetch(req));
    ada = await signUpWith(request, "ada", { displayName: "Ada Mensah" });
    bruno = await signUpWith(request, "bruno", { displayName: "Bruno Diallo" });
    const as = (person: Person) => (path: string, body: Record<string, unknown>) =>
      request("POST", `/api/v1${path}`, { token: person.token, body });
    for (const [slug, name, privacy] of [
      ["library", "Social protection library", "open"],
      ["council", "Evaluation council", "semi_private"],
      ["garden", "Community gardens", "open"],
    ]) {
      expect((await as(ada)("/communities", { slug, name, privacy })).status).toBe(201);
    }
    for (let n = 1; n <= 60; n++) {
      const posted = await as(ada)("/communities/library/discussions", {
        title: discussionTitle(n),
        content: "Notes from the round.",
      });
      expect(posted.status).toBe(201);
    }
    await as(ada)("/communities/library/discussions", {
      title: "Flamingo registries",
      content: "A rare word: quetzalcoatl appears only here.",
    });
    const handbook = await as(ada)("/communities/library/pages", {
      title: "Handbook",
      content: "Where to start.",
    });
    const targeting = await as(ada)("/communities/library/pages", {
      title: "Targeting methods",
      content: "Proxy means tests.",
      parent: handbook.body.id,
    });
    await as(ada)("/communities/library/pages", {
      title: "Community-based targeting",
      content: "Villages decide.",
      parent: targeting.body.id,
    });
    await as(ada)("/communities/library/pages", { title: "Glossary", content: "Words." });

    expect((await as(bruno)("/communities/library/join", {})).status).toBeLessThan(300);
    const asked = await as(bruno)("/communities/council/join", { message: "Hello" });
    expect(asked.status).toBeLessThan(300);
    const thread = await as(bruno)("/communities/library/discussions", {
      title: "Who has evaluated cash plus?",
      content: "Looking for reports.",
    });
    brunosThread = thread.body.id;
    await as(ada)(`/posts/${brunosThread}/comments`, { content: "Ghana did, in 2024." });
  }, 240_000);
  afterAll(async () => {
    await instance?.close();
    await killLaunched();
  });
  afterEach(async () => {
    await context?.close();
  });

  async function open(path: string, person?: Person): Promise<Page> {
    context = await instance.browser.newContext({ locale: "en-GB" });
    if (person) {
      await context.addCookies([{ name: "praxis_session", value: person.token, url: origin }]);
    }
    const page = await context.newPage();
    await page.goto(`${origin}${path}`);
    await page.locator("main[aria-busy=false]").waitFor();
    return page;
  }

  it("reaches every one of 60 discussions through More, without JavaScript", async () => {
    const seen = new Set<string>();
    let path: string | null = "/c/library/discussions";
    let pages = 0;
    while (path) {
      const { status, html } = await pageWithoutScript(origin, path);
      expect(status).toBe(200);
      for (const match of mainText(html).matchAll(/Targeting round \d\d/g)) seen.add(match[0]);
      const next = moreLinkIn(html);
      const url: URL | null = next ? new URL(next, new URL(path, origin)) : null;
      path = url ? `${url.pathname}${url.search}` : null;
      pages++;
    }
    expect(pages).toBeGreaterThan(1);
    expect(seen.size).toBe(60);
    expect(seen.has(discussionTitle(1))).toBe(true);
  });

  it("adds the next discussions below the first ones when More is clicked", async () => {
    const page = await open("/c/library/discussions");
    const titles = page.locator("main .cards h3 a");
    expect(await titles.count()).toBe(50);
    const more = page.getByRole("link", { name: en("more.items") });
    while (await more.isVisible()) {
      const before = await titles.count();
      await more.click();
      await page.waitForFunction(
        (count) => document.querySelectorAll("main .cards h3 a").length > count,
        before,
      );
    }
    const all = await titles.allTextContents();
    expect(new Set(all.filter((title) => title.startsWith("Targeting round"))).size).toBe(60);
    // Added in place: the address never moved on to a later page.
    expect(new URL(page.url()).search).toBe("");
    await screenshot(page, "discussions-more");
  });

  it("finds a discussion by a word in it, without JavaScript and in the browser", async () => {
    const { status, html } = await pageWithoutScript(origin, "/search?q=quetzalcoatl");
    expect(status).toBe(200);
    const text = mainText(html);
    expect(text).toContain("Flamingo registries");
    expect(text).not.toContain("Targeting round");
    expect(html).toMatch(/<form[^>]*method="get"[^>]*action="\/search"/);

    const page = await open("/");
    await page.getByRole("link", { name: en("nav.search") }).click();
    await page.locator("#search-q").fill("quetzalcoatl");
    await page.getByRole("button", { name: en("search.button") }).click();
    await page.getByRole("link", { name: "Flamingo registries" }).click();
    await page.waitForURL(/\/posts\/[\w-]+$/);
    expect(await page.locator("h1").textContent()).toBe("Flamingo registries");
  });

  it("shows the resource pages as a tree, each under its parent", async () => {
    const page = await open("/c/library/pages");
    const tree = page.locator("nav.page-tree");
    const top = tree.locator(":scope > ul > li");
    expect(await top.locator(":scope > a").allTextContents()).toEqual(["Glossary", "Handbook"]);
    const handbook = top.filter({ has: page.locator(":scope > a", { hasText: "Handbook" }) });
    const child = handbook.locator(":scope > ul > li");
    expect(await child.locator(":scope > a").allTextContents()).toEqual(["Targeting methods"]);
    expect(await child.locator(":scope > ul > li > a").allTextContents()).toEqual([
      "Community-based targeting",
    ]);
    await screenshot(page, "page-tree");

    const { html } = await pageWithoutScript(origin, "/c/library/pages");
    expect(html).toMatch(/Handbook<\/bdi><\/a><ul><li><a[^>]*><bdi>Targeting methods/);
  });

  it("lists exactly the communities the person is a member of", async () => {
    const answer = await request("GET", "/api/v1/me/communities", { token: bruno.token });
    expect(answer.status).toBe(200);
    expect(answer.body.items.map((c: { ref: string }) => c.ref)).toEqual(["library"]);

    const page = await open("/", bruno);
    await page.getByRole("link", { name: en("nav.mine") }).click();
    await page.waitForURL(`${origin}/my-communities`);
    await page.locator("main[aria-busy=false] h1").waitFor();
    expect(await page.locator("main .cards h2").allTextContents()).toEqual([
      "Social protection library",
    ]);
    const adas = await request("GET", "/api/v1/me/communities", { token: ada.token });
    expect(adas.body.items.map((c: { ref: string }) => c.ref).sort()).toEqual([
      "council",
      "garden",
      "library",
    ]);
  });

  it("says who and where a notification comes from, opens its target and marks it read", async () => {
    const page = await open("/notifications", bruno);
    const item = page.locator("main .cards li", { hasText: en("notifications.kinds.reply") });
    await item.waitFor();
    const text = await item.textContent();
    expect(text).toContain("Ada Mensah");
    expect(text).toContain("Social protection library");
    await screenshot(page, "notifications-who-where");
    await item.getByRole("link").click();
    await page.waitForURL(`${origin}/posts/${brunosThread}`);
    expect(await page.locator("h1").textContent()).toBe("Who has evaluated cash plus?");
    const after = await request("GET", "/api/v1/notifications", { token: bruno.token });
    const reply = after.body.items.find((n: { kind: string }) => n.kind === "reply");
    expect(reply).toMatchObject({
      read: true,
      actor: { displayName: "Ada Mensah" },
      place: { ref: "library", name: "Social protection library" },
      target: `/posts/${brunosThread}`,
    });
  });
});
