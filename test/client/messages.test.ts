import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { locales } from "../../client/i18n.ts";

/** The names of the messages in a file that would show nothing: empty, blank or not text. */
function blankMessagesIn(file: string): string[] {
  const blank: string[] = [];
  JSON.parse(readFileSync(file, "utf8"), (name, value) => {
    const text = typeof value === "string" ? value.trim() : value;
    if (text === "" || text === null || (typeof text !== "string" && typeof text !== "object")) {
      blank.push(name);
    }
    return value;
  });
  return blank;
}

// The same keys in every language are checked with all namespaces in test/server/translations.test.ts.
describe("the client's messages", () => {
  it.each(locales)("give every screen something to show in %s", (locale) => {
    expect(blankMessagesIn(`locales/${locale}/client.json`)).toEqual([]);
  });
});
