import type { Context } from "hono";
import { escapeHtml } from "../html.ts";
import { negotiateLocale, translator } from "../i18n.ts";

/** A light welcome page until the client is served: what this is and where the API lives. */
export function renderHome(c: Context): Response {
  const locale = negotiateLocale(c.req.header("accept-language")) ?? "en";
  const t = translator(locale, "pages");
  const host = new URL(c.req.url).host;
  const direction = locale === "ar" ? "rtl" : "ltr";
  return c.html(`<!doctype html>
<html lang="${locale}" dir="${direction}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t("home.title", { host }))}</title>
<meta name="description" content="${escapeHtml(t("home.description"))}">
<style>body{font:1rem/1.5 system-ui,sans-serif;max-inline-size:40rem;margin:2rem auto;padding-inline:1rem}</style>
</head>
<body>
<h1>${escapeHtml(t("home.title", { host }))}</h1>
<p>${escapeHtml(t("home.description"))}</p>
<p><a href="/api/v1/openapi.json">${escapeHtml(t("home.api"))}</a></p>
</body>
</html>`);
}
