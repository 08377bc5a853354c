import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locale } from "../../client/i18n.ts";
import { seriousAxeProblems } from "../support/axe.ts";
import { type BrowserInstance, screenshot, startBrowserInstance } from "../support/browser.ts";
import { type Person, requester, signUpWith } from "../support/client.ts";
import { pageAs } from "../support/signed-in-page.ts";
import { wordsIn } from "../support/words.ts";

/**
 * The instance administrator approves a registration and blocks a domain from the browser, in
 * English and in Arabic; anyone else gets no administration screen and no link to one.
 */
describe("the instance administrator's screens", () => {
  let instance: BrowserInstance;
  let admin: Person;
  let member: Person;
  const request = (...args: Parameters<ReturnType<typeof requester>>) =>
    requester(instance.origin, (req) => fetch(req))(...args);
  const stateOf = async (username: string) => {
    const page = await request("GET", "/api/v1/admin/accounts?state=active&limit=100", {
      token: admin.token,
    });
    return page.body.items.some((account: { username: string }) => account.username === username)
      ? "active"
      : "pending";
  };

  beforeAll(async () => {
    instance = await startBrowserInstance("127.0.23.2", { REGISTRATION_MODE: "approval" });
    admin = await signUpWith(request, "amina");
    // Approval mode: the second account waits, so it is made active by the administrator here.
    const waiting = await request("POST", "/api/v1/accounts", {
      body: { username: "bruno", email: "bruno@example.org", password: "a long enough password" },
    });
    await request("POST", `/api/v1/admin/accounts/${waiting.body.id}/approve`, {
      token: admin.token,
    });
    const session = await request("POST", "/api/v1/sessions", {
      body: { login: "bruno", password: "a long enough password" },
    });
    member = { id: waiting.body.id, username: "bruno", token: session.body.token };
  }, 120_000);
  afterAll(() => instance?.close());

  for (const locale of ["en", "ar"] as const satisfies Locale[]) {
    it(`approves a registration and blocks a domain, in ${locale}`, {
      timeout: 60_000,
    }, async () => {
      const t = wordsIn(locale);
      const newcomer = `newcomer_${locale}`;
      const registered = await request("POST", "/api/v1/accounts", {
        body: {
          username: newcomer,
          email: `${newcomer}@example.org`,
          password: "a long enough password",
        },
      });
      expect(registered.body.state).toBe("pending");

      const page = await pageAs(instance.browser, instance.origin, admin, "/admin", locale, {
        bypassCSP: true,
      });
      page.setDefaultTimeout(8000);
      expect(await seriousAxeProblems(page)).toEqual([]);
      await page.getByRole("link", { name: t("instanceAdmin.registrations.title") }).click();
      await page.getByRole("heading", { name: t("instanceAdmin.registrations.title") }).waitFor();
      expect(await seriousAxeProblems(page)).toEqual([]);
      const card = page.locator("li.card", { hasText: newcomer });
      await card.getByRole("button", { name: t("instanceAdmin.registrations.approve") }).click();
      const asked = card.getByRole("group", {
        name: t("instanceAdmin.registrations.approveQuestion", { name: newcomer }),
      });
      await asked.getByRole("button", { name: t("instanceAdmin.registrations.approve") }).click();
      await card.waitFor({ state: "detached" });
      expect(await stateOf(newcomer)).toBe("active");

      const domain = `spam-${locale}.example`;
      await page.goto(`${instance.origin}/admin/domain-blocks`);
      await page.locator("main[aria-busy=false]").waitFor();
      await page.waitForFunction(
        () => performance.getEntriesByName("praxis:interactive").length > 0,
      );
      await page.getByLabel(t("instanceAdmin.domains.domain")).fill(domain);
      await page.getByLabel(t("instanceAdmin.domains.reason")).fill("Floods us with spam");
      await page.getByRole("button", { name: t("instanceAdmin.domains.add") }).click();
      await page.locator("li.card", { hasText: domain }).waitFor();
      expect(await page.getByText(t("instanceAdmin.domains.allowlistNone")).count()).toBe(1);
      expect(await seriousAxeProblems(page)).toEqual([]);
      await screenshot(page, `admin-domain-blocks-${locale}`);
      const blocks = await request("GET", "/api/v1/admin/domain-blocks", { token: admin.token });
      expect(blocks.body.items).toContainEqual(
        expect.objectContaining({ domain, reason: "Floods us with spam" }),
      );

      // Both decisions are in the instance's audit log, said in the reader's language.
      await page.goto(`${instance.origin}/admin/audit`);
      await page.getByRole("heading", { name: t("instanceAdmin.audit.title") }).waitFor();
      await page.getByText(domain).first().waitFor();
      expect(await seriousAxeProblems(page)).toEqual([]);
      await page.context().close();
    });
  }

  it("gives anyone else no administration screen and no link to one", async () => {
    const t = wordsIn("en");
    const page = await pageAs(instance.browser, instance.origin, member, "/admin");
    page.setDefaultTimeout(8000);
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("heading", { name: t("instanceAdmin.title") }).count()).toBe(0);
    expect(await page.locator('header a[href="/admin"]').count()).toBe(0);
    for (const path of ["/admin/accounts", "/admin/domain-blocks", "/admin/instance"]) {
      await page.goto(`${instance.origin}${path}`);
      await page.getByRole("alert").waitFor();
      expect(await page.locator("main form").count()).toBe(0);
    }
    await page.context().close();
  });
});
