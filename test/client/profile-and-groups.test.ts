import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BrowserInstance,
  register,
  screenshot,
  startBrowserInstance,
} from "../support/browser.ts";
import { type Person, requester, signUpWith, testPassword } from "../support/client.ts";
import { type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";

async function signIn(page: Page, origin: string, login: string): Promise<void> {
  await page.goto(`${origin}/signin`);
  await page.locator("#login").fill(login);
  await page.locator("#password").fill(testPassword);
  await page.locator("main form button[type=submit]").click();
  await page.locator("header.site button.link").waitFor();
}

/** A person's own profile, an admin's working groups, and a community served by another Praxis. */
describe("profiles, working groups and communities on other servers in the browser", () => {
  let instance: BrowserInstance;
  let peer: Peer;
  let admin: Person;

  beforeAll(async () => {
    [instance, peer] = await Promise.all([
      // The instance looks the peer's community up on a loopback address.
      startBrowserInstance("127.0.0.71", { ALLOW_PRIVATE_ADDRESSES: "true" }),
      startPeer("127.0.0.72"),
    ]);
    const request = requester(instance.origin, (req) => fetch(req));
    admin = await signUpWith(request, "amina");
    for (const [slug, name, privacy] of [
      ["srsp", "Shock-responsive social protection", "semi_private"],
      ["cash-commons", "Cash transfer commons", "open"],
    ]) {
      const created = await request("POST", "/api/v1/communities", {
        token: admin.token,
        body: { slug, name, summary: `About ${name}`, privacy, eligibility: "Practitioners" },
      });
      expect(created.status).toBe(201);
    }
    const peerAdmin = await peer.signUp("hubadmin");
    const remote = await peer.request("POST", "/api/v1/communities", {
      token: peerAdmin.token,
      body: { slug: "spec", name: "Social protection evaluators", privacy: "open" },
    });
    expect(remote.status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await Promise.allSettled([instance?.close(), peer?.stop()]);
    await killLaunched();
  });

  it("keeps the profile a person edits and shows it to the admins of a community they ask to join", async () => {
    const { browser, origin } = instance;
    const member = await (await browser.newContext()).newPage();
    await register(member, origin, "bruno");
    await member.getByRole("link", { name: "Profile and settings" }).click();
    await member.waitForURL(`${origin}/settings`);
    expect(await member.locator("#profession").inputValue()).toBe("Social protection officer");
    await member.locator("#displayName").fill("Bruno Diallo");
    await member.locator("#profession").fill("Cash transfer programme manager");
    await member.locator("#organisation").fill("World Food Programme");
    await member.locator("#country").fill("Niger");
    await member.locator("#emailNotifications").selectOption("daily");
    await member.getByRole("button", { name: "Save" }).click();
    await member.getByRole("status").getByText("Your profile and preferences are saved.").waitFor();
    await screenshot(member, "profile-saved");

    await member.reload();
    await member.locator("main[aria-busy=false] #profession").waitFor();
    expect(await member.locator("#displayName").inputValue()).toBe("Bruno Diallo");
    expect(await member.locator("#profession").inputValue()).toBe(
      "Cash transfer programme manager",
    );
    expect(await member.locator("#organisation").inputValue()).toBe("World Food Programme");
    expect(await member.locator("#country").inputValue()).toBe("Niger");
    expect(await member.locator("#emailNotifications").inputValue()).toBe("daily");

    await member.goto(`${origin}/c/srsp`);
    await member.locator("#join-message").fill("I manage cash transfers in Tillabéri.");
    await member.getByRole("button", { name: "Send my request" }).click();
    await member.getByText("Your request to join is waiting for an administrator.").waitFor();

    const page = await (await browser.newContext()).newPage();
    await signIn(page, origin, "amina");
    await page.goto(`${origin}/c/srsp/requests`);
    await page.getByText("I manage cash transfers in Tillabéri.").waitFor();
    await page.getByText("Bruno Diallo", { exact: true }).waitFor();
    await page
      .getByText("Cash transfer programme manager · World Food Programme · Niger")
      .waitFor();
    await screenshot(page, "pending-request-with-edited-profile");

    // A new language is saved too, and the pages come back in it.
    await member.goto(`${origin}/settings`);
    await member.locator("main[aria-busy=false] #locale").selectOption("fr");
    await member.getByRole("button", { name: "Save" }).click();
    await member.waitForURL(`${origin}/settings?saved=1`);
    expect(await member.locator("html").getAttribute("lang")).toBe("fr");
    await member.getByText("Votre profil et vos préférences sont enregistrés.").waitFor();
    expect(await member.locator("#locale").inputValue()).toBe("fr");
  }, 120_000);

  it("lets an admin create a working group from the parent's tab, and shows no such control to a plain member", async () => {
    const { browser, origin } = instance;
    const page = await (await browser.newContext()).newPage();
    await signIn(page, origin, "amina");
    await page.goto(`${origin}/c/cash-commons/groups`);
    await page.getByRole("link", { name: "Create a working group" }).click();
    await page.waitForURL(`${origin}/new?parent=cash-commons`);
    await page.locator("h1", { hasText: "Create a working group" }).waitFor();
    await page.getByText("This working group will belong to:").waitFor();
    await page.locator("main").getByRole("link", { name: "Cash transfer commons" }).waitFor();
    await page.locator("#name").fill("Cash transfers in the Sahel");
    await page.locator("#slug").fill("sahel-cash");
    await page.locator("#summary").fill("Programmes across Niger, Mali and Burkina Faso");
    await screenshot(page, "create-working-group");
    await page.getByRole("button", { name: "Create the working group" }).click();
    await page.waitForURL(`${origin}/c/sahel-cash`);
    await expect.poll(() => page.locator("h1").textContent()).toBe("Cash transfers in the Sahel");

    await page.goto(`${origin}/c/cash-commons/groups`);
    await page.locator("main").getByRole("link", { name: "Cash transfers in the Sahel" }).waitFor();
    await screenshot(page, "working-groups-admin");
    // A working group has no working groups of its own.
    await page.goto(`${origin}/c/sahel-cash/groups`);
    await page.getByText("Nothing here yet.").waitFor();
    expect(await page.getByRole("link", { name: "Create a working group" }).count()).toBe(0);

    const request = requester(origin, (req) => fetch(req));
    const carla = await signUpWith(request, "carla");
    const joined = await request("POST", "/api/v1/communities/cash-commons/join", {
      token: carla.token,
    });
    expect(joined.body.state).toBe("active");
    const member = await (await browser.newContext()).newPage();
    await signIn(member, origin, "carla");
    await member.goto(`${origin}/c/cash-commons/groups`);
    await member.getByText("You are a member.").waitFor();
    await member
      .locator("main")
      .getByRole("link", { name: "Cash transfers in the Sahel" })
      .waitFor();
    expect(await member.getByRole("link", { name: "Create a working group" }).count()).toBe(0);
    await screenshot(member, "working-groups-member");
  }, 120_000);

  it("opens a community served by another Praxis from the directory, by its handle or its address", async () => {
    const { browser, origin } = instance;
    const page = await (await browser.newContext()).newPage();
    const ref = `spec@${peer.host}`;
    for (const typed of [`@${ref}`, `${peer.origin}/c/spec`]) {
      await page.goto(`${origin}/`);
      await page.locator("#handle").fill(typed);
      await page.getByRole("button", { name: "Open", exact: true }).click();
      await page.waitForURL(`${origin}/c/${encodeURIComponent(ref)}`);
      await expect
        .poll(() => page.locator("h1").textContent())
        .toBe("Social protection evaluators");
      await page.getByText(`@${ref}`, { exact: true }).waitFor();
    }
    await screenshot(page, "remote-community");
  }, 120_000);
});
