import { Marked } from "marked";
import { DomainError } from "../errors.ts";
import { sanitize } from "./sanitize.ts";

const marked = new Marked({ gfm: true, breaks: true, async: false });

/**
 * As long as Lemmy lets a post's Markdown be (LemmyNet/lemmy crates/utils/src/utils/
 * validation.rs, POST_BODY_MAX_LENGTH), in characters: anything Lemmy sends fits. marked's
 * time grows faster than its input; within this, the worst input measured renders in 0.3 s.
 */
export const markdownLengthLimit = 50_000;

/**
 * How many quotes and list items may open at the start of one line. marked reads a quote
 * again for each quote it holds, so a staircase of quotes 20 deep takes 2 s and each level
 * doubles it; 100 000 levels overflow its stack.
 */
export const markdownNestingLimit = 8;

/** `>`, or a list item's marker (`-`, `+`, `*`, `1.`, `1)`) before a blank or the line's end. */
const containerMarker = /[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$))/y;

/** The most quote and list markers that open one line, counted without parsing. */
function deepestNesting(source: string): number {
  let deepest = 0;
  for (const line of source.split(/\r\n|\r|\n/)) {
    containerMarker.lastIndex = 0;
    let depth = 0;
    while (containerMarker.test(line)) depth++;
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}

/**
 * Markdown as the safe HTML every reader gets: rendered, then passed through the allowlist.
 * Text too long or nested too deep for marked to render in bounded time is refused first.
 */
export function renderMarkdown(source: string): string {
  // Characters as Lemmy counts them: code points, not UTF-16 units.
  if (source.length > markdownLengthLimit && [...source].length > markdownLengthLimit)
    throw new DomainError("markdown_too_long", { limit: markdownLengthLimit });
  if (deepestNesting(source) > markdownNestingLimit)
    throw new DomainError("markdown_too_deep", { limit: markdownNestingLimit });
  return sanitize(marked.parse(source, { async: false }));
}
