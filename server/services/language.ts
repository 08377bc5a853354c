import { detect } from "tinyld";

/** Text without markup, links and code, which only confuse detection. */
function prose(text: string): string {
  return text
    .replace(/```[\s\S]*?```|`[^`]*`/g, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/\]\([^)]*\)|https?:\/\/\S+/g, " ")
    .replace(/[#*_>[\]()!|~-]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * The ISO 639 language of a text, as given or else detected from its body (the title
 * only when the body is too short); "und" (undetermined) when it cannot tell.
 */
export function languageOf(body: string, given?: string | undefined, title = ""): string {
  if (given) return given.toLowerCase();
  const text = prose(body).length >= 20 ? prose(body) : prose(`${title} ${body}`);
  if (text.length < 12) return "und";
  return detect(text) || "und";
}
