import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestInstance, type TestInstance } from "../../support/instance.ts";

/**
 * A LibreTranslate-shaped service, the edge of the world: it "translates" by tagging the text
 * with the target language, fails (500) for the target "xx" and never answers for "zz".
 */
async function startTranslator(address: string) {
  const asked: { q: string; source: string; target: string; format: string }[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const input = JSON.parse(body);
    asked.push(input);
    if (input.target === "zz") return;
    if (input.target === "xx") {
      res.writeHead(500).end("boom");
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ translatedText: `[${input.target}] ${input.q}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    asked,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

describe("translations of posts", () => {
  let praxis: TestInstance;
  let plain: TestInstance;
  let translator: Awaited<ReturnType<typeof startTranslator>>;
  let author: Person;
  let helper: Person;
  let reader: Person;
  let postId: string;

  const arabic = { "accept-language": "ar" };

  beforeAll(async () => {
    translator = await startTranslator("127.0.34.10");
    [praxis, plain] = await Promise.all([
      startTestInstance({ TRANSLATE_URL: translator.url, TRANSLATE_TIMEOUT_SECONDS: "1" }),
      startTestInstance(),
    ]);
    author = await praxis.signUp("amina");
    helper = await praxis.signUp("helper");
    reader = await praxis.signUp("reader");
    await praxis.request("POST", "/api/v1/communities", {
      token: author.token,
      body: { slug: "protection", name: "Protection sociale", privacy: "open" },
    });
    for (const person of [helper, reader]) {
      const joined = await praxis.request("POST", "/api/v1/communities/protection/join", {
        token: person.token,
        body: {},
      });
      expect(joined.status).toBe(200);
    }
    const post = await praxis.request("POST", "/api/v1/communities/protection/discussions", {
      token: author.token,
      body: {
        title: "Transferts monétaires",
        content: "Les transferts monétaires réduisent la pauvreté des ménages ruraux.",
        language: "fr",
      },
    });
    expect(post.status).toBe(201);
    postId = post.body.id;
  });
  afterAll(async () => {
    translator.close();
    await Promise.all([praxis.close(), plain.close()]);
  });

  const translate = (person: Person, language: string, body: unknown) =>
    praxis.request("PUT", `/api/v1/posts/${postId}/translations/${language}`, {
      token: person.token,
      body,
    });

  it("lets the author add a translation, sanitised as the original is", async () => {
    const added = await translate(author, "ar", {
      title: "التحويلات النقدية",
      content: "التحويلات النقدية تقلل الفقر <script>alert(1)</script>",
    });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({
      language: "ar",
      origin: "human",
      title: "التحويلات النقدية",
    });
    expect(added.body.content).toContain("التحويلات النقدية تقلل الفقر");
    expect(added.body.content).not.toContain("<script");
    expect(added.body.translator.username).toBe("amina");
  });

  it("shows an Arabic reader the Arabic version, labelled, with the original kept", async () => {
    const shown = await praxis.request("GET", `/api/v1/posts/${postId}`, { headers: arabic });
    expect(shown.body).toMatchObject({
      title: "Transferts monétaires",
      language: "fr",
      translations: ["ar"],
      translation: { language: "ar", title: "التحويلات النقدية", origin: "human" },
    });
    const original = await praxis.request("GET", `/api/v1/posts/${postId}?original=1`, {
      headers: arabic,
    });
    expect(original.body.translation).toBeNull();
    const french = await praxis.request("GET", `/api/v1/posts/${postId}`, {
      headers: { "accept-language": "fr" },
    });
    expect(french.body.translation).toBeNull();
    const listed = await praxis.request("GET", "/api/v1/communities/protection/discussions", {
      headers: arabic,
    });
    expect(listed.body.items[0].translation.title).toBe("التحويلات النقدية");
  });

  it("refuses translations from members not appointed, and bad languages", async () => {
    const refused = await translate(helper, "es", { title: "Transferencias", content: "Texto." });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("not_translator");
    const junk = await translate(author, "not a language", { title: "x", content: "y" });
    expect(junk.status).toBe(400);
    const same = await translate(author, "fr", { title: "x", content: "y" });
    expect(same.status).toBe(422);
    expect(same.body.error.code).toBe("translation_in_original_language");
  });

  it("lets a translator the admins appointed translate, and remove it", async () => {
    const members = await praxis.request("GET", "/api/v1/communities/protection/members", {
      token: author.token,
    });
    const membership = members.body.items.find(
      (member: { account: { username: string } }) => member.account.username === "helper",
    );
    const bySelf = await praxis.request(
      "PUT",
      `/api/v1/communities/protection/members/${membership.id}/translator`,
      { token: helper.token },
    );
    expect(bySelf.status).toBe(403);
    const appointed = await praxis.request(
      "PUT",
      `/api/v1/communities/protection/members/${membership.id}/translator`,
      { token: author.token },
    );
    expect(appointed.status).toBe(204);
    const added = await translate(helper, "es", {
      title: "Transferencias monetarias",
      content: "Las transferencias monetarias reducen la pobreza de los hogares rurales.",
    });
    expect(added.status).toBe(200);
    const listed = await praxis.request("GET", `/api/v1/posts/${postId}/translations`);
    expect(listed.body.items.map((each: { language: string }) => each.language)).toEqual([
      "ar",
      "es",
    ]);
    const removed = await praxis.request("DELETE", `/api/v1/posts/${postId}/translations/es`, {
      token: helper.token,
    });
    expect(removed.status).toBe(204);
    const again = await praxis.request("DELETE", `/api/v1/posts/${postId}/translations/es`, {
      token: helper.token,
    });
    expect(again.status).toBe(404);
  });

  it("tells each reader, on a thread and in its feed, whether they may translate", async () => {
    // The earlier test appointed helper; reader was never appointed.
    const untranslated = await praxis.request("POST", "/api/v1/communities/protection/pages", {
      token: author.token,
      body: { title: "Glossaire", content: "Transfert, ménage, registre social.", language: "fr" },
    });
    expect(untranslated.status).toBe(201);
    const mayOf = async (person: Person | null, path: string) =>
      (await praxis.request("GET", path, person ? { token: person.token } : {})).body;
    for (const [person, may] of [
      [helper, true],
      [reader, false],
      [null, false],
    ] as const) {
      const thread = await mayOf(person, `/api/v1/posts/${postId}`);
      expect(thread.mayTranslate).toBe(may);
      expect(thread.translations).toEqual(["ar"]);
      const page = await mayOf(person, `/api/v1/posts/${untranslated.body.id}`);
      expect(page.mayTranslate).toBe(may);
      expect(page.translations).toEqual([]);
      const feed = await mayOf(person, "/api/v1/communities/protection/discussions");
      const listed = feed.items.find((item: { id: string }) => item.id === postId);
      expect(listed.mayTranslate).toBe(may);
      expect(listed.translations).toEqual(["ar"]);
    }
  });

  it("finds a post by the words of its translations", async () => {
    const found = await praxis.request("GET", `/api/v1/search?q=${encodeURIComponent("النقدية")}`);
    expect(found.body.items).toContainEqual(
      expect.objectContaining({ id: postId, kind: "discussion" }),
    );
    const inArabic = await praxis.request(
      "GET",
      `/api/v1/search?q=${encodeURIComponent("النقدية")}&language=ar`,
    );
    expect(inArabic.body.items.map((hit: { id: string }) => hit.id)).toEqual([postId]);
  });

  it("asks the machine once for a reader's language, and keeps it for the next", async () => {
    const before = await praxis.request("GET", `/api/v1/posts/${postId}`, {
      token: reader.token,
      headers: { "accept-language": "pt" },
    });
    expect(before.body.mayAskMachineTranslation).toBe(true);
    const made = await praxis.request("POST", `/api/v1/posts/${postId}/translations/pt/machine`, {
      token: reader.token,
    });
    expect(made.status).toBe(200);
    expect(made.body).toMatchObject({
      language: "pt",
      origin: "machine",
      translator: null,
      title: "[pt] Transferts monétaires",
    });
    expect(translator.asked).toContainEqual(
      expect.objectContaining({ source: "fr", target: "pt", format: "html" }),
    );
    const asked = translator.asked.length;
    const next = await praxis.request("POST", `/api/v1/posts/${postId}/translations/pt/machine`, {
      token: author.token,
    });
    expect(next.status).toBe(200);
    expect(translator.asked.length).toBe(asked);
    const shown = await praxis.request("GET", `/api/v1/posts/${postId}`, {
      headers: { "accept-language": "pt" },
    });
    expect(shown.body.translation).toMatchObject({ language: "pt", origin: "machine" });
  });

  it("answers a clear 502 or 504 when the machine fails or is silent, 501 where there is none", async () => {
    const failed = await praxis.request("POST", `/api/v1/posts/${postId}/translations/xx/machine`, {
      token: reader.token,
    });
    expect(failed.status).toBe(502);
    expect(failed.body.error.code).toBe("translation_service_failed");
    expect(failed.body.error.message).not.toMatch(/^errors\./);
    const silent = await praxis.request("POST", `/api/v1/posts/${postId}/translations/zz/machine`, {
      token: reader.token,
    });
    expect(silent.status).toBe(504);
    expect(silent.body.error.code).toBe("translation_service_timeout");
    const elsewhere = await plain.signUp("nobody");
    const missing = await plain.request(
      "POST",
      `/api/v1/posts/00000000-0000-4000-8000-000000000000/translations/pt/machine`,
      { token: elsewhere.token },
    );
    expect(missing.status).toBe(501);
    expect(missing.body.error.code).toBe("machine_translation_unavailable");
  });

  it("keeps no translation of a deleted post", async () => {
    const deleted = await praxis.request("DELETE", `/api/v1/posts/${postId}`, {
      token: author.token,
    });
    expect(deleted.status).toBe(204);
    const listed = await praxis.request("GET", `/api/v1/posts/${postId}/translations`);
    expect(listed.body.items).toEqual([]);
    const shown = await praxis.request("GET", `/api/v1/posts/${postId}`, { headers: arabic });
    expect(shown.body).toMatchObject({ translations: [], translation: null });
  });
});
