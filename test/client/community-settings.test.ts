import { readFileSync } from "node:fs";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locale } from "../../client/i18n.ts";
import { seriousAxeProblems } from "../support/axe.ts";
import { type BrowserInstance, screenshot, startBrowserInstance } from "../support/browser.ts";
import { type Person, requester, signUpWith } from "../support/client.ts";
import { mainText } from "../support/page-text.ts";
import { killLaunched } from "../support/process.ts";
import { pageAs } from "../support/signed-in-page.ts";
import { wordsIn } from "../support/words.ts";

const en = wordsIn("en");
const fr = wordsIn("fr");
const ar = wordsIn("ar");
const serverSays = (locale: Locale, code: string): string =>
  JSON.parse(readFileSync(`locales/${locale}/errors.json`, "utf8"))[code];

/** A community's owner edits it, hands it on, removes and bans people, and reads the log. */
describe("a community's settings, for its owners and admins", () => {
  let instance: BrowserInstance;
  let amina: Person;
  let bruno: Person;
  let carla: Person;
  let dario: Person;
  const request = (...args: Parameters<ReturnType<typeof requester>>) =>
    requester(instance.origin, (req) => fetch(req))(...args);
  const settingsOf = (person: Person, locale: Locale = "en") =>
    pageAs(instance.browser, instance.origin, person, "/c/commons/settings", locale);
  const roleOf = async (person: Person) => {
    const members = await request("GET", "/api/v1/communities/commons/members?limit=100", {
      token: amina.token,
    });
    return members.body.items.find((member: { account: { id: string } }) => {
      return member.account.id === person.id;
    })?.role;
  };
  /** The confirmation an action asks for, found by its question. */
  const question = (page: Page, text: string): Locator => page.getByRole("group", { name: text });
  const logLine = (page: Page, ...parts: string[]) =>
    parts.reduce((lines, part) => lines.filter({ hasText: part }), page.locator(".audit-log li"));

  beforeAll(async () => {
    instance = await startBrowserInstance("127.0.10.1");
    amina = await signUpWith(request, "amina", { displayName: "Amina" });
    bruno = await signUpWith(request, "bruno", { displayName: "Bruno" });
    carla = await signUpWith(request, "carla", { displayName: "Carla" });
    dario = await signUpWith(request, "dario", { displayName: "Dario" });
    const created = await request("POST", "/api/v1/communities", {
      token: amina.token,
      body: { slug: "commons", name: "Cash transfer commons", privacy: "open", summary: "Old" },
    });
    expect(created.status).toBe(201);
    for (const person of [bruno, carla, dario]) {
      const joined = await request("POST", "/api/v1/communities/commons/join", {
        token: person.token,
        body: {},
      });
      expect(joined.body.state).toBe("active");
    }
  }, 120_000);
  afterAll(async () => {
    await instance?.close();
    await killLaunched();
  });

  it("draws the settings form on the server, filled in, and refuses it to a plain member", async () => {
    const asOwner = await fetch(`${instance.origin}/c/commons/settings`, {
      headers: { cookie: `praxis_session=${amina.token}`, "accept-language": "en" },
    });
    expect(asOwner.status).toBe(200);
    const html = await asOwner.text();
    expect(html).toContain('value="Cash transfer commons"');
    expect(mainText(html)).toContain(en("communitySettings.title"));
    const asMember = await fetch(`${instance.origin}/c/commons/settings`, {
      headers: { cookie: `praxis_session=${bruno.token}`, "accept-language": "en" },
    });
    expect(asMember.status).toBe(403);
    expect(mainText(await asMember.text())).toContain(serverSays("en", "admin_only"));
  });

  it("saves name, summary, concept note, principles and privacy, and logs what changed", async () => {
    const page = await settingsOf(amina);
    await page.getByLabel(en("create.name"), { exact: true }).fill("Cash commons");
    await page.getByLabel(en("create.summary"), { exact: true }).fill("Evidence on cash transfers");
    await page.getByLabel(en("about.purpose"), { exact: true }).fill("Compare evaluations.");
    await page.getByLabel(en("about.principles"), { exact: true }).fill("Cite your sources.");
    await page.locator("#settings-privacy-semi_private").check();
    await page.getByRole("button", { name: en("communitySettings.save") }).click();
    await page.getByRole("status").getByText(en("communitySettings.saved")).waitFor();
    const community = (await request("GET", "/api/v1/communities/commons", { token: amina.token }))
      .body;
    expect(community).toMatchObject({
      name: "Cash commons",
      summary: "Evidence on cash transfers",
      privacy: "semi_private",
      principles: "Cite your sources.",
      conceptNote: { purpose: "Compare evaluations.", overview: "" },
    });
    const privacyChange = en("auditDetail.privacy", {
      from: en("privacy.open.label"),
      to: en("privacy.semi_private.label"),
    });
    await logLine(
      page,
      en("audit.community_updated", { actor: "amina" }),
      privacyChange,
      en("auditDetail.fields.summary"),
      en("auditDetail.fields.principles"),
      "Cash transfer commons",
      "Cash commons",
    ).waitFor();
    await screenshot(page, "community-settings");
  });

  it("shows the refusal when the last owner leaves, then hands ownership on", async () => {
    const page = await settingsOf(amina);
    await page.getByRole("button", { name: en("join.leave") }).click();
    const leave = question(page, en("confirm.leave", { community: "Cash commons" }));
    await leave.getByRole("button", { name: en("join.leave") }).click();
    await leave.getByRole("alert").getByText(serverSays("en", "last_owner")).waitFor();
    expect(await roleOf(amina)).toBe("owner");

    await page
      .getByLabel(en("communitySettings.newOwner"))
      .selectOption({ label: `Bruno (${en("roles.member")})` });
    await page.getByRole("button", { name: en("communitySettings.makeOwner") }).click();
    const makeOwner = question(page, en("confirm.makeOwner", { name: "Bruno" }));
    await makeOwner.getByRole("button", { name: en("communitySettings.makeOwner") }).click();
    await logLine(
      page,
      en("audit.role_changed", { actor: "amina", target: "bruno" }),
      en("auditDetail.role", { from: en("roles.member"), to: en("roles.owner") }),
    ).waitFor();
    expect(await roleOf(bruno)).toBe("owner");

    await page.getByRole("button", { name: en("communitySettings.stepDown") }).click();
    const stepDown = question(page, en("confirm.stepDown", { community: "Cash commons" }));
    await stepDown.getByRole("button", { name: en("communitySettings.stepDown") }).click();
    await logLine(
      page,
      en("auditDetail.role", { from: en("roles.owner"), to: en("roles.admin") }),
    ).waitFor();
    expect(await roleOf(amina)).toBe("admin");
  });

  it("removes and bans only once asked and given a reason, lists the banned and lifts a ban", async () => {
    const page = await settingsOf(amina);
    const row = (name: string) => page.locator("li.card").filter({ hasText: `@${name}@` });
    await row("carla")
      .getByRole("button", { name: en("tools.remove") })
      .click();
    const remove = question(page, en("confirm.remove", { name: "Carla" }));
    await remove.waitFor();
    // The question alone changes nothing.
    expect(await roleOf(carla)).toBe("member");
    await remove.getByRole("button", { name: en("tools.remove") }).click();
    // A reason is asked for before anything is sent.
    expect(await roleOf(carla)).toBe("member");
    await remove.getByLabel(en("confirm.reason")).fill("Left the programme");
    await remove.getByRole("button", { name: en("tools.remove") }).click();
    await logLine(
      page,
      en("audit.member_removed", { actor: "amina", target: "carla" }),
      "Left the programme",
    ).waitFor();
    expect(await roleOf(carla)).toBeUndefined();

    await row("dario")
      .getByRole("button", { name: en("tools.ban") })
      .click();
    const ban = question(page, en("confirm.ban", { name: "Dario" }));
    await ban.getByLabel(en("confirm.reason")).fill("spam");
    await ban.getByRole("button", { name: en("tools.ban") }).click();
    await logLine(page, en("audit.member_banned", { actor: "amina", target: "dario" }), "spam")
      .first()
      .waitFor();
    const banned = page.locator("section").filter({
      has: page.getByRole("heading", { name: en("communitySettings.banned") }),
    });
    await banned.getByText("spam").waitFor();
    await screenshot(page, "community-settings-banned");

    await banned.getByRole("button", { name: en("communitySettings.unban") }).click();
    const unban = question(page, en("confirm.unban", { name: "Dario" }));
    await unban.getByRole("button", { name: en("communitySettings.unban") }).click();
    await logLine(page, en("audit.member_unbanned", { actor: "amina", target: "dario" })).waitFor();
    await banned.getByText(en("communitySettings.noneBanned")).waitFor();
    const stillBanned = await request("GET", "/api/v1/communities/commons/members?state=banned", {
      token: amina.token,
    });
    expect(stillBanned.body.items).toEqual([]);
  });

  it("reads the log of decisions in another language", async () => {
    const page = await settingsOf(amina, "fr");
    await logLine(
      page,
      fr("audit.member_banned", { actor: "amina", target: "dario" }),
      fr("auditDetail.reason", { reason: "\u2068spam\u2069" }),
    ).waitFor();
    await logLine(
      page,
      fr("audit.community_updated", { actor: "amina" }),
      fr("auditDetail.privacy", {
        from: fr("privacy.open.label"),
        to: fr("privacy.semi_private.label"),
      }),
    ).waitFor();
    await logLine(
      page,
      fr("auditDetail.role", { from: fr("roles.member"), to: fr("roles.owner") }),
    ).waitFor();
  });

  it("reads right to left in Arabic, with no serious accessibility finding, a question open", async () => {
    const page = await pageAs(
      instance.browser,
      instance.origin,
      amina,
      "/c/commons/settings",
      "ar",
      { bypassCSP: true },
    );
    await logLine(page, ar("audit.member_unbanned", { actor: "amina", target: "dario" })).waitFor();
    const row = page.locator("li.card").filter({ hasText: "@bruno@" });
    await row.getByRole("button", { name: ar("tools.ban") }).click();
    await page.getByRole("group", { name: ar("confirm.ban", { name: "Bruno" }) }).waitFor();
    await screenshot(page, "community-settings-ar");
    expect(await seriousAxeProblems(page)).toEqual([]);
  });
});
