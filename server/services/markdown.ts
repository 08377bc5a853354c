import { Marked } from "marked";
import { sanitize } from "./sanitize.ts";

const marked = new Marked({ gfm: true, breaks: true, async: false });

/** Markdown as the safe HTML every reader gets: rendered, then passed through the allowlist. */
export function renderMarkdown(source: string): string {
  return sanitize(marked.parse(source, { async: false }));
}
