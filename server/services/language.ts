import { detectAll } from "tinyld";

/** Text without markup, links and code, which only confuse detection. */
function prose(text: string): string {
  return (
    text
      .replace(/```[\s\S]*?```|`[^`]*`/g, " ")
      .replace(/<[^>]*>/g, " ")
      .replace(/\]\([^)]*\)|\b[a-z][\w+.-]*:\S+/gi, " ")
      // Script text left after its tags, `alert(1)`, reads as no language.
      .replace(/\w+\([^)]*\)/g, " ")
      .replace(/[#*_>[\]()!|~-]/g, " ")
      .replace(/\s+/g, " ")
      .trim()
  );
}

/**
 * How far tinyld's first guess must lead its second before a post is labelled with it. A line of
 * English nouns comes out Dutch or Estonian with English a close second (1.3 to 1.5 times); a
 * French sentence leads Spanish 15 times over. Its accuracy alone says little: short clear
 * sentences score 0.02. A wrong label is worse than none.
 */
const leadOverSecond = 2;

function confidentGuess(text: string): string {
  const [first, second] = detectAll(text);
  if (!first) return "und";
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
