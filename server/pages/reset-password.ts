import type { Context } from "hono";
import type { Account } from "../../db/schema/accounts.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { escapeHtml } from "../html.ts";
import { type Locale, negotiateLocale, translator } from "../i18n.ts";
import { clientAddress } from "../limits/client-address.ts";
import { openPasswordReset, resetPassword } from "../services/password-reset.ts";
import { renderClosedLink } from "./account-link.ts";
import { renderPage } from "./layout.ts";

const passwordLength = { min: 10, max: 1024 };

function passwordForm(locale: Locale, account: Account, problem?: string): string {
  const t = translator(locale, "pages");
  const name = account.displayName || account.username;
  // The user name lets a password manager file the new password under the right account.
  return `<p>${escapeHtml(t("resetPassword.intro", { account: name }))}</p>
${problem ? `<p role="alert">${escapeHtml(problem)}</p>\n` : ""}<form method="post">
<input type="hidden" name="username" autocomplete="username" value="${escapeHtml(account.username)}">
<p><label for="password">${escapeHtml(t("resetPassword.password"))}</label><br>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="${passwordLength.min}" maxlength="${passwordLength.max}" required></p>
<button type="submit">${escapeHtml(t("resetPassword.submit"))}</button>
</form>`;
}

/** The message of a refused password, as the API would say it. */
function problemWith(locale: Locale, error: unknown): string {
  if (!(error instanceof DomainError) || error.code !== "weak_password") throw error;
  return translator(locale, "errors")(error.code, error.params);
}

/**
 * The page a reset mail links to, which works without JavaScript: GET shows a form for the
 * new password, POST sets it (once) and signs the account out everywhere.
 */
export async function renderResetPassword(c: Context, deps: Deps): Promise<Response> {
  const locale = negotiateLocale(c.req.header("accept-language")) ?? "en";
  const t = translator(locale, "pages");
  const title = t("resetPassword.title");
  const token = c.req.param("token") ?? "";
  const again = { href: "/forgot-password", label: t("resetPassword.again") };
  const opened = await openPasswordReset(deps, token);
  if (opened.status !== "valid") return renderClosedLink(c, locale, title, opened, again);
  if (c.req.method !== "POST") {
    return renderPage(c, locale, { title, body: passwordForm(locale, opened.account) });
  }
  const form = await c.req.parseBody();
  const password = typeof form.password === "string" ? form.password : "";
  if (password.length < passwordLength.min || password.length > passwordLength.max) {
    const problem = t("resetPassword.length", passwordLength);
    return renderPage(
      c,
      locale,
      { title, body: passwordForm(locale, opened.account, problem) },
      400,
    );
  }
  let reset: Awaited<ReturnType<typeof resetPassword>>;
  try {
    reset = await resetPassword(
      deps,
      token,
      password,
      clientAddress(c, deps.config.trustedProxies),
    );
  } catch (error) {
    const problem = problemWith(locale, error);
    return renderPage(
      c,
      locale,
      { title, body: passwordForm(locale, opened.account, problem) },
      400,
    );
  }
  if (reset.status !== "valid") return renderClosedLink(c, locale, title, reset, again);
  return renderPage(c, locale, {
    title,
    body: `<p>${escapeHtml(t("resetPassword.done"))}</p>
<p><a href="/signin">${escapeHtml(t("resetPassword.signIn"))}</a></p>`,
  });
}
