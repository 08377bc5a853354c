import type { Context } from "hono";
import { escapeHtml } from "../html.ts";
import type { Locale } from "../i18n.ts";
import { webAppLinks } from "./web-app.ts";

/** The light shell of server-rendered pages: no script, no web font, readable on a phone. */
export function renderPage(
  c: Context,
  locale: Locale,
  page: { title: string; description?: string; body: string },
  status: 200 | 400 | 404 | 409 | 410 = 200,
): Response {
  const direction = locale === "ar" ? "rtl" : "ltr";
  const description = page.description
    ? `<meta name="description" content="${escapeHtml(page.description)}">\n`
    : "";
  return c.html(
    `<!doctype html>
<html lang="${locale}" dir="${direction}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
${webAppLinks(locale)}
${description}<style>body{font:1rem/1.5 system-ui,sans-serif;max-inline-size:40rem;margin:2rem auto;padding-inline:1rem}</style>
</head>
<body>
<h1>${escapeHtml(page.title)}</h1>
${page.body}
</body>
</html>`,
    status,
  );
}
