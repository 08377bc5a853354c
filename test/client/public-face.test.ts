import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserInstance, screenshot, startBrowserInstance } from "../support/browser.ts";
import {
  type Person,
  readMailbox,
  requester,
  signUpWith,
  testPassword,
} from "../support/client.ts";
import { mainText } from "../support/page-text.ts";
import { killLaunched } from "../support/process.ts";
import { wordsIn } from "../support/words.ts";

const en = wordsIn("en");
const ar = wordsIn("ar");

/** Each community a visitor may open, with a thread only its members may read. */
const communities = {
  commons: { privacy: "open", name: "Cash transfer commons" },
  forum: { privacy: "public", name: "Social registries forum" },
  circle: { privacy: "semi_private", name: "Evaluation circle" },
  inner: { privacy: "private", name: "Ministers' working table" },
} as const;
type Slug = keyof typeof communities;
const secretTitle = (slug: string) => `Draft budget notes of ${slug}`;

/** A community's public face: what a visitor or a non-member sees, with or without JavaScript. */
describe("a community's public face", () => {
  let instance: BrowserInstance;
  let dataDir: string;
  let owner: Person;
  const request = (...args: Parameters<ReturnType<typeof requester>>) =>
    requester(instance.origin, (req) => fetch(req))(...args);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "praxis-public-face-"));
    instance = await startBrowserInstance("127.0.7.1", { DATA_DIR: dataDir });
    owner = await signUpWith(request, "hubowner", { displayName: "Amina Diallo" });
    const create = async (slug: string, body: Record<string, unknown>) => {
      const created = await request("POST", "/api/v1/communities", {
        token: owner.token,
        body: { slug, summary: `Summary of ${slug}`, ...body },
      });
      expect(created.status).toBe(201);
      const posted = await request("POST", `/api/v1/communities/${slug}/discussions`, {
        token: owner.token,
        body: { title: secretTitle(slug), content: "For members." },
      });
      expect(posted.status).toBe(201);
    };
    for (const [slug, { privacy, name }] of Object.entries(communities)) {
      await create(slug, {
        name,
        privacy,
        conceptNote: { overview: `Overview of ${slug}`, purpose: `Purpose of ${slug}` },
        eligibility: `Eligibility of ${slug}`,
        principles: `Principles of ${slug}`,
      });
    }
    await create("backroom", { name: "Backroom", privacy: "public", hidden: true });
    await create("bygone", { name: "Bygone network", privacy: "public" });
    await request("PATCH", "/api/v1/communities/bygone", {
      token: owner.token,
      body: { archived: true },
    });
  }, 120_000);
  afterAll(async () => {
    await instance?.close();
    await killLaunched();
  });

  /** The page as a link preview or a browser without JavaScript gets it. */
  const fetchPage = async (path: string, locale = "en") => {
    const answer = await fetch(`${instance.origin}${path}`, {
      headers: { "accept-language": locale },
    });
    const html = await answer.text();
    const meta = (property: string) =>
      new RegExp(`<meta property="${property}" content="([^"]*)">`).exec(html)?.[1];
    return { status: answer.status, html, text: mainText(html), meta };
  };

  const visitorCallToAction: Record<Slug, string> = {
    commons: en("join.signInToJoin"),
    forum: en("join.signInToJoin"),
    circle: en("face.signInToRequest"),
    inner: en("join.inviteOnly"),
  };

  it.each(Object.keys(communities) as Slug[])(
    "shows a visitor the %s community's name, concept note and call to action, server-rendered",
    async (slug) => {
      const { status, html, text, meta } = await fetchPage(`/c/${slug}`);
      expect(status).toBe(200);
      const { name, privacy } = communities[slug];
      const seen = [
        name,
        `Summary of ${slug}`,
        en("community.members", { count: 1, formatted: "1" }),
        visitorCallToAction[slug],
      ];
      // An open community shows its content; the others show what they are about instead.
      const about = [
        `Overview of ${slug}`,
        `Purpose of ${slug}`,
        `Eligibility of ${slug}`,
        `Principles of ${slug}`,
      ];
      for (const words of privacy === "open" ? seen : [...seen, ...about]) {
        expect(text).toContain(words);
      }
      expect(meta("og:title")).toBe(name.replace("'", "&#39;"));
      expect(meta("og:description")).toBe(`Summary of ${slug}`);
      expect(meta("og:url")).toBe(`${instance.origin}/c/${slug}`);
      expect(meta("og:type")).toBe("website");
      // Only an open community's content is anyone's to read.
      if (privacy === "open") expect(text).toContain(secretTitle(slug));
      else expect(html).not.toContain(secretTitle(slug));
    },
  );

  it("shows no member list or content on a members-only tab, only the face", async () => {
    const { status, html, text } = await fetchPage("/c/circle/members");
    expect(status).toBe(200);
    expect(text).toContain(en("face.signInToRequest"));
    expect(html).not.toContain("hubowner");
    expect(html).not.toContain(secretTitle("circle"));
  });

  it("keeps a hidden community not found", async () => {
    const { status, html } = await fetchPage("/c/backroom");
    expect(status).toBe(404);
    expect(html).not.toContain("Backroom");
  });

  it("says an archived community is archived", async () => {
    const { status, text } = await fetchPage("/c/bygone");
    expect(status).toBe(200);
    expect(text).toContain(en("join.archived"));
    expect(text).not.toContain(secretTitle("bygone"));
  });

  it("lays the face out right to left in Arabic, its call to action in Arabic", async () => {
    const { status, html, text } = await fetchPage("/c/circle", "ar");
    expect(status).toBe(200);
    expect(html).toMatch(/<html lang="ar" dir="rtl">/);
    expect(text).toContain(ar("face.signInToRequest"));
  });

  it("reads and leads to sign-in with JavaScript turned off", async () => {
    const context = await instance.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${instance.origin}/c/circle`);
    await page.getByRole("heading", { level: 1, name: "Evaluation circle" }).waitFor();
    await page.getByText("Eligibility of circle").first().waitFor();
    await screenshot(page, "public-face-without-javascript");
    await page.getByRole("link", { name: en("face.signInToRequest") }).click();
    expect(new URL(page.url()).pathname).toBe("/signin");
    expect(new URL(page.url()).searchParams.get("next")).toBe("/c/circle");
    await context.close();
  });

  /** A browser signed in as a new account that belongs to no community. */
  const signedIn = async (username: string): Promise<Page> => {
    await signUpWith(request, username);
    const page = await (await instance.browser.newContext()).newPage();
    await page.goto(`${instance.origin}/signin`);
    await page.locator("#login").fill(username);
    await page.locator("#password").fill(testPassword);
    await page.locator("main form button[type=submit]").click();
    await page.locator("header.site button.link").waitFor();
    return page;
  };

  it("offers a signed-in non-member the call to action that fits each community", async () => {
    const page = await signedIn("outsider");
    await page.goto(`${instance.origin}/c/inner`);
    await page.getByText(en("join.inviteOnly")).waitFor();
    await page.goto(`${instance.origin}/c/circle`);
    await page.getByText("Principles of circle").waitFor();
    await page.getByText(en("face.membersOnly")).waitFor();
    await page.getByLabel(en("join.messageRequired")).fill("I evaluate cash transfers in Kenya.");
    await page.getByRole("button", { name: en("join.request") }).click();
    await page.getByText(en("join.pending")).waitFor();
    expect(await page.content()).not.toContain(secretTitle("circle"));
    await page.goto(`${instance.origin}/c/forum`);
    expect(await page.content()).not.toContain(secretTitle("forum"));
    await page.getByRole("button", { name: en("join.join") }).click();
    await page.getByRole("link", { name: secretTitle("forum") }).waitFor();
    await screenshot(page, "public-face-joined");
  });

  it("takes a newcomer from an invitation e-mail's link through registration into the community", async () => {
    const invited = await request("POST", "/api/v1/communities/inner/invitations", {
      token: owner.token,
      body: { email: "newcomer@example.org" },
    });
    expect(invited.status).toBe(201);
    const mail = (await readMailbox(dataDir)).find((each) => each.to === "newcomer@example.org");
    expect(mail?.link).toContain("/invitations/");
    const page = await (await instance.browser.newContext()).newPage();
    await page.goto(mail?.link ?? "");
    await page.getByRole("heading", { level: 1, name: /Ministers' working table/ }).waitFor();
    await page.getByText(/Amina Diallo/).waitFor();
    await screenshot(page, "invitation-screen");
    await page.locator("#invitation-username").fill("newcomer");
    expect(await page.locator("#invitation-email").inputValue()).toBe("newcomer@example.org");
    await page.locator("#invitation-new-password").fill(testPassword);
    await page.getByRole("button", { name: en("invitation.registerAndJoin") }).click();
    await page.waitForURL(`${instance.origin}/c/inner`);
    await page.getByText(en("join.member")).waitFor();
    await page.getByRole("link", { name: secretTitle("inner") }).waitFor();
  });

  it("lets someone with an account sign in from an invitation's link and join", async () => {
    await signUpWith(request, "regular");
    const invited = await request("POST", "/api/v1/communities/circle/invitations", {
      token: owner.token,
      body: { email: "regular@example.org" },
    });
    expect(invited.status).toBe(201);
    const mail = (await readMailbox(dataDir)).find((each) => each.to === "regular@example.org");
    const page = await (await instance.browser.newContext()).newPage();
    await page.goto(mail?.link ?? "");
    await page.getByRole("link", { name: en("invitation.signIn") }).click();
    await page.locator("#login").fill("regular");
    await page.locator("#password").fill(testPassword);
    await page.locator("main form button[type=submit]").click();
    const join = page.getByRole("button", {
      name: en("invitation.join", { community: "Evaluation circle" }),
    });
    await join.click();
    await page.waitForURL(`${instance.origin}/c/circle`);
    await page.getByRole("link", { name: secretTitle("circle") }).waitFor();
  });
});
