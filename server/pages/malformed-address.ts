import type { MiddlewareHandler } from "hono";
import { DomainError } from "../errors.ts";
import { escapeHtml } from "../html.ts";
import { readerLocale, translator } from "../i18n.ts";
import { renderPage } from "./layout.ts";

function decodes(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * A path whose percent-encoding does not decode (`/c/%ff`, `/c/%`) names nothing: it is
 * answered 400 before the router, the client's screens or Fedify try to decode it and throw.
 * People get a page saying so, programs the API's JSON error.
 */
export function refuseMalformedAddresses(): MiddlewareHandler {
  return async (c, next) => {
    // The URL parser keeps percent-escapes as they were sent.
    const path = new URL(c.req.url).pathname;
    if (decodes(path)) return next();
    const wantsPage =
      !path.startsWith("/api/") && (c.req.header("accept") ?? "").includes("text/html");
    if (!wantsPage) throw new DomainError("malformed_address");
    const locale = readerLocale(c, undefined);
    const t = translator(locale, "pages");
    return renderPage(
      c,
      locale,
      {
        title: t("malformedAddress.title"),
        body: `<p>${escapeHtml(t("malformedAddress.body"))}</p>\n<p><a href="/">${escapeHtml(t("malformedAddress.home"))}</a></p>`,
      },
      400,
    );
  };
}
