import type { Context } from "hono";
import type { Deps } from "../deps.ts";
import { escapeHtml } from "../html.ts";
import { negotiateLocale, translator } from "../i18n.ts";
import { stopNewsMail, unsubscribingAccount } from "../services/notifications.ts";
import { renderPage } from "./layout.ts";

/**
 * GET asks, POST acts: mail scanners follow links, so only a deliberate press (or a
 * mail client's one-click List-Unsubscribe POST) turns the e-mails off.
 */
export async function renderUnsubscribe(c: Context, deps: Deps): Promise<Response> {
  const account = await unsubscribingAccount(deps, c.req.param("token") ?? "");
  const locale = negotiateLocale(c.req.header("accept-language")) ?? "en";
  const t = translator(locale, "pages");
  const title = t("unsubscribe.title");
  if (!account)
    return renderPage(
      c,
      locale,
      { title, body: `<p>${escapeHtml(t("unsubscribe.invalid"))}</p>` },
      404,
    );
  const name = account.displayName || account.username;
  if (c.req.method === "POST") {
    await stopNewsMail(deps, account.id);
    return renderPage(c, locale, {
      title,
      body: `<p>${escapeHtml(t("unsubscribe.done", { account: name }))}</p>`,
    });
  }
  return renderPage(c, locale, {
    title,
    body: `<p>${escapeHtml(t("unsubscribe.question", { account: name }))}</p>
<form method="post"><button type="submit">${escapeHtml(t("unsubscribe.confirm"))}</button></form>`,
  });
}
