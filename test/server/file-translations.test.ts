import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Person,
  startTestInstance,
  type TestInstance,
  testOrigin,
} from "../support/instance.ts";

const pdf = new TextEncoder().encode(
  "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n",
);

/**
 * A shared file reads in its reader's language as posts and events do (issue 18): its record
 * and the community's list of files carry the translation into the reader's language, chosen
 * by Accept-Language or the account's own, and `?original=1` keeps the original.
 */
describe("translations of shared files", () => {
  let praxis: TestInstance;
  let author: Person;
  let spanishReader: Person;
  let fileId: string;

  beforeAll(async () => {
    praxis = await startTestInstance();
    author = await praxis.signUp("librarian");
    spanishReader = await praxis.signUp("lectora", { locale: "es" });
    await praxis.request("POST", "/api/v1/communities", {
      token: author.token,
      body: { slug: "archive", name: "Archive", privacy: "open" },
    });
    const form = new FormData();
    form.set("file", new Blob([pdf]), "rapport.pdf");
    form.set("title", "Rapport sur la protection sociale");
    form.set("language", "fr");
    const shared = await praxis.app.request(`${testOrigin}/api/v1/communities/archive/files`, {
      method: "POST",
      body: form,
      headers: { authorization: `Bearer ${author.token}` },
    });
    expect(shared.status).toBe(201);
    fileId = ((await shared.json()) as { id: string }).id;
    for (const [language, title] of [
      ["ar", "تقرير عن الحماية الاجتماعية"],
      ["es", "Informe sobre la protección social"],
    ]) {
      const translated = await praxis.request(
        "PUT",
        `/api/v1/posts/${fileId}/translations/${language}`,
        { token: author.token, body: { title, content: title } },
      );
      expect(translated.status).toBe(200);
    }
  });
  afterAll(() => praxis.close());

  it("gives an Arabic reader the file's Arabic version, and the original when asked", async () => {
    const arabic = { "accept-language": "ar" };
    const shown = await praxis.request("GET", `/api/v1/files/${fileId}`, { headers: arabic });
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      title: "Rapport sur la protection sociale",
      language: "fr",
      translation: { language: "ar", title: "تقرير عن الحماية الاجتماعية" },
      file: { filename: "rapport.pdf" },
    });
    expect([...shown.body.translations].sort()).toEqual(["ar", "es"]);
    const original = await praxis.request("GET", `/api/v1/files/${fileId}?original=1`, {
      headers: arabic,
    });
    expect(original.body.translation).toBeNull();
    expect(original.body.title).toBe("Rapport sur la protection sociale");
  });

  it("lists the community's files in the language of the reader's account", async () => {
    const list = await praxis.request("GET", "/api/v1/communities/archive/files", {
      token: spanishReader.token,
      headers: { "accept-language": "en" },
    });
    expect(list.status).toBe(200);
    expect(list.body.items[0].translation).toMatchObject({
      language: "es",
      title: "Informe sobre la protección social",
    });
    const original = await praxis.request("GET", "/api/v1/communities/archive/files?original=1", {
      token: spanishReader.token,
    });
    expect(original.body.items[0].translation).toBeNull();
  });
});
