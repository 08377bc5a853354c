import { detectAll } from "tinyld";

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
 * How sure tinyld must be of its first guess before a post is labelled with it. Its accuracy
 * for a clear sentence is 0.3 to 1; for a line of English nouns it guesses Dutch or Estonian at
 * 0.02 to 0.05, with its second guess close behind. A wrong label is worse than none.
 */
const leastAccuracy = 0.1;
const leadOverSecond = 2;

function confidentGuess(text: string): string {
  const [first, second] = detectAll(text);
  if (!first || first.accuracy < leastAccuracy) return "und";
  if (second && first.accuracy < second.accuracy * leadOverSecond) return "und";
  return first.lang;
}

/**
 * The ISO 639 language of a text, as given or else detected from its body (the title
 * only when the body is too short); "und" (undetermined) when it cannot tell for sure.
 */
export function languageOf(body: string, given?: string | undefined, title = ""): string {
  if (given) return given.toLowerCase();
  const text = prose(body).length >= 20 ? prose(body) : prose(`${title} ${body}`);
  if (text.length < 12) return "und";
  return confidentGuess(text);
}
