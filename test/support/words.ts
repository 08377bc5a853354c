import { readFileSync } from "node:fs";
import { createTranslator, type Locale, type Messages } from "../../client/i18n.ts";

/**
 * The client's own words in one language, translated as the client does. A key the language
 * lacks throws instead of matching the bare key the page would show.
 */
export function wordsIn(locale: Locale) {
  const messages = JSON.parse(readFileSync(`locales/${locale}/client.json`, "utf8")) as Messages;
  const t = createTranslator(locale, messages);
  return (key: string, values: Record<string, unknown> = {}): string => {
    const text = t(key, values);
    if (!text || text === key) throw new Error(`locales/${locale}/client.json lacks ${key}`);
    return text;
  };
}
