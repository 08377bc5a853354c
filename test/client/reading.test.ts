import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousAxeProblems } from "../support/axe.ts";
import { type BrowserInstance, screenshot, startBrowserInstance } from "../support/browser.ts";
import { requester, signUpWith } from "../support/client.ts";
import { killLaunched } from "../support/process.ts";

const budgetBytes = 100 * 1024;

/** Reading Praxis: without JavaScript, in Arabic, with assistive technology, on a small budget. */
describe("reading communities in the browser", () => {
  let instance: BrowserInstance;
  let threadId: string;

  beforeAll(async () => {
    instance = await startBrowserInstance("127.0.0.11");
    const request = requester(instance.origin, (req) => fetch(req));
    const admin = await signUpWith(request, "hubadmin");
    for (const [slug, name, privacy] of [
      ["commons", "Cash transfer commons", "open"],
      ["circle", "Evaluation circle", "semi_private"],
    ]) {
      await request("POST", "/api/v1/communities", {
        token: admin.token,
        body: { slug, name, summary: `About ${name}`, privacy, eligibility: "Evaluators" },
      });
    }
    const thread = await request("POST", "/api/v1/communities/commons/discussions", {
      token: admin.token,
      body: { title: "Targeting in Malawi", content: "What did the **evaluation** find?" },
    });
    threadId = thread.body.id;
    await request("POST", `/api/v1/posts/${threadId}/comments`, {
      token: admin.token,
      body: { content: "Exclusion errors fell by a third." },
    });
  }, 120_000);
  afterAll(async () => {
    await instance?.close();
    await killLaunched();
  });

  it("shows an open community and its thread with JavaScript turned off", async () => {
    const context = await instance.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${instance.origin}/c/commons`);
    await page.getByRole("link", { name: "Targeting in Malawi" }).click();
    await page.getByText("Exclusion errors fell by a third.").waitFor();
    expect(await page.locator(".prose strong").first().textContent()).toBe("evaluation");
    await screenshot(page, "thread-without-javascript");
    const actorPage = await page.goto(`${instance.origin}/actors/commons`);
    expect(actorPage?.headers()["content-type"]).toContain("text/html");
    expect(await page.locator("h1").textContent()).toBe("Cash transfer commons");
    expect(await page.locator('meta[property="og:title"]').getAttribute("content")).toContain(
      "Cash transfer commons",
    );
    await context.close();
  });

  it("lays Arabic out right to left and switches language from any page", async () => {
    const context = await instance.browser.newContext({
      extraHTTPHeaders: { "accept-language": "ar" },
      viewport: { width: 390, height: 800 },
    });
    const page = await context.newPage();
    await page.goto(`${instance.origin}/c/commons`);
    expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
    expect(await page.locator("html").getAttribute("lang")).toBe("ar");
    expect(await page.getByRole("link", { name: "النقاشات" }).count()).toBe(1);
    const brand = await page.locator(".brand").boundingBox();
    expect(brand?.x ?? 0).toBeGreaterThan(390 / 2);
    await screenshot(page, "community-arabic-phone");
    await page.locator("#language").selectOption("fr");
    await page.waitForURL(`${instance.origin}/c/commons`);
    await page.getByRole("link", { name: "Discussions" }).waitFor();
    expect(await page.locator("html").getAttribute("dir")).toBe("ltr");
    expect(await page.locator("html").getAttribute("lang")).toBe("fr");
    await context.close();
  });

  it("finds no serious or critical accessibility problem on the main pages", async () => {
    // axe is injected as a script, which the pages' own policy rightly refuses.
    const page = await (await instance.browser.newContext({ bypassCSP: true })).newPage();
    const paths = [
      "/",
      "/c/commons",
      "/c/commons/about",
      "/c/circle",
      `/posts/${threadId}`,
      "/signin",
      "/register",
    ];
    const problems: string[] = [];
    for (const path of paths) {
      await page.goto(`${instance.origin}${path}`);
      await page.locator("main[aria-busy=false]").waitFor();
      const found = await seriousAxeProblems(page);
      problems.push(...found.map((problem) => `${path} ${problem}`));
    }
    expect(problems).toEqual([]);
  });

  it("keeps a community page's first-load JavaScript within 100 KB compressed", async () => {
    const page = await (await instance.browser.newContext()).newPage();
    const scripts: Promise<number>[] = [];
    page.on("response", (response) => {
      if (response.request().resourceType() === "script") {
        scripts.push(response.body().then((body) => gzipSync(body).byteLength));
      }
    });
    await page.goto(`${instance.origin}/c/commons`, { waitUntil: "networkidle" });
    const sizes = await Promise.all(scripts);
    const total = sizes.reduce((sum, size) => sum + size, 0);
    console.info(
      `first-load JavaScript of a community page: ${(total / 1024).toFixed(1)} KB gzip in ${sizes.length} file(s)`,
    );
    expect(sizes.length).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(budgetBytes);
  });
});
