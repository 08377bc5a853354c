/** Deeper than any activity real software sends; jsonld recurses once per level. */
export const maxNesting = 64;

const quote = 0x22;
const backslash = 0x5c;
const opening = new Set([0x5b, 0x7b]); // [ {
const closing = new Set([0x5d, 0x7d]); // ] }

/** Whether JSON text opens more than `limit` arrays or objects inside one another. */
export function nestsDeeperThan(json: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const char = json.charCodeAt(i);
    if (inString) {
      if (char === backslash) i++;
      else if (char === quote) inString = false;
    } else if (char === quote) {
      inString = true;
    } else if (opening.has(char)) {
      if (++depth > limit) return true;
    } else if (closing.has(char)) {
      depth--;
    }
  }
  return false;
}
