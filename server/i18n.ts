import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import i18next, { type TFunction } from "i18next";
import { projectPath } from "./project-root.ts";

export const supportedLocales = ["en", "fr", "es", "pt", "ar"] as const;
export type Locale = (typeof supportedLocales)[number];

const localesDir = projectPath("locales");

function loadResources() {
  return Object.fromEntries(
    supportedLocales.map((locale) => {
      const dir = join(localesDir, locale);
      const namespaces = readdirSync(dir)
        .filter((file) => file.endsWith(".json"))
        .map((file) => [
          basename(file, ".json"),
          JSON.parse(readFileSync(join(dir, file), "utf8")),
        ]);
      return [locale, Object.fromEntries(namespaces)];
    }),
  );
}

const resources = loadResources();

export const i18n = i18next.createInstance();
await i18n.init({
  resources,
  supportedLngs: [...supportedLocales],
  fallbackLng: "en",
  ns: Object.keys(resources.en ?? {}),
  defaultNS: "errors",
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function isLocale(value: string): value is Locale {
  return (supportedLocales as readonly string[]).includes(value);
}

/** Picks the best supported locale from an Accept-Language header, by quality. */
export function negotiateLocale(header: string | undefined | null): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const quality = params.find((p) => p.trim().startsWith("q="));
      return {
        tag: tag.trim().toLowerCase(),
        q: quality ? Number(quality.trim().slice(2)) : 1,
        index,
      };
    })
    .filter((entry) => entry.tag && Number.isFinite(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    const base = tag.split("-")[0] ?? "";
    if (isLocale(base)) return base;
  }
  return undefined;
}

export function translator(locale: Locale, namespace: string): TFunction {
  return i18n.getFixedT(locale, namespace);
}

/** The cookie keeping the language last chosen with the switcher, on this device. */
export const languageCookie = "lang";

/**
 * The reader's language, the same for pages and API answers: the one last chosen on this
 * device, else their account's, else their browser's.
 */
export function readerLocale(c: Context, accountLocale: string | undefined): Locale {
  const chosen = getCookie(c, languageCookie);
  if (chosen && isLocale(chosen)) return chosen;
  if (accountLocale && isLocale(accountLocale)) return accountLocale;
  return negotiateLocale(c.req.header("accept-language")) ?? "en";
}
