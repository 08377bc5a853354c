/*
 * What a community is about and for whom, as the network directory filters it: topics (free
 * tags), languages and the countries it focuses on. The API's validators and what partners
 * say of their communities are held to the same rules here.
 */

export const maxTopics = 10;
export const maxTopicLength = 50;
export const maxLanguages = 10;
export const maxCountries = 20;

export interface Facets {
  topics: string[];
  languages: string[];
  countries: string[];
}

/** "Social  Protection" and "social protection" are one topic: trimmed, spaced once, lower case. */
export function normalTopic(text: string): string {
  return text.trim().replace(/\s+/g, " ").toLocaleLowerCase("en");
}

const languageNames = new Intl.DisplayNames(["en"], { type: "language", fallback: "none" });
const regionNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });

/** A BCP 47 tag in its canonical form (`pt-br` → `pt-BR`), or null if it names no language. */
export function normalLanguage(tag: string): string | null {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag.trim());
    return canonical && languageNames.of(canonical) ? canonical : null;
  } catch {
    return null;
  }
}

/** An ISO 3166-1 alpha-2 code in capitals (`ke` → `KE`), or null if it names no country. */
export function normalCountry(code: string): string | null {
  const upper = code.trim().toUpperCase();
  return /^[A-Z]{2}$/.test(upper) && regionNames.of(upper) ? upper : null;
}

/** Each value once, in the order first given. */
const distinct = (values: string[]) => [...new Set(values)];

export const distinctTopics = (topics: string[]) => distinct(topics.map(normalTopic));

/**
 * Facets another server gave: what is not text, not valid or beyond the limits is dropped,
 * so that a partner can never store more, or other, than a local administrator could.
 */
export function facetsFrom(given: {
  topics: unknown;
  languages: unknown;
  countries: unknown;
}): Facets {
  const texts = (value: unknown) =>
    Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
  const valid = (values: (string | null)[]) =>
    distinct(values.filter((value): value is string => Boolean(value)));
  return {
    topics: valid(
      texts(given.topics)
        .map(normalTopic)
        .map((topic) => (topic.length <= maxTopicLength ? topic : null)),
    ).slice(0, maxTopics),
    languages: valid(texts(given.languages).map(normalLanguage)).slice(0, maxLanguages),
    countries: valid(texts(given.countries).map(normalCountry)).slice(0, maxCountries),
  };
}
