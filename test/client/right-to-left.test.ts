import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserInstance, screenshot, startBrowserInstance } from "../support/browser.ts";
import { type Person, requester, signUpWith } from "../support/client.ts";
import { killLaunched } from "../support/process.ts";
import { pageAs } from "../support/signed-in-page.ts";

/** Latin text with punctuation at its end: what lands on the wrong side when not isolated. */
const authorName = "Bob (UNICEF)";
const communityName = "Cash transfers, West Africa!";
const confidentFrench = "Bonjour à tous, merci de partager vos notes avant vendredi prochain.";

/**
 * Whether each element of `page` whose own text contains `text` sits inside an isolate: a
 * `<bdi>`, or an element with its own `dir`, below the page's root (which sets the page's).
 */
async function isolated(page: Page, text: string): Promise<boolean[]> {
  return page.evaluate((wanted) => {
    const holders: Element[] = [];
    const walker = document.createTreeWalker(document.querySelector("main") ?? document.body, 4);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.textContent?.includes(wanted) && node.parentElement)
        holders.push(node.parentElement);
    }
    return holders.map((holder) => {
      for (let at: Element | null = holder; at && at.tagName !== "MAIN"; at = at.parentElement) {
        if (at.tagName === "BDI" || at.hasAttribute("dir")) return true;
      }
      return false;
    });
  }, text);
}

/** User text and direction on Arabic pages, and a post's language shown only when known. */
describe("right to left, and a post's language", () => {
  let instance: BrowserInstance;
  let bob: Person;
  let englishThread: string;
  let frenchThread: string;
  const request = (...args: Parameters<ReturnType<typeof requester>>) =>
    requester(instance.origin, (req) => fetch(req))(...args);

  beforeAll(async () => {
    instance = await startBrowserInstance("127.0.26.1");
    bob = await signUpWith(request, "bob", { displayName: authorName });
    const created = await request("POST", "/api/v1/communities", {
      token: bob.token,
      body: { slug: "cash", name: communityName, summary: "Notes.", privacy: "open" },
    });
    expect(created.status).toBe(201);
    const post = async (title: string, content: string) => {
      const answer = await request("POST", "/api/v1/communities/cash/discussions", {
        token: bob.token,
        body: { title, content },
      });
      expect(answer.status).toBe(201);
      return answer.body.id as string;
    };
    // tinyld reads these English words as Dutch or Estonian, with little confidence.
    englishThread = await post(
      "Social protection floors in West Africa",
      "Child protection case management training materials",
    );
    frenchThread = await post("Réunion de vendredi", confidentFrench);
    const comment = await request("POST", `/api/v1/posts/${englishThread}/comments`, {
      token: bob.token,
      body: { content: "Thanks, see you there!" },
    });
    expect(comment.status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await instance?.close();
    await killLaunched();
  });

  it("isolates every piece of user text on an Arabic thread page", async () => {
    const page = await pageAs(
      instance.browser,
      instance.origin,
      bob,
      `/posts/${englishThread}`,
      "ar",
    );
    await screenshot(page, "right-to-left-thread-ar");
    for (const text of [authorName, "Social protection floors in West Africa", "Thanks, see you"]) {
      const holders = await isolated(page, text);
      expect(holders.length, text).toBeGreaterThan(0);
      expect(holders, text).not.toContain(false);
    }
    await page.context().close();
  });

  it("points the back arrow the way Arabic reads, and keeps it pointing left in English", async () => {
    const flipOf = async (locale: "ar" | "en") => {
      const page = await pageAs(
        instance.browser,
        instance.origin,
        bob,
        `/posts/${englishThread}`,
        locale,
      );
      const transform = await page
        .locator("a.back .mirrored")
        .evaluate((arrow) => getComputedStyle(arrow).transform);
      await page.context().close();
      return transform;
    };
    expect(await flipOf("ar")).toMatch(/^matrix\(-1,/);
    expect(await flipOf("en")).toBe("none");
  });

  it("names a post's language only when it is known, in the reader's language", async () => {
    const page = await pageAs(instance.browser, instance.origin, bob, "/c/cash", "ar");
    const metaOf = (title: string) =>
      page.locator("li.card", { hasText: title }).locator("p.meta").first().innerText();
    expect(await metaOf("Réunion de vendredi")).toContain("الفرنسية");
    const uncertain = await metaOf("Social protection floors");
    for (const guess of ["الهولندية", "الإستونية", "الإنجليزية"])
      expect(uncertain).not.toContain(guess);
    await page.context().close();
  });

  it("lets the author set a post's language", async () => {
    const page = await pageAs(instance.browser, instance.origin, bob, "/c/cash/discussions", "en");
    await page.locator("#discussions-title").fill("Floors and ceilings");
    await page.locator("#discussions-content").fill("Short note.");
    await page.locator("#discussions-language").selectOption("en");
    await page
      .locator("#discussions-content")
      .locator("xpath=ancestor::form")
      .locator("button[type=submit]")
      .click();
    await page.locator("li.card", { hasText: "Floors and ceilings" }).waitFor();
    const list = await request("GET", "/api/v1/communities/cash/discussions", { token: bob.token });
    const written = list.body.items.find(
      (item: { title: string }) => item.title === "Floors and ceilings",
    );
    expect(written.language).toBe("en");
    await page.context().close();
  });

  it("says which zone a server-drawn time is in", async () => {
    const answer = await fetch(`${instance.origin}/posts/${frenchThread}`, {
      headers: { "accept-language": "fr" },
    });
    const html = await answer.text();
    expect(html).toMatch(/<time[^>]*>[^<]*UTC[^<]*<\/time>/);
  });
});
