import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localeProblems } from "../../scripts/check-locales.ts";
import { startTestInstance, type TestInstance } from "../support/instance.ts";

const locales = ["en", "fr", "es", "pt", "ar"];

function keysOf(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object") return [prefix];
  return Object.entries(value).flatMap(([key, inner]) =>
    keysOf(inner, prefix ? `${prefix}.${key}` : key),
  );
}

describe("translations", () => {
  let praxis: TestInstance;
  beforeAll(async () => {
    praxis = await startTestInstance();
  });
  afterAll(() => praxis.close());

  it("has every English key, and no other, in each of the five languages", () => {
    for (const namespace of readdirSync("locales/en")) {
      const english = keysOf(JSON.parse(readFileSync(`locales/en/${namespace}`, "utf8"))).sort();
      for (const locale of locales) {
        const translated = keysOf(
          JSON.parse(readFileSync(`locales/${locale}/${namespace}`, "utf8")),
        ).sort();
        expect(translated, `${locale}/${namespace}`).toEqual(english);
      }
    }
  });

  it("writes every English message in each language, non-empty, filling in the same {{names}}", () => {
    expect(localeProblems()).toEqual([]);
  });

  it("answers errors in the language of Accept-Language", async () => {
    const french = await praxis.request("GET", "/api/v1/me", {
      headers: { "accept-language": "fr-CA,fr;q=0.9,en;q=0.5" },
    });
    expect(french.status).toBe(401);
    expect(french.body.error.code).toBe("not_signed_in");
    const english = await praxis.request("GET", "/api/v1/me");
    expect(french.body.error.message).not.toBe(english.body.error.message);
    const arabic = await praxis.request("GET", "/api/v1/communities/nowhere", {
      headers: { "accept-language": "ar" },
    });
    expect(arabic.body.error.message).toMatch(/[\u0600-\u06FF]/);
    expect(arabic.body.error.message).toContain("nowhere");
  });

  it("prefers the account's own language to the browser's", async () => {
    const person = await praxis.signUp("hispanohablante", { locale: "es" });
    const answer = await praxis.request("GET", "/api/v1/communities/nowhere", {
      token: person.token,
      headers: { "accept-language": "fr" },
    });
    const spanish = await praxis.request("GET", "/api/v1/communities/nowhere", {
      headers: { "accept-language": "es" },
    });
    expect(answer.body.error.message).toBe(spanish.body.error.message);
  });

  it("answers in the language last chosen with the switcher, as pages do, whatever else asks", async () => {
    const person = await praxis.signUp("lusofono", { locale: "es" });
    const answer = await praxis.request("GET", "/api/v1/communities/nowhere", {
      token: person.token,
      headers: { "accept-language": "fr", cookie: "lang=pt" },
    });
    const portuguese = await praxis.request("GET", "/api/v1/communities/nowhere", {
      headers: { "accept-language": "pt" },
    });
    expect(answer.body.error.message).toBe(portuguese.body.error.message);
  });

  it("translates each invalid field's problem", async () => {
    const answer = await praxis.request("POST", "/api/v1/accounts", {
      headers: { "accept-language": "pt" },
      body: { username: "ok_name", email: "ok@example.org", password: "short" },
    });
    const english = await praxis.request("POST", "/api/v1/accounts", {
      body: { username: "ok_name", email: "ok@example.org", password: "short" },
    });
    // The field is named in the reader's words, never by the code's name for it.
    expect(answer.body.error.message).toContain("senha");
    expect(answer.body.error.message).not.toContain("password");
    expect(answer.body.error.message).toContain("10");
    expect(answer.body.error.message).not.toBe(english.body.error.message);
  });

  it("serves the directory right-to-left in Arabic", async () => {
    const response = await praxis.app.request("http://praxis.test/", {
      headers: { "accept-language": "ar" },
    });
    const html = await response.text();
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain("/api/v1/openapi.json");
  });
});
