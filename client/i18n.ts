import i18next, { type TFunction } from "i18next";

export const locales = ["en", "fr", "es", "pt", "ar"] as const;
export type Locale = (typeof locales)[number];

export const isLocale = (value: unknown): value is Locale =>
  (locales as readonly unknown[]).includes(value);

export const directionOf = (locale: Locale) => (locale === "ar" ? "rtl" : "ltr");

/** The names of the languages, each in itself, for the switcher. */
export const languageNames: Record<Locale, string> = {
  en: "English",
  fr: "Français",
  es: "Español",
  pt: "Português",
  ar: "العربية",
};

export type Messages = Record<string, unknown>;

/**
 * A translator for one language, from that language's `client` messages only: the page
 * carries them, so no other language is ever downloaded.
 */
export function createTranslator(locale: Locale, messages: Messages): TFunction {
  const instance = i18next.createInstance();
  void instance.init({
    lng: locale,
    resources: { [locale]: { client: messages } },
    ns: ["client"],
    defaultNS: "client",
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return instance.t;
}
