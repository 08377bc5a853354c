const byteOrderMark = [0xef, 0xbb, 0xbf];
/** Space, tab, line feed and carriage return: all the whitespace JSON allows around a value. */
const jsonWhitespace = new Set([0x20, 0x09, 0x0a, 0x0d]);
const openingBrace = 0x7b;
const openingBracket = 0x5b;

/**
 * Whether the bytes are a JSON object or array, as a fetching server decoding them as UTF-8
 * would read them (a byte-order mark and whitespace are no disguise). Such bytes, served from
 * the main origin, could pass for an ActivityPub document (an actor) living there.
 */
export function isJsonDocument(bytes: Uint8Array): boolean {
  let at = byteOrderMark.every((byte, index) => bytes[index] === byte) ? byteOrderMark.length : 0;
  while (at < bytes.length && jsonWhitespace.has(bytes[at] ?? 0)) at += 1;
  if (bytes[at] !== openingBrace && bytes[at] !== openingBracket) return false;
  try {
    JSON.parse(new TextDecoder("utf-8").decode(bytes));
    return true;
  } catch {
    return false;
  }
}
