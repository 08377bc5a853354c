/**
 * A post's or reply's text as HTML, sanitised on the server with an allowlist before it is
 * stored. `dir="auto"` lets an English reply on an Arabic page read left to right.
 */
export function Prose({ html, lang }: { html: string; lang?: string | undefined }) {
  return <div class="prose" dir="auto" lang={lang} dangerouslySetInnerHTML={{ __html: html }} />;
}
