import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousAxeProblems } from "../support/axe.ts";
import { type BrowserInstance, screenshot, startBrowserInstance } from "../support/browser.ts";
import { type Person, requester, signUpWith } from "../support/client.ts";
import { killLaunched } from "../support/process.ts";
import { pageAs } from "../support/signed-in-page.ts";

/** An Arabic reader reads a French post in Arabic, labelled, with the original one click away. */
describe("a post in the reader's language", () => {
  let instance: BrowserInstance;
  let amina: Person;
  let samir: Person;
  let postId: string;
  const request = (...args: Parameters<ReturnType<typeof requester>>) =>
    requester(instance.origin, (req) => fetch(req))(...args);

  beforeAll(async () => {
    instance = await startBrowserInstance("127.0.34.30");
    amina = await signUpWith(request, "amina", { displayName: "Amina Diallo" });
    samir = await signUpWith(request, "samir");
    await request("POST", "/api/v1/communities", {
      token: amina.token,
      body: { slug: "cash", name: "Transferts", summary: "Notes.", privacy: "open" },
    });
    const post = await request("POST", "/api/v1/communities/cash/discussions", {
      token: amina.token,
      body: {
        title: "Réunion de vendredi",
        content: "Bonjour à tous, merci de partager vos notes avant vendredi prochain.",
        language: "fr",
      },
    });
    postId = post.body.id;
    const translated = await request("PUT", `/api/v1/posts/${postId}/translations/ar`, {
      token: amina.token,
      body: { title: "اجتماع الجمعة", content: "مرحبا بالجميع، شاركوا ملاحظاتكم قبل الجمعة." },
    });
    expect(translated.status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await instance?.close();
    await killLaunched();
  });

  it("shows the Arabic translation, labelled, and the original one click away", async () => {
    const page = await pageAs(instance.browser, instance.origin, samir, `/posts/${postId}`, "ar", {
      bypassCSP: true,
    });
    await expect.poll(() => page.locator("h1").innerText()).toBe("اجتماع الجمعة");
    const label = page.locator(".translation-label");
    expect(await label.innerText()).toContain("Amina Diallo");
    expect(await page.locator(".prose").getAttribute("dir")).toBe("auto");
    expect(await page.locator("text=إضافة ترجمة").count()).toBe(0);
    expect(await seriousAxeProblems(page)).toEqual([]);
    await screenshot(page, "translation-ar");
    await label.locator("a").click();
    await expect.poll(() => page.locator("h1").innerText()).toBe("Réunion de vendredi");
    expect(page.url()).toContain("?original=1");
    await page.context().close();
  });

  it("gives the original without JavaScript, from the same link", async () => {
    const context = await instance.browser.newContext({ javaScriptEnabled: false, locale: "ar" });
    const page = await context.newPage();
    await page.goto(`${instance.origin}/posts/${postId}`);
    expect(await page.locator("h1").innerText()).toBe("اجتماع الجمعة");
    await page.locator(".translation-label a").click();
    expect(await page.locator("h1").innerText()).toBe("Réunion de vendredi");
    await context.close();
  });

  it("offers the author a form to add a translation, and no machine where none is set", async () => {
    const page = await pageAs(instance.browser, instance.origin, amina, `/posts/${postId}`, "en", {
      bypassCSP: true,
    });
    await page.locator("summary", { hasText: "Add a translation" }).click();
    await page.locator("#translation-language").selectOption("es");
    await page.locator("#translation-title").fill("Reunión del viernes");
    await page.locator("#translation-content").fill("Hola a todos, compartan sus notas.");
    await page.locator("button", { hasText: "Save translation" }).click();
    await expect
      .poll(async () => (await request("GET", `/api/v1/posts/${postId}`)).body.translations)
      .toEqual(["ar", "es"]);
    expect(await page.locator("button", { hasText: "Translate" }).count()).toBe(0);
    expect(await seriousAxeProblems(page)).toEqual([]);
    await page.context().close();
  });
});
