import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { directionOf, type Locale, locales } from "../../client/i18n.ts";
import {
  type BrowserInstance,
  register,
  screenshot,
  startBrowserInstance,
} from "../support/browser.ts";
import { killLaunched } from "../support/process.ts";
import { wordsIn } from "../support/words.ts";

/** Each language's run has its own people and community, so all share one instance. */
const journeyIn = (locale: Locale) => ({
  locale,
  t: wordsIn(locale),
  admin: `amina_${locale}`,
  member: `bruno_${locale}`,
  slug: `srsp-${locale}`,
});

async function expectLanguage(page: Page, locale: Locale): Promise<void> {
  const html = page.locator("html");
  expect(await html.getAttribute("lang")).toBe(locale);
  expect(await html.getAttribute("dir")).toBe(directionOf(locale));
}

/** The main journey of a community, in a real browser against a real server, in each language. */
describe("a semi-private community from creation to its first announcement", () => {
  let instance: BrowserInstance;

  beforeAll(async () => {
    instance = await startBrowserInstance("127.0.0.10");
  }, 120_000);
  afterAll(async () => {
    await instance?.close();
    await killLaunched();
  });

  it.each(locales)(
    "lets a newcomer create it, a second person ask to join, the admin approve and announce, and the member read, in %s",
    async (locale) => {
      const { t, admin, member, slug } = journeyIn(locale);
      const { browser, origin } = instance;
      // The newcomer's browser asks for their language; nothing else chooses it.
      const newcomer = async () => (await browser.newContext({ locale })).newPage();
      const field = (page: Page, key: string) => page.getByLabel(t(key), { exact: true });
      const adminPage = await newcomer();
      await register(adminPage, origin, admin);
      await expectLanguage(adminPage, locale);
      const create = adminPage.getByRole("link", { name: t("directory.create") });
      await create.waitFor();
      await screenshot(adminPage, `${locale}-directory-signed-in`);
      await create.click();
      await field(adminPage, "create.name").fill("Shock-responsive social protection");
      await field(adminPage, "create.slug").fill(slug);
      await field(adminPage, "create.summary").fill("Adapting safety nets to climate shocks");
      await field(adminPage, "about.overview").fill("Practitioners comparing adaptive programmes.");
      await field(adminPage, "about.purpose").fill("Share evaluations and designs.");
      await field(adminPage, "about.engagement").fill("Monthly webinars and a moderated forum.");
      await field(adminPage, "join.eligibility").fill("Work in social protection");
      await screenshot(adminPage, `${locale}-create-community`);
      await adminPage.getByRole("button", { name: t("create.submit") }).click();
      await adminPage.waitForURL(`${origin}/c/${slug}`);
      await adminPage
        .getByRole("heading", { level: 1, name: "Shock-responsive social protection" })
        .waitFor();
      await screenshot(adminPage, `${locale}-community-home`);

      const memberPage = await newcomer();
      await register(memberPage, origin, member);
      // Registering keeps the language for the account: its e-mails and other devices.
      const account = await memberPage.request.get(`${origin}/api/v1/me`);
      expect((await account.json()).locale).toBe(locale);
      await memberPage.goto(`${origin}/c/${slug}`);
      await memberPage.getByText("Work in social protection").waitFor();
      await field(memberPage, "join.messageRequired").fill(
        "I run the cash transfer programme in Kaolack.",
      );
      await memberPage.getByRole("button", { name: t("join.request") }).click();
      await memberPage.getByText(t("join.pending")).waitFor();
      await screenshot(memberPage, `${locale}-request-sent`);

      await adminPage.goto(`${origin}/c/${slug}/requests`);
      await adminPage.getByText("I run the cash transfer programme in Kaolack.").waitFor();
      await adminPage
        .getByText("Social protection officer · Ministry of Labour · Senegal")
        .waitFor();
      await screenshot(adminPage, `${locale}-pending-requests`);
      await adminPage.getByRole("button", { name: t("admin.approve"), exact: true }).click();
      await adminPage.getByText(t("admin.noRequests")).waitFor();

      const title = "First webinar on Thursday";
      await adminPage.goto(`${origin}/c/${slug}/announcements`);
      await field(adminPage, "compose.title").fill(title);
      await field(adminPage, "compose.content").fill("We start with **Kaolack's** experience.");
      await adminPage.getByRole("button", { name: t("compose.publish") }).click();
      await adminPage.getByRole("link", { name: title }).waitFor();

      await memberPage.goto(`${origin}/`);
      await expectLanguage(memberPage, locale);
      // Two unread: the approval and the announcement.
      await memberPage
        .getByRole("link", { name: `${t("nav.notifications")} (2)`, exact: true })
        .click();
      const announcement = memberPage.getByRole("link", {
        // Named by the community's name, which people read, rather than its slug.
        name: t("notifications.kinds.announcement", {
          community: "Shock-responsive social protection",
          title,
        }),
        exact: true,
      });
      await announcement.waitFor();
      await screenshot(memberPage, `${locale}-notifications`);
      await announcement.click();
      await memberPage.getByRole("heading", { level: 1, name: title }).waitFor();
      expect(await memberPage.locator(".prose strong").textContent()).toBe("Kaolack's");
      await screenshot(memberPage, `${locale}-announcement-read`);
    },
    120_000,
  );

  it("lets members share a file, schedule an event in their time zone and add a page, and admins manage", async () => {
    const { t, admin, member, slug } = journeyIn("en");
    const { browser, origin } = instance;
    const page = await (await browser.newContext({ timezoneId: "Africa/Dakar" })).newPage();
    await page.goto(`${origin}/signin`);
    await page.locator("#login").fill(admin);
    await page.locator("#password").fill("a long enough password");
    await page.locator("main form button[type=submit]").click();
    await page.locator("header.site button.link").waitFor();

    await page.goto(`${origin}/c/${slug}/files`);
    await page.locator("#file").setInputFiles({
      name: "targeting-guide.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.from("%PDF-1.4\n% guide\n"),
    });
    await page.locator("#category").fill("Guides");
    await page.locator("#private").check();
    await page.getByRole("button", { name: t("tools.upload") }).click();
    await page.getByRole("link", { name: "targeting guide" }).waitFor();
    await screenshot(page, "files");

    await page.goto(`${origin}/c/${slug}/calendar`);
    await page.locator("#event-title").fill("Peer exchange");
    await page.locator("#event-content").fill("Kenya and Senegal compare their shock triggers.");
    await page.locator("#startsAt").fill("2027-03-04T09:00");
    await page.locator("#endsAt").fill("2027-03-04T10:30");
    // The form starts in the reader's own zone.
    expect(await page.locator("#timezone").inputValue()).toBe("Africa/Dakar");
    await page.locator("#timezone").selectOption("Africa/Nairobi");
    await page.getByRole("button", { name: t("compose.publish") }).click();
    await page.getByRole("link", { name: "Peer exchange", exact: true }).waitFor();
    // 09:00 in Nairobi is 06:00 in Dakar, where this reader is.
    await page.getByText(/6:00/).waitFor();
    expect(
      await page.getByRole("link", { name: t("community.subscribe") }).getAttribute("href"),
    ).toBe(`/api/v1/communities/${slug}/events.ics`);
    await screenshot(page, "calendar");

    await page.goto(`${origin}/c/${slug}/pages`);
    await page.locator("#page-title").fill("Additional literature");
    await page.locator("#page-content").fill("Evaluations worth reading.");
    await page.getByRole("button", { name: t("compose.publish") }).click();
    await page.getByRole("link", { name: "Additional literature" }).waitFor();

    await page.goto(`${origin}/c/${slug}/members`);
    await page.locator("select[id^=role-]").selectOption("moderator");
    await page.getByText(t("audit.role_changed", { actor: admin, target: member })).waitFor();
    await page.locator("#invitee").fill("carla@example.org");
    await page.getByRole("button", { name: t("tools.sendInvitation"), exact: true }).click();
    await page.getByText(t("tools.invited", { invitee: "carla@example.org" })).waitFor();
    await page.getByText(t("audit.invitation_sent", { actor: admin })).waitFor();
    await screenshot(page, "members-admin");
    await page.getByRole("button", { name: t("tools.archive") }).click();
    await page.getByText(t("join.archived")).waitFor();
    await page.getByRole("button", { name: t("tools.reactivate") }).click();
    await page.getByRole("button", { name: t("tools.archive") }).waitFor();
  }, 120_000);
});
