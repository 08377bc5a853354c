import type { Context } from "hono";
import { escapeHtml } from "../html.ts";
import { negotiateLocale, translator } from "../i18n.ts";
import { renderPage } from "./layout.ts";

/** A light welcome page until the client is served: what this is and where the API lives. */
export function renderHome(c: Context): Response {
  const locale = negotiateLocale(c.req.header("accept-language")) ?? "en";
  const t = translator(locale, "pages");
  const description = t("home.description");
  return renderPage(c, locale, {
    title: t("home.title", { host: new URL(c.req.url).host }),
    description,
    body: `<p>${escapeHtml(description)}</p>\n<p><a href="/api/v1/openapi.json">${escapeHtml(t("home.api"))}</a></p>`,
  });
}
