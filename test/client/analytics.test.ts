import { readFile } from "node:fs/promises";
import type { BrowserContext } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { seriousAxeProblems } from "../support/axe.ts";
import { type BrowserInstance, screenshot, startBrowserInstance } from "../support/browser.ts";
import { type Person, requester, signUpWith } from "../support/client.ts";
import { killLaunched } from "../support/process.ts";

/** The built files of the analytics screen and of its chart library, from Vite's manifest. */
async function analyticsFiles(): Promise<{ screen: string; chart: string }> {
  const manifest = JSON.parse(await readFile("dist/client/.vite/manifest.json", "utf8")) as Record<
    string,
    { file: string }
  >;
  const fileOf = (source: string) => {
    const file = manifest[source]?.file;
    if (!file) throw new Error(`${source} is not in the build: run npm run build:client`);
    return `/${file}`;
  };
  return { screen: fileOf("routes/analytics.tsx"), chart: fileOf("routes/analytics-chart.ts") };
}

/** The analytics screens in a real browser: charts drawn there, and nowhere else loaded. */
describe("analytics screens in the browser", () => {
  let instance: BrowserInstance;
  let admin: Person;
  let facilitator: Person;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    instance = await startBrowserInstance("127.0.12.11");
    const request = requester(instance.origin, (req) => fetch(req));
    admin = await signUpWith(request, "hubadmin");
    facilitator = await signUpWith(request, "facilitator", { country: "Kenya" });
    await request("POST", "/api/v1/communities", {
      token: facilitator.token,
      body: { slug: "commons", name: "Cash transfer commons", summary: "", privacy: "open" },
    });
    await request("POST", "/api/v1/communities/commons/discussions", {
      token: facilitator.token,
      body: { title: "Targeting in Malawi", content: "What did the evaluation find?" },
    });
  }, 120_000);
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });
  afterAll(async () => {
    await instance?.close();
    await killLaunched();
  });

  /**
   * A page signed in as `person`, recording the path of every file it asks for and what the
   * pages' security policy refused. With `axe`, the policy is bypassed: axe is injected as a
   * script, which the policy rightly refuses.
   */
  async function pageAs(person: Person, { axe = false } = {}) {
    context = await instance.browser.newContext({ locale: "en-GB", bypassCSP: axe });
    if (person) {
      await context.addCookies([
        { name: "praxis_session", value: person.token, url: instance.origin },
      ]);
    }
    const page = await context.newPage();
    const asked: string[] = [];
    page.on("request", (request) => asked.push(new URL(request.url()).pathname));
    const refused: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    return { page, asked, refused };
  }

  it("draws a community's charts for its admin, with every table downloadable as CSV", async () => {
    const { chart } = await analyticsFiles();
    const { page, asked } = await pageAs(facilitator, { axe: true });
    await page.goto(`${instance.origin}/c/commons/analytics`);
    await page.getByRole("heading", { name: "Analytics: Cash transfer commons" }).waitFor();
    await page.locator(".chart canvas").nth(1).waitFor();
    expect(await page.locator(".chart canvas").count()).toBe(2);
    expect(asked).toContain(chart);
    const members = page.getByRole("region", { name: "Members by country" });
    expect(await members.getByRole("columnheader").allTextContents()).toEqual([
      "Country",
      "Members",
      "Active members",
    ]);
    expect(await seriousAxeProblems(page)).toEqual([]);
    await screenshot(page, "community-analytics");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("region", { name: "Per month" }).getByRole("link").click(),
    ]);
    const csv = await readFile(await download.path());
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.subarray(3).toString("utf8").split("\r\n")[0]).toBe("Month,Posts,Comments");
  });

  it("draws the instance's charts within the pages' security policy, and lists every community", async () => {
    const { page, refused } = await pageAs(admin);
    await page.goto(`${instance.origin}/admin/analytics`);
    await page.locator(".chart canvas").nth(1).waitFor();
    const communities = page.getByRole("region", { name: "Communities" });
    expect(await communities.getByRole("cell", { name: "Cash transfer commons" }).count()).toBe(1);
    expect(refused).toEqual([]);
    await screenshot(page, "instance-analytics");
  });

  it("keeps the analytics screen and its chart library out of a community page's first load", async () => {
    const { screen, chart } = await analyticsFiles();
    const { page, asked } = await pageAs(facilitator);
    await page.goto(`${instance.origin}/c/commons`, { waitUntil: "networkidle" });
    expect(asked.filter((path) => path.startsWith("/assets/")).length).toBeGreaterThan(0);
    expect(asked).not.toContain(chart);
    expect(asked).not.toContain(screen);
  });
});
