import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousAxeProblems } from "../support/axe.ts";
import { type BrowserInstance, screenshot, startBrowserInstance } from "../support/browser.ts";
import { type Person, requester, signUpWith } from "../support/client.ts";
import { killLaunched } from "../support/process.ts";
import { pageAs, pageWithoutScriptsAs } from "../support/signed-in-page.ts";
import { wordsIn } from "../support/words.ts";

const en = wordsIn("en");
const ar = wordsIn("ar");

/**
 * Appointing translators on the community's settings (issue 18): an admin makes a member
 * translator and ends it, with scripts (no reload) and without (a plain form), in English and
 * Arabic; the list says who translates, the log who decided, and the appointment really lets
 * the member translate.
 */
describe("appointing translators", () => {
  let instance: BrowserInstance;
  let owner: Person;
  let karim: Person;
  let postId: string;
  const request = (...args: Parameters<ReturnType<typeof requester>>) =>
    requester(instance.origin, (req) => fetch(req))(...args);
  const rowOf = (page: Page, name: string) => page.locator("li.card", { hasText: name });
  const translate = () =>
    request("PUT", `/api/v1/posts/${postId}/translations/ar`, {
      token: karim.token,
      body: { title: "النقد مقابل العمل", content: "ترجمة" },
    });

  beforeAll(async () => {
    instance = await startBrowserInstance("127.0.51.1");
    owner = await signUpWith(request, "nadia", { displayName: "Nadia" });
    karim = await signUpWith(request, "karim", { displayName: "Karim B." });
    const lina = await signUpWith(request, "lina", { displayName: "Lina" });
    await request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "care", name: "Care leavers", privacy: "open" },
    });
    for (const person of [karim, lina]) {
      await request("POST", "/api/v1/communities/care/join", { token: person.token, body: {} });
    }
    const post = await request("POST", "/api/v1/communities/care/discussions", {
      token: owner.token,
      body: { title: "Cash for work", content: "What worked?", language: "en" },
    });
    postId = post.body.id;
  }, 180_000);

  afterAll(async () => {
    await instance?.close();
    await killLaunched();
  });

  it("lets an admin make a member translator in place, and says so in the list and the log", async () => {
    expect((await translate()).status).toBe(403);
    const page = await pageAs(instance.browser, instance.origin, owner, "/c/care/settings", "en", {
      bypassCSP: true,
    });
    await page.evaluate(() => {
      (window as unknown as { sameDocument: boolean }).sameDocument = true;
    });
    const row = rowOf(page, "Karim B.");
    expect(await row.locator(".badge").count()).toBe(0);
    await row.getByRole("button", { name: en("translators.appoint") }).click();
    await row.getByRole("button", { name: en("translators.remove") }).waitFor();
    await row.locator(".badge", { hasText: en("translators.badge") }).waitFor();
    expect(await rowOf(page, "Lina").locator(".badge").count()).toBe(0);
    await page
      .getByText(en("audit.translator_appointed", { actor: "nadia", target: "karim" }))
      .waitFor();
    // No reload: the page's own state survived the change.
    expect(await page.evaluate(() => "sameDocument" in window)).toBe(true);
    expect(await seriousAxeProblems(page)).toEqual([]);
    await screenshot(page, "translator-appointed-en");
    await page.context().close();

    const members = await request("GET", "/api/v1/communities/care/members", {
      token: owner.token,
    });
    const flags = Object.fromEntries(
      members.body.items.map((m: { account: { username: string }; translator: boolean }) => [
        m.account.username,
        m.translator,
      ]),
    );
    expect(flags).toEqual({ nadia: false, karim: true, lina: false });
    const asMember = await request("GET", "/api/v1/communities/care/members", {
      token: karim.token,
    });
    expect(asMember.body.items[0]).not.toHaveProperty("translator");
    expect((await translate()).status).toBe(200);
  });

  it("ends the appointment with a plain form when scripts are off, read in Arabic", async () => {
    const page = await pageWithoutScriptsAs(
      instance.browser,
      instance.origin,
      owner,
      "/c/care/settings",
      "ar",
    );
    const row = rowOf(page, "Karim B.");
    await row.locator(".badge", { hasText: ar("translators.badge") }).waitFor();
    await row.getByRole("button", { name: ar("translators.remove") }).click();
    await page.waitForURL(`${instance.origin}/c/care/settings`);
    await row.getByRole("button", { name: ar("translators.appoint") }).waitFor();
    expect(await row.locator(".badge").count()).toBe(0);
    await page
      .getByText(ar("audit.translator_removed", { actor: "nadia", target: "karim" }))
      .waitFor();
    await screenshot(page, "translator-removed-ar");
    await page.context().close();
    expect((await translate()).status).toBe(403);

    const withScripts = await pageAs(
      instance.browser,
      instance.origin,
      owner,
      "/c/care/settings",
      "ar",
      { bypassCSP: true },
    );
    await rowOf(withScripts, "Karim B.")
      .getByRole("button", { name: ar("translators.appoint") })
      .waitFor();
    expect(await seriousAxeProblems(withScripts)).toEqual([]);
    await withScripts.context().close();
  });
});
