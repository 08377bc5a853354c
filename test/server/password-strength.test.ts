import { readFileSync } from "node:fs";
import { translations as estimatorEnglish } from "@zxcvbn-ts/language-en";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../support/instance.ts";

const locales = ["en", "fr", "es", "pt", "ar"];
const messagesOf = (locale: string) =>
  JSON.parse(readFileSync(`locales/${locale}/passwords.json`, "utf8")) as {
    warning: Record<string, string>;
    suggestion: Record<string, string>;
  };

describe("password strength", () => {
  let praxis: TestInstance;
  beforeAll(async () => {
    praxis = await startTestInstance();
  });
  afterAll(() => praxis.close());

  const register = (username: string, password: string, locale = "en") =>
    praxis.request("POST", "/api/v1/accounts", {
      body: { username, email: `${username}@example.org`, password },
      headers: { "accept-language": locale },
    });

  it("refuses easily guessed passwords even for the first account, saying why, and creates nothing", async () => {
    const repeated = await register("first_person", "aaaaaaaaaa");
    expect(repeated.status).toBe(422);
    expect(repeated.body.error.code).toBe("weak_password");
    expect(repeated.body.error.message).toContain(messagesOf("en").warning.simpleRepeat);
    const common = await register("first_person", "password12");
    expect(common.status).toBe(422);
    expect(common.body.error.message).toContain(messagesOf("en").warning.common);
    expect(common.body.error.message).toContain(messagesOf("en").suggestion.anotherWord);

    const strong = await praxis.signUp("first_person");
    const me = await praxis.request("GET", "/api/v1/me", { token: strong.token });
    expect(me.body).toMatchObject({ username: "first_person", isAdmin: true });
  });

  it("counts the person's own name and e-mail address as the words a guesser tries first", async () => {
    const ownName = await register("wanjiru_otieno", "wanjiru_otieno!");
    expect(ownName.status).toBe(422);
    expect(ownName.body.error.message).toContain(messagesOf("en").warning.userInputs);
    const ownAddress = await register("kamau", "kamau@example.org");
    expect(ownAddress.status).toBe(422);
    // The same password is strong for somebody else.
    expect((await register("achieng", "wanjiru_otieno!")).status).toBe(201);
  });

  it("explains a weak password in the reader's language", async () => {
    const english = (await register("lingua", "aaaaaaaaaa")).body.error.message;
    for (const locale of ["fr", "es", "pt", "ar"]) {
      const answer = await register("lingua", "aaaaaaaaaa", locale);
      expect(answer.status).toBe(422);
      expect(answer.body.error.message, locale).not.toBe(english);
      expect(answer.body.error.message, locale).toContain(messagesOf(locale).warning.simpleRepeat);
    }
    const arabic = await register("lingua", "password12", "ar");
    expect(arabic.body.error.message).toMatch(/^[^a-z]*[\u0600-\u06FF]/);
  });

  it("has a message of its own, in every language, for each warning and suggestion the estimator gives", () => {
    for (const locale of locales) {
      const messages = messagesOf(locale);
      for (const key of Object.keys(estimatorEnglish.warnings)) {
        expect(messages.warning[key], `${locale} warning.${key}`).toMatch(/\S/);
      }
      for (const key of Object.keys(estimatorEnglish.suggestions)) {
        expect(messages.suggestion[key], `${locale} suggestion.${key}`).toMatch(/\S/);
      }
    }
  });
});
