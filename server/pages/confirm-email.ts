import type { Context } from "hono";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { escapeHtml } from "../html.ts";
import { negotiateLocale, translator } from "../i18n.ts";
import { confirmEmailChange, openEmailChange } from "../services/email-change.ts";
import { renderClosedLink } from "./account-link.ts";
import { renderPage } from "./layout.ts";

/**
 * The page an address-change mail links to. GET asks, POST acts, as mail scanners follow
 * links: only a deliberate press moves the account to the new address.
 */
export async function renderConfirmEmail(c: Context, deps: Deps): Promise<Response> {
  const locale = negotiateLocale(c.req.header("accept-language")) ?? "en";
  const t = translator(locale, "pages");
  const title = t("confirmEmail.title");
  const token = c.req.param("token") ?? "";
  const opened = await openEmailChange(deps, token);
  if (opened.status !== "valid") return renderClosedLink(c, locale, title, opened);
  const params = {
    account: opened.account.displayName || opened.account.username,
    email: opened.link.newEmail ?? "",
  };
  if (c.req.method !== "POST") {
    return renderPage(c, locale, {
      title,
      body: `<p>${escapeHtml(t("confirmEmail.question", params))}</p>
<form method="post"><button type="submit">${escapeHtml(t("confirmEmail.confirm"))}</button></form>`,
    });
  }
  try {
    const confirmed = await confirmEmailChange(deps, token);
    if (confirmed.status !== "valid") return renderClosedLink(c, locale, title, confirmed);
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== "email_taken") throw error;
    const message = translator(locale, "errors")(error.code);
    return renderPage(
      c,
      locale,
      { title, body: `<p role="alert">${escapeHtml(message)}</p>` },
      409,
    );
  }
  return renderPage(c, locale, {
    title,
    body: `<p>${escapeHtml(t("confirmEmail.done", params))}</p>`,
  });
}
