import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The languages every English message must also be written in. */
const translatedLocales = ["fr", "es", "pt", "ar"] as const;

/** Every message of a namespace file, by its dotted key. */
export function messagesOf(value: unknown, prefix = ""): Map<string, unknown> {
  if (value === null || typeof value !== "object") return new Map([[prefix, value]]);
  return new Map(
    Object.entries(value).flatMap(([key, inner]) => [
      ...messagesOf(inner, prefix ? `${prefix}.${key}` : key),
    ]),
  );
}

/** The {{names}} a message fills in, sorted, so two languages can be compared. */
function interpolationsOf(message: unknown): string[] {
  if (typeof message !== "string") return [];
  const names = [...message.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((match) => match[1] ?? "");
  return [...new Set(names)].sort();
}

/**
 * What a reader of each language would miss: a key English has and the language lacks or
 * leaves empty, or a message that fills in other {{names}} than the English one (the value
 * would go missing, or a raw "{{name}}" would show). One line per problem.
 */
export function localeProblems(root = "locales"): string[] {
  const problems: string[] = [];
  for (const namespace of readdirSync(`${root}/en`)) {
    const read = (locale: string) =>
      messagesOf(JSON.parse(readFileSync(`${root}/${locale}/${namespace}`, "utf8")));
    const english = read("en");
    for (const locale of translatedLocales) {
      const translated = read(locale);
      for (const [key, englishMessage] of english) {
        const where = `${locale}/${namespace} ${key}`;
        const message = translated.get(key);
        if (typeof message !== "string" || message.trim() === "") {
          problems.push(`${where}: missing or empty`);
          continue;
        }
        const expected = interpolationsOf(englishMessage).join(", ");
        const found = interpolationsOf(message).join(", ");
        if (found !== expected)
          problems.push(`${where}: fills in {${found}}, English {${expected}}`);
      }
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = localeProblems();
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) process.exit(1);
  console.log("every English message is translated, with the same {{names}}, in fr, es, pt, ar");
}
