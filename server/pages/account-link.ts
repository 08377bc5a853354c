import type { Context } from "hono";
import { escapeHtml } from "../html.ts";
import type { Locale } from "../i18n.ts";
import { translator } from "../i18n.ts";
import type { OpenedLink } from "../services/account-links.ts";
import { renderPage } from "./layout.ts";

/**
 * The page of a mailed link that can no longer be used, saying why: used and expired links
 * are gone (410), anything else was never one (404). `again` offers a way to ask anew.
 */
export function renderClosedLink(
  c: Context,
  locale: Locale,
  title: string,
  opened: Exclude<OpenedLink, { status: "valid" }>,
  again?: { href: string; label: string },
): Response {
  const t = translator(locale, "pages");
  const offer = again
    ? `\n<p><a href="${escapeHtml(again.href)}">${escapeHtml(again.label)}</a></p>`
    : "";
  const body = `<p>${escapeHtml(t(`accountLink.${opened.status}`))}</p>${offer}`;
  return renderPage(c, locale, { title, body }, opened.status === "invalid" ? 404 : 410);
}
