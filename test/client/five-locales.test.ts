import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContextOptions, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { directionOf, type Locale, locales } from "../../client/i18n.ts";
import { messagesOf } from "../../scripts/check-locales.ts";
import { seriousAxeProblems } from "../support/axe.ts";
import { type BrowserInstance, screenshot, startBrowserInstance } from "../support/browser.ts";
import {
  type Person,
  type Requester,
  readMailbox,
  requester,
  signUpWith,
  testPassword,
} from "../support/client.ts";
import { eventually } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";
import { wordsIn } from "../support/words.ts";

/** Every message of every namespace of one language, by its dotted key under the namespace. */
function messagesIn(locale: Locale): Map<string, string> {
  return new Map(
    readdirSync(`locales/${locale}`).flatMap((file) =>
      [
        ...messagesOf(
          JSON.parse(readFileSync(`locales/${locale}/${file}`, "utf8")),
          file.slice(0, -5),
        ),
      ].map(([key, message]) => [key, String(message)] as const),
    ),
  );
}

const english = messagesIn("en");
/** The first part of a key as the code writes it (`join` of `join.request`): seen starting a dotted word, a raw key. */
const sections = new Set(
  [...english.keys()].map((key) => key.split(".")[1] ?? "").filter((section) => section !== ""),
);

/**
 * English sentences (more than three words of their own) that `locale` says otherwise, as
 * patterns where a message fills something in: seen on a page in that language, they are words
 * the page forgot to translate.
 */
function untranslatedEnglish(locale: Locale): RegExp[] {
  if (locale === "en") return [];
  const translated = messagesIn(locale);
  const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return [...english]
    .filter(([key, text]) => {
      const ownWords = text
        .replace(/\{\{[^}]*\}\}/g, " ")
        .trim()
        .split(/\s+/);
      return ownWords.length > 3 && translated.get(key) !== text;
    })
    .map(
      ([, text]) =>
        new RegExp(
          text
            .split(/\{\{[^}]*\}\}/)
            .map(literally)
            .join(".+?"),
        ),
    );
}

/** What people wrote, which an Arabic page must isolate so its own direction keeps. */
const userText = [
  "Evaluation circle",
  "Ministers' table",
  "Registries library",
  "Flamingo registries",
  "Adaptive safety nets",
  "Pia (UNICEF)",
  "Awa Ndiaye",
];

/**
 * The texts among `wanted` that sit somewhere on the page outside an isolate (a `<bdi>`, or an
 * element below the root with its own `dir`), and arrows that do not turn with the page.
 */
async function unisolated(page: Page, wanted: string[]): Promise<string[]> {
  return page.evaluate((wanted) => {
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const holder = node.parentElement;
      if (!holder || holder.closest("script, style, [hidden]")) continue;
      const text = node.textContent ?? "";
      const inIsolate = holder.closest("bdi, body [dir]") !== null;
      for (const each of wanted) {
        if (text.includes(each) && !inIsolate) found.push(`not isolated: ${each}`);
      }
      const mirrored = holder.closest(".mirrored") !== null;
      if (/[←→⟵⟶]/.test(text) && !mirrored) found.push(`arrow not mirrored: ${text.trim()}`);
    }
    return found;
  }, wanted);
}

/** The journeys, compact, in each of the five languages, in a real browser. */
describe("the journeys in all five languages", () => {
  let instance: BrowserInstance;
  let dataDir: string;
  let request: Requester;
  let owner: Person;
  let author: Person;
  let eventId: string;
  const readers = new Map<Locale, { reader: Person; guest: Person; doomed: string }>();

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "praxis-five-locales-"));
    instance = await startBrowserInstance("127.0.53.1", { DATA_DIR: dataDir });
    request = requester(instance.origin, (req) => fetch(req));
    owner = await signUpWith(request, "owner", { displayName: "Awa Ndiaye" });
    author = await signUpWith(request, "pia", { displayName: "Pia (UNICEF)" });
    const asOwner = async (path: string, body: Record<string, unknown>) => {
      const answer = await request("POST", `/api/v1${path}`, { token: owner.token, body });
      expect(answer.status, path).toBe(201);
      return answer.body;
    };
    await asOwner("/communities", {
      slug: "circle",
      name: "Evaluation circle",
      summary: "Evaluators of cash transfers",
      privacy: "semi_private",
      conceptNote: { overview: "Evaluators compare notes", purpose: "Better evaluations" },
      eligibility: "Evaluators only",
      principles: "Cite your sources",
    });
    await asOwner("/communities", {
      slug: "inner",
      name: "Ministers' table",
      summary: "By invitation",
      privacy: "private",
    });
    await asOwner("/communities", { slug: "library", name: "Registries library", privacy: "open" });
    await request("POST", "/api/v1/communities/library/join", { token: author.token, body: {} });
    // A ban with its reason, so the settings' banned list and audit log have a line to say.
    const spammer = await signUpWith(request, "spammer", { displayName: "Spam Bot" });
    await request("POST", "/api/v1/communities/library/join", { token: spammer.token, body: {} });
    const members = await request("GET", "/api/v1/communities/library/members", {
      token: owner.token,
    });
    const spam = members.body.items.find(
      (item: { account: { id: string } }) => item.account.id === spammer.id,
    );
    const banned = await request("PATCH", `/api/v1/communities/library/members/${spam.id}`, {
      token: owner.token,
      body: { state: "banned", reason: "Advertising" },
    });
    expect(banned.status).toBe(200);
    await asOwner("/communities/library/discussions", {
      title: "Flamingo registries",
      content: "Quetzalcoatl keeps the fields.",
    });
    eventId = (
      await asOwner("/communities/library/events", {
        title: "Adaptive safety nets",
        content: "Bring your questions.",
        timezone: "America/Bogota",
        startsAt: "2027-03-10T09:00",
        endsAt: "2027-03-10T10:30",
        location: "Bogotá",
      })
    ).id;
    for (const locale of locales) {
      const reader = await signUpWith(request, `reader_${locale}`, { locale });
      const guest = await signUpWith(request, `guest_${locale}`, { locale });
      await asOwner("/communities/inner/invitations", { email: `guest_${locale}@example.org` });
      const doomed = await request("POST", "/api/v1/communities/library/discussions", {
        token: author.token,
        body: { title: `Off-topic ${locale}`, content: "Breaks the principles." },
      });
      expect(doomed.status).toBe(201);
      readers.set(locale, { reader, guest, doomed: doomed.body.title });
    }
  }, 120_000);
  afterAll(async () => {
    await instance?.close();
    await killLaunched();
  });

  /**
   * What a reader of `locale` would notice is wrong on the page: its language or direction, a
   * raw message key, an English sentence that has a translation, a serious accessibility problem.
   */
  async function problemsIn(page: Page, locale: Locale, scripted: boolean): Promise<string[]> {
    const problems: string[] = [];
    const html = page.locator("html");
    if ((await html.getAttribute("lang")) !== locale) problems.push("lang");
    if ((await html.getAttribute("dir")) !== directionOf(locale)) problems.push("dir");
    // What a reader sees, and what a screen reader says or a pointer shows.
    const text = [
      await page.locator("body").innerText(),
      ...(await page
        .locator("[aria-label], [placeholder], [title], [alt]")
        .evaluateAll((elements) =>
          elements.flatMap((element) =>
            ["aria-label", "placeholder", "title", "alt"].map(
              (name) => element.getAttribute(name) ?? "",
            ),
          ),
        )),
    ].join("\n");
    for (const [raw] of text.matchAll(/\b[a-z]+(?:\.[a-zA-Z_]+)+\b/g)) {
      if (sections.has(raw.split(".")[0] ?? "")) problems.push(`raw key ${raw}`);
    }
    for (const sentence of untranslatedEnglish(locale)) {
      const seen = sentence.exec(text);
      if (seen) problems.push(`English "${seen[0]}"`);
    }
    if (directionOf(locale) === "rtl") problems.push(...(await unisolated(page, userText)));
    // axe runs as a script: a page without scripts has only the checks above.
    if (scripted) problems.push(...(await seriousAxeProblems(page)));
    return problems;
  }

  /**
   * One step of a journey, in its own browser context as a reader of `locale` (their browser
   * asks for it and the site's switcher chose it): opens `path`, lets `walk` act on the page,
   * then answers what is wrong with the page it ended on, each problem named by `step`.
   */
  const stepIn =
    (locale: Locale) =>
    async (
      step: string,
      path: string,
      person: Person | undefined,
      walk: (page: Page) => Promise<void>,
      options: BrowserContextOptions = {},
    ): Promise<string[]> => {
      const context = await instance.browser.newContext({ locale, bypassCSP: true, ...options });
      try {
        await context.addCookies([
          { name: "lang", value: locale, url: instance.origin },
          ...(person
            ? [{ name: "praxis_session", value: person.token, url: instance.origin }]
            : []),
        ]);
        const page = await context.newPage();
        await page.goto(`${instance.origin}${path}`);
        const scripted = options.javaScriptEnabled !== false;
        if (scripted) {
          await page.locator("main[aria-busy=false]").waitFor();
          await page.waitForFunction(
            () => performance.getEntriesByName("praxis:interactive").length > 0,
          );
        }
        await walk(page).catch(async (error: Error) => {
          await screenshot(page, `five-locales-${locale}-${step.replaceAll(" ", "-")}`);
          throw new Error(`${step} in ${locale}: ${error.message}`);
        });
        const problems = await problemsIn(page, locale, scripted);
        return problems.map((problem) => `${step}: ${problem}`);
      } finally {
        await context.close();
      }
    };

  /** The long name of `timeZone` as `locale` says it, on the event's day. */
  const zoneName = (locale: Locale, timeZone: string) =>
    new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "long" })
      .formatToParts(new Date("2027-03-10T14:00:00Z"))
      .find((part) => part.type === "timeZoneName")?.value ?? "";

  it.each(locales)(
    "lets people request, accept, read an event, be refused, search, moderate, manage and sign in, in %s",
    async (locale) => {
      const t = wordsIn(locale);
      const step = stepIn(locale);
      const { reader, guest, doomed } = readers.get(locale) ?? expect.fail("no reader");
      const invitation = (await readMailbox(dataDir)).find(
        (mail) => mail.to === `guest_${locale}@example.org`,
      );

      /** A screen only looked at: its heading drawn is enough. */
      const look = async (page: Page) => {
        await page.locator("main :is(h1, h2)").first().waitFor();
      };

      const problems = await Promise.all([
        step("community settings", "/c/library/settings", owner, async (page) => {
          await page.getByText("Advertising").first().waitFor();
        }),
        step("join requests", "/c/circle/requests", owner, look),
        step("notifications", "/notifications", owner, look),
        step("account settings", "/settings", reader, look),
        step("my communities", "/my-communities", guest, look),
        step(
          "forgot password without scripts",
          "/forgot-password",
          undefined,
          async (page) => {
            await page.locator("#email").fill(`reader_${locale}@example.org`);
            await page.locator("main form button[type=submit]").click();
            await page.getByRole("status").getByText(t("account.resetSent")).waitFor();
            // The answer does not wait for the mail, so that it says nothing of who has an account.
            await eventually(
              async () => (await readMailbox(dataDir)).map((mail) => mail.to),
              (recipients) => recipients.includes(`reader_${locale}@example.org`),
              `the reset mail to reader_${locale}`,
            );
          },
          { javaScriptEnabled: false },
        ),
        step("face", "/c/circle", reader, async (page) => {
          await page.getByText("Cite your sources").first().waitFor();
          await page.getByLabel(t("join.messageRequired")).fill("I evaluate cash transfers.");
          await page.getByRole("button", { name: t("join.request") }).click();
          await page.getByText(t("join.pending")).waitFor();
        }),
        step("invitation", new URL(invitation?.link ?? "/").pathname, guest, async (page) => {
          await page
            .getByRole("button", { name: t("invitation.join", { community: "Ministers' table" }) })
            .click();
          await page.waitForURL(`${instance.origin}/c/inner`);
          await page.getByText(t("join.member")).first().waitFor();
        }),
        step(
          "event",
          `/posts/${eventId}`,
          reader,
          async (page) => {
            const times = page.locator(".event-details .event-time");
            await expect.poll(() => times.count()).toBe(2);
            const [yours, theirs] = await times.allTextContents();
            expect(yours).toContain(t("event.yourTime"));
            expect(yours).toContain(zoneName(locale, "Europe/Paris"));
            expect(theirs).toContain(t("event.eventTime"));
            expect(theirs).toContain(zoneName(locale, "America/Bogota"));
          },
          { timezoneId: "Europe/Paris" },
        ),
        step("refusal", "/register", undefined, async (page) => {
          const refused = { username: "not valid!", email: "someone@example.org" };
          await page.locator("#username").fill(refused.username);
          await page.locator("#email").fill(refused.email);
          await page.locator("#new-password").fill(testPassword);
          await page.locator("main form button[type=submit]").click();
          const alert = page.getByRole("alert");
          await alert.waitFor();
          const answer = await request("POST", "/api/v1/accounts", {
            body: { ...refused, password: testPassword },
            headers: { "accept-language": locale },
          });
          expect(await alert.textContent()).toBe(answer.body.error.message);
        }),
        step("search", "/search", reader, async (page) => {
          await page.locator("#search-q").fill("quetzalcoatl");
          await page.getByRole("button", { name: t("search.button") }).click();
          await page.getByRole("link", { name: "Flamingo registries" }).waitFor();
        }),
        step("moderation", "/c/library", owner, async (page) => {
          await page.getByRole("link", { name: doomed }).click();
          await page.getByRole("button", { name: t("moderation.delete"), exact: true }).click();
          await page
            .getByRole("group", { name: t("moderation.confirm.delete", { title: doomed }) })
            .getByRole("button", { name: t("moderation.delete"), exact: true })
            .click();
          await page
            .locator("article > p.meta")
            .filter({ hasText: t("thread.deleted") })
            .waitFor();
        }),
        step(
          "face for a visitor without scripts",
          "/c/circle",
          undefined,
          async (page) => {
            await page.getByText("Evaluators only").first().waitFor();
            await page.getByRole("link", { name: t("face.signInToRequest") }).waitFor();
          },
          { javaScriptEnabled: false },
        ),
        step(
          "event without scripts",
          `/posts/${eventId}`,
          undefined,
          async (page) => {
            await page.getByText(zoneName(locale, "America/Bogota")).first().waitFor();
          },
          { javaScriptEnabled: false, timezoneId: "Europe/Paris" },
        ),
        step(
          "sign-in without scripts",
          "/signin",
          undefined,
          async (page) => {
            await page.locator("#login").fill(reader.username);
            await page.locator("#password").fill(testPassword);
            await page.locator("main form button[type=submit]").click();
            await page.waitForURL(`${instance.origin}/`);
            await page.getByRole("link", { name: t("nav.settings") }).waitFor();
          },
          { javaScriptEnabled: false },
        ),
      ]);
      expect(problems.flat()).toEqual([]);
    },
    90_000,
  );
});
