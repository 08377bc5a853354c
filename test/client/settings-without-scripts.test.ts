import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locale } from "../../client/i18n.ts";
import { seriousAxeProblems } from "../support/axe.ts";
import { type BrowserInstance, screenshot, startBrowserInstance } from "../support/browser.ts";
import { type Person, requester, signUpWith, testPassword } from "../support/client.ts";
import { killLaunched } from "../support/process.ts";
import { pageAs, pageWithoutScriptsAs } from "../support/signed-in-page.ts";
import { type SmtpCatcher, startSmtpCatcher } from "../support/smtp-catcher.ts";
import { wordsIn } from "../support/words.ts";

const stepTimeout = 90_000;
const en = wordsIn("en");
const ar = wordsIn("ar");

/**
 * The /settings screen without JavaScript (issue 18): drawn on the server, each of its forms
 * a plain post that comes back to the screen with what happened, in the reader's language;
 * and the same forms, hydrated, as before.
 */
describe("the settings screen without scripts", () => {
  let instance: BrowserInstance;
  let smtp: SmtpCatcher;
  let owner: Person;
  let layla: Person;
  const request = (...args: Parameters<ReturnType<typeof requester>>) =>
    requester(instance.origin, (req) => fetch(req))(...args);

  const openWithoutScripts = (person: Person, path: string, locale?: Locale) =>
    pageWithoutScriptsAs(instance.browser, instance.origin, person, path, locale);
  const submit = (page: Page, name: string) =>
    page.getByRole("button", { name, exact: true }).click();
  const signIn = (password: string) =>
    request("POST", "/api/v1/sessions", { body: { login: "layla", password } });

  beforeAll(async () => {
    smtp = await startSmtpCatcher("127.0.50.1");
    instance = await startBrowserInstance("127.0.50.2", {
      SMTP_URL: smtp.url,
      MAIL_FROM: "Praxis <hello@praxis.test>",
    });
    owner = await signUpWith(request, "steward");
    layla = await signUpWith(request, "layla", { displayName: "Layla" });
    await request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "care", name: "Care leavers", privacy: "open" },
    });
    await request("POST", "/api/v1/communities/care/join", { token: layla.token, body: {} });
  }, 180_000);

  afterAll(async () => {
    await instance?.close();
    await smtp?.close();
    await killLaunched();
  });

  it("draws the screen on the server, each form posting to a page route", async () => {
    const page = await (
      await fetch(`${instance.origin}/settings`, {
        headers: { cookie: `praxis_session=${layla.token}` },
      })
    ).text();
    for (const action of ["/settings", "/settings/password", "/settings/email"]) {
      expect(page).toContain(`method="post" action="${action}"`);
    }
    expect(page).not.toContain(`<p>${en("loading")}</p>`);
    // Signed out, the prompt to sign in.
    expect(await (await fetch(`${instance.origin}/settings`)).text()).toContain(
      en("account.signInFirst"),
    );
  });

  it("does nothing with a settings post another site made the browser send", async () => {
    const answer = await fetch(`${instance.origin}/settings`, {
      method: "POST",
      body: new URLSearchParams({ displayName: "Hijacked", locale: "en" }),
      headers: { cookie: `praxis_session=${layla.token}`, origin: "https://evil.example" },
      redirect: "manual",
    });
    expect(answer.status).toBe(303);
    expect(answer.headers.get("location")).toBe("/settings");
    const me = await request("GET", "/api/v1/me", { token: layla.token });
    expect(me.body.displayName).toBe("Layla");
  });

  it(
    "changes the display name, the password and the address with plain forms",
    async () => {
      const page = await openWithoutScripts(layla, "/settings");
      await page.locator("#displayName").fill("Layla H.");
      await submit(page, en("account.save"));
      await page.waitForURL(/\/settings\?saved=1$/);
      await page.getByText(en("account.saved")).waitFor();
      const me = await request("GET", "/api/v1/me", { token: layla.token });
      expect(me.body.displayName).toBe("Layla H.");

      const newPassword = "a brand new long password";
      await page.locator("#current-password").fill(testPassword);
      await page.locator("#changed-password").fill(newPassword);
      await submit(page, en("account.changePassword"));
      await page.waitForURL(/\/settings\?changed=password$/);
      await page.getByText(en("account.passwordChanged")).waitFor();
      expect((await signIn(testPassword)).status).toBe(401);
      const signedIn = await signIn(newPassword);
      expect(signedIn.status).toBe(200);
      layla = { ...layla, token: signedIn.body.token };

      await page.locator("#new-email").fill("layla@new.example.org");
      await page.locator("#email-password").fill(newPassword);
      await submit(page, en("account.changeEmail"));
      // The address waiting for its confirmation is read from the account, never from the URL.
      await page.waitForURL(/\/settings$/);
      await page
        .getByText(en("account.emailPending", { email: "layla@new.example.org" }))
        .waitFor();
      await page.reload();
      await page
        .getByText(en("account.emailPending", { email: "layla@new.example.org" }))
        .waitFor();
      const mail = await smtp.nextTo("layla@new.example.org");
      expect(mail.text).toContain("/confirm-email/");
      await page.context().close();
    },
    stepTimeout,
  );

  it(
    "asks for the password before deleting the account, and refuses a wrong one",
    async () => {
      const page = await openWithoutScripts(layla, "/settings");
      expect(await page.getByRole("button", { name: en("account.deleteConfirm") }).count()).toBe(0);
      await page.getByRole("link", { name: en("account.deleteStart") }).click();
      await page.waitForURL(/\/settings\?delete=1/);
      await page.locator("#delete-password").fill("not my password");
      await submit(page, en("account.deleteConfirm"));
      await page.waitForURL(/\/settings$/);
      expect(await page.getByRole("alert").textContent()).toBeTruthy();
      expect((await request("GET", "/api/v1/me", { token: layla.token })).status).toBe(200);
      await page.context().close();
    },
    stepTimeout,
  );

  it(
    "says what was saved in Arabic, right to left",
    async () => {
      const page = await openWithoutScripts(layla, "/settings", "ar");
      expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
      await page.locator("#displayName").fill("ليلى");
      await page.locator("#locale").selectOption("ar");
      await submit(page, ar("account.save"));
      await page.waitForURL(/\/settings\?saved=1$/);
      await page.getByText(ar("account.saved")).waitFor();
      await screenshot(page, "settings-saved-without-javascript-ar");
      await page.context().close();
    },
    stepTimeout,
  );

  it(
    "asks the facilitators a question from the community's questions without scripts",
    async () => {
      const page = await openWithoutScripts(layla, "/c/care/questions");
      await page.locator("#question-body").fill("Who can help with housing?");
      await submit(page, en("questions.send"));
      await page.waitForURL(/\/c\/care\/questions\?asked=1$/);
      await page.getByText("Who can help with housing?").waitFor();
      await page.context().close();
    },
    stepTimeout,
  );

  it(
    "keeps the hydrated forms working with scripts, and the page passes axe",
    async () => {
      const page = await pageAs(instance.browser, instance.origin, layla, "/settings", "en", {
        bypassCSP: true,
      });
      expect(await seriousAxeProblems(page)).toEqual([]);
      await page.locator("#displayName").fill("Layla Haddad");
      await page.locator("#locale").selectOption("en");
      await submit(page, en("account.save"));
      await page.getByText(en("account.saved")).waitFor();
      const me = await request("GET", "/api/v1/me", { token: layla.token });
      expect(me.body.displayName).toBe("Layla Haddad");
      await page.getByRole("link", { name: en("account.deleteStart") }).click();
      await page.locator("#delete-password").waitFor();
      await page.getByRole("link", { name: en("account.cancel") }).click();
      await page.locator("#delete-password").waitFor({ state: "detached" });
      await page.context().close();
    },
    stepTimeout,
  );
});
