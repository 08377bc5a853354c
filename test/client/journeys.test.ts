import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BrowserInstance,
  register,
  screenshot,
  startBrowserInstance,
} from "../support/browser.ts";
import { killLaunched } from "../support/process.ts";

/** The main journey of a community, in a real browser against a real server. */
describe("a semi-private community from creation to its first announcement", () => {
  let instance: BrowserInstance;

  beforeAll(async () => {
    instance = await startBrowserInstance("127.0.0.10");
  }, 120_000);
  afterAll(async () => {
    await instance?.close();
    await killLaunched();
  });

  it("lets a newcomer create it, a second person ask to join, the admin approve and announce, and the member read", async () => {
    const { browser, origin } = instance;
    const admin = await (await browser.newContext()).newPage();
    await register(admin, origin, "amina");
    await screenshot(admin, "directory-signed-in");

    await admin.getByRole("link", { name: "Create a community" }).click();
    await admin.locator("#name").fill("Shock-responsive social protection");
    await admin.locator("#slug").fill("srsp");
    await admin.locator("#summary").fill("Adapting safety nets to climate shocks");
    await admin.locator("#overview").fill("Practitioners comparing adaptive programmes.");
    await admin.locator("#purpose").fill("Share evaluations and designs.");
    await admin.locator("#engagement").fill("Monthly webinars and a moderated forum.");
    await admin.locator("#eligibility").fill("Work in social protection");
    await screenshot(admin, "create-community");
    await admin.locator("main form button[type=submit]").click();
    await admin.waitForURL(`${origin}/c/srsp`);
    await expect
      .poll(() => admin.locator("h1").textContent())
      .toBe("Shock-responsive social protection");
    await screenshot(admin, "community-home");

    const member = await (await browser.newContext()).newPage();
    await register(member, origin, "bruno");
    await member.goto(`${origin}/c/srsp`);
    await member.getByText("Work in social protection").waitFor();
    await member.locator("#join-message").fill("I run the cash transfer programme in Kaolack.");
    await member.getByRole("button", { name: "Send my request" }).click();
    await member.getByText("Your request to join is waiting for an administrator.").waitFor();
    await screenshot(member, "request-sent");

    await admin.goto(`${origin}/c/srsp/requests`);
    await admin.getByText("I run the cash transfer programme in Kaolack.").waitFor();
    await admin.getByText("Social protection officer · Ministry of Labour · Senegal").waitFor();
    await screenshot(admin, "pending-requests");
    await admin.getByRole("button", { name: "Approve", exact: true }).click();
    await admin.getByText("No request is waiting.").waitFor();

    await admin.goto(`${origin}/c/srsp/announcements`);
    await admin.locator("#announcements-title").fill("First webinar on Thursday");
    await admin.locator("#announcements-content").fill("We start with **Kaolack's** experience.");
    await admin.getByRole("button", { name: "Publish" }).click();
    await admin.getByRole("link", { name: "First webinar on Thursday" }).waitFor();

    await member.goto(`${origin}/`);
    await member.getByRole("link", { name: /Notifications \(2\)/ }).click();
    await screenshot(member, "notifications");
    await member.getByRole("link", { name: /First webinar on Thursday/ }).click();
    await member.locator("h1", { hasText: "First webinar on Thursday" }).waitFor();
    expect(await member.locator(".prose strong").textContent()).toBe("Kaolack's");
    await screenshot(member, "announcement-read");
  }, 120_000);

  it("lets members share a file, schedule an event in their time zone and add a page, and admins manage", async () => {
    const { browser, origin } = instance;
    const page = await (await browser.newContext({ timezoneId: "Africa/Dakar" })).newPage();
    await page.goto(`${origin}/signin`);
    await page.locator("#login").fill("amina");
    await page.locator("#password").fill("a long enough password");
    await page.locator("main form button[type=submit]").click();
    await page.locator("header.site button.link").waitFor();

    await page.goto(`${origin}/c/srsp/files`);
    await page.locator("#file").setInputFiles({
      name: "targeting-guide.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.from("%PDF-1.4\n% guide\n"),
    });
    await page.locator("#category").fill("Guides");
    await page.locator("#private").check();
    await page.getByRole("button", { name: "Upload" }).click();
    await page.getByRole("link", { name: "targeting guide" }).waitFor();
    await screenshot(page, "files");

    await page.goto(`${origin}/c/srsp/calendar`);
    await page.locator("#event-title").fill("Peer exchange");
    await page.locator("#event-content").fill("Kenya and Senegal compare their shock triggers.");
    await page.locator("#startsAt").fill("2027-03-04T09:00");
    await page.locator("#endsAt").fill("2027-03-04T10:30");
    await page.locator("#timezone").selectOption("Africa/Nairobi");
    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByRole("link", { name: "Peer exchange" }).waitFor();
    // 09:00 in Nairobi is 06:00 in Dakar, where this reader is.
    await page.getByText(/6:00/).waitFor();
    expect(await page.getByRole("link", { name: /Add this calendar/ }).getAttribute("href")).toBe(
      "/api/v1/communities/srsp/events.ics",
    );
    await screenshot(page, "calendar");

    await page.goto(`${origin}/c/srsp/pages`);
    await page.locator("#page-title").fill("Additional literature");
    await page.locator("#page-content").fill("Evaluations worth reading.");
    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByRole("link", { name: "Additional literature" }).waitFor();

    await page.goto(`${origin}/c/srsp/members`);
    await page.locator("select[id^=role-]").selectOption("moderator");
    await page.getByText("amina changed the role of bruno").waitFor();
    await page.locator("#invitee").fill("carla@example.org");
    await page.getByRole("button", { name: "Invite", exact: true }).click();
    await page.getByText("Invitation sent to carla@example.org.").waitFor();
    await page.getByText("amina sent an invitation").waitFor();
    await screenshot(page, "members-admin");
    await page.getByRole("button", { name: "Archive the community" }).click();
    await page.getByText("This community is archived").waitFor();
    await page.getByRole("button", { name: "Reactivate the community" }).click();
    await page.getByRole("button", { name: "Archive the community" }).waitFor();
  }, 120_000);
});
