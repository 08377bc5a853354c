import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type BrowserInstance, screenshot, startBrowserInstance } from "../support/browser.ts";
import { type Person, type Requester, requester, signUpWith } from "../support/client.ts";
import { killLaunched } from "../support/process.ts";
import { wordsIn } from "../support/words.ts";

const en = wordsIn("en");
const fr = wordsIn("fr");

/** Whatever the server refuses, the reader sees why, in their language: nothing fails silently. */
describe("refusals in the browser", () => {
  let instance: BrowserInstance;
  let origin: string;
  let request: Requester;
  let owner: Person;
  let outsider: Person;
  let francophone: Person;
  let threadId: string;
  let context: BrowserContext;

  beforeAll(async () => {
    instance = await startBrowserInstance("127.0.11.2");
    origin = instance.origin;
    request = requester(origin, (req) => fetch(req));
    owner = await signUpWith(request, "owner", { displayName: "Awa Ndiaye" });
    outsider = await signUpWith(request, "carla", { displayName: "Carla Souza" });
    francophone = await signUpWith(request, "dominique", { locale: "fr" });
    const post = (path: string, body: Record<string, unknown>) =>
      request("POST", `/api/v1${path}`, { token: owner.token, body });
    const library = await post("/communities", {
      slug: "library",
      name: "Social protection library",
      privacy: "open",
    });
    expect(library.status).toBe(201);
    const group = await post("/communities", {
      slug: "targeting-group",
      name: "Targeting working group",
      privacy: "open",
      parent: "library",
    });
    expect(group.status).toBe(201);
    const thread = await post("/communities/library/discussions", {
      title: "Registries compared",
      content: "Which fields do you keep?",
    });
    threadId = thread.body.id;
    const joined = await request("POST", "/api/v1/communities/library/join", {
      token: francophone.token,
    });
    expect(joined.status).toBeLessThan(300);
  }, 120_000);
  afterAll(async () => {
    await instance?.close();
    await killLaunched();
  });
  afterEach(async () => {
    await context?.close();
  });

  async function open(path: string, locale: string, person?: Person): Promise<Page> {
    context = await instance.browser.newContext({ locale });
    if (person) {
      await context.addCookies([{ name: "praxis_session", value: person.token, url: origin }]);
    }
    const page = await context.newPage();
    await page.goto(`${origin}${path}`);
    await page.locator("main[aria-busy=false]").waitFor();
    return page;
  }

  /** What the server answers `person` for the same request, in English. */
  async function serverMessage(path: string, person: Person, body: Record<string, unknown>) {
    const answer = await request("POST", `/api/v1${path}`, {
      token: person.token,
      body,
      headers: { "accept-language": "en" },
    });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    return answer.body.error.message as string;
  }

  it("shows why a working group refuses someone outside its parent community", async () => {
    const page = await open("/c/targeting-group", "en-GB", outsider);
    await page.getByRole("button", { name: en("join.join") }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).toBe(
      "Only members of the parent community can join this working group.",
    );
    await screenshot(page, "refused-working-group-join");
  });

  it("offers no reply form to a non-member, whom the server would refuse", async () => {
    const page = await open(`/posts/${threadId}`, "en-GB", outsider);
    await page.getByRole("heading", { name: "Registries compared" }).waitFor();
    expect(await page.locator(`#reply-${threadId}`).count()).toBe(0);
  });

  it("shows why a reply is refused when the thread was locked while it was being written", async () => {
    const thread = await request("POST", "/api/v1/communities/library/discussions", {
      token: owner.token,
      body: { title: "Locked meanwhile", content: "Soon closed." },
    });
    const id = thread.body.id as string;
    const page = await open(`/posts/${id}`, "en-GB", owner);
    await page.locator(`#reply-${id}`).fill("May I add something?");
    const locked = await request("PATCH", `/api/v1/posts/${id}`, {
      token: owner.token,
      body: { locked: true },
    });
    expect(locked.status).toBe(200);
    await page.getByRole("button", { name: en("thread.send") }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor({ timeout: 10_000 });
    const expected = await serverMessage(`/posts/${id}/comments`, owner, {
      content: "May I add something?",
    });
    expect(await alert.textContent()).toBe(expected);
  });

  it("names what is wrong with a form in words, not by the field's name in the code", async () => {
    const page = await open("/register", "en-GB");
    await page.locator("#username").fill("not valid!");
    await page.locator("#email").fill("someone@example.org");
    await page.locator("#new-password").fill("a long enough password");
    await page.locator("main form button[type=submit]").click();
    const alert = page.getByRole("alert");
    await alert.waitFor({ timeout: 10_000 });
    const message = (await alert.textContent()) ?? "";
    expect(message).toContain("The username must be 2 to 30 letters, digits or underscores");
    expect(message).not.toMatch(/\busername:/);

    const answer = await request("POST", "/api/v1/accounts", {
      body: { username: "x", email: "not an address", password: "a long enough password" },
      headers: { "accept-language": "fr" },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toContain("Le nom d’utilisateur doit comporter");
    expect(answer.body.error.message).toContain("L’adresse électronique doit être");
    expect(answer.body.error.message).not.toMatch(/\b(username|email):/);
  });

  it("says in French that an action taken offline was not done", async () => {
    const page = await open("/c/library/discussions", "fr-FR", francophone);
    expect(await page.locator("html").getAttribute("lang")).toBe("fr");
    await page.locator("#discussions-title").fill("Écrit hors ligne");
    await page.locator("#discussions-content").fill("Ce message ne partira pas.");
    await context.setOffline(true);
    await page.getByRole("button", { name: fr("compose.publish") }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).toBe(fr("errors.offline"));
    await screenshot(page, "offline-action-fr");
  });
});
