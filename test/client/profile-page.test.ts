import type { BrowserContext } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { seriousAxeProblems } from "../support/axe.ts";
import { type BrowserInstance, startBrowserInstance } from "../support/browser.ts";
import { type Person, type Requester, requester, signUpWith } from "../support/client.ts";
import { killLaunched } from "../support/process.ts";

/** A person's page and the finder of resource people, in the browser (issue 17). */
describe("profile pages and the finder of people", () => {
  let instance: BrowserInstance;
  let request: Requester;
  let seeker: Person;
  let context: BrowserContext | undefined;

  async function pageAs(person: Person | null, options: { locale: string; javaScript: boolean }) {
    context = await instance.browser.newContext({
      locale: options.locale,
      javaScriptEnabled: options.javaScript,
      // axe is injected as a script, which the pages' policy rightly refuses.
      bypassCSP: true,
    });
    if (person) {
      await context.addCookies([
        { name: "praxis_session", value: person.token, url: instance.origin },
      ]);
    }
    return context.newPage();
  }

  beforeAll(async () => {
    instance = await startBrowserInstance("127.0.20.10");
    request = requester(instance.origin, (req) => fetch(req));
    await signUpWith(request, "steward");
    const bob = await signUpWith(request, "bob", {
      displayName: "بوب الخبير",
      profession: "Social worker",
      country: "Jordan",
    });
    await request("PATCH", "/api/v1/me", {
      token: bob.token,
      body: {
        bio: "أعمل في حماية الطفل منذ عشر سنوات.",
        languages: ["ar", "en"],
        expertise: ["child protection"],
        resourcePerson: true,
      },
    });
    const other = await signUpWith(request, "carla", { country: "Brazil" });
    await request("PATCH", "/api/v1/me", {
      token: other.token,
      body: { expertise: ["child protection"], resourcePerson: true },
    });
    seeker = await signUpWith(request, "seeker");
  }, 180_000);

  afterEach(async () => {
    await context?.close();
  });

  afterAll(async () => {
    await instance?.close();
    await killLaunched();
  });

  for (const locale of ["en", "ar"]) {
    it(`shows /@bob in ${locale}, each piece of his text in its own direction`, async () => {
      const page = await pageAs(null, { locale, javaScript: true });
      const answer = await page.goto(`${instance.origin}/@bob`);
      expect(answer?.status()).toBe(200);
      await expect.poll(() => page.locator("h1 bdi").textContent()).toBe("بوب الخبير");
      expect(await page.locator("html").getAttribute("dir")).toBe(locale === "ar" ? "rtl" : "ltr");
      expect(await page.locator(".bio p").getAttribute("dir")).toBe("auto");
      expect(await page.locator(".facts").textContent()).toContain("child protection");
      expect(await page.locator(".facts").textContent()).toContain("Jordan");
      expect(await seriousAxeProblems(page)).toEqual([]);
    });
  }

  it("answers an unknown person's page with 404", async () => {
    const page = await pageAs(null, { locale: "en", javaScript: false });
    expect((await page.goto(`${instance.origin}/@nobody`))?.status()).toBe(404);
  });

  it("finds a resource person by expertise and country, without JavaScript", async () => {
    const page = await pageAs(seeker, { locale: "en", javaScript: false });
    await page.goto(`${instance.origin}/`);
    await page.getByRole("navigation").getByRole("link", { name: "People" }).click();
    await page.waitForURL(/\/people$/);
    await page.getByLabel("Expertise").fill("Child Protection");
    await page.getByLabel("Country").fill("jordan");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/expertise=/);
    const cards = page.locator(".person");
    expect(await cards.count()).toBe(1);
    expect(await cards.first().textContent()).toContain("بوب الخبير");
    await cards.first().getByRole("link").click();
    await page.waitForURL(/\/@bob@/);
    expect(await page.locator(".bio").textContent()).toContain("حماية الطفل");
  });

  it("draws the finder's results accessibly with JavaScript on", async () => {
    const page = await pageAs(seeker, { locale: "en", javaScript: true });
    await page.goto(`${instance.origin}/people?expertise=child+protection`);
    await expect.poll(() => page.locator(".person").count()).toBe(2);
    expect(await seriousAxeProblems(page)).toEqual([]);
  });
});
