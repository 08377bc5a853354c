import { escapeHtml } from "../html.ts";
import { isLocale, type Locale, translator } from "../i18n.ts";
import type { OutgoingMail } from "./mailer.ts";

export type MailKind =
  | "community_invitation"
  | "instance_invitation"
  | "request_approved"
  | "request_rejected"
  | "account_approved"
  | "announcement"
  | "password_reset"
  | "email_change"
  | "email_changed"
  | "digest"
  | "weekly_digest"
  | "community_dormant"
  | "join_requests_waiting"
  | "coffee_pairing"
  | "question_asked"
  | "question_assigned"
  | "question_answered"
  | "direct_message"
  | "report_filed"
  | "message_reported";

/** The language a person's mail is written in: theirs when Praxis speaks it, else English. */
export function mailLocale(recipient: { locale: string }): Locale {
  return isLocale(recipient.locale) ? recipient.locale : "en";
}

/**
 * Builds a plain-text and HTML message in the recipient's language from the
 * `mail` namespace: `<kind>.subject`, `<kind>.body` and, with a link, `<kind>.action`.
 */
export function composeMail(
  kind: MailKind,
  recipient: { email: string | null; locale: string },
  params: Record<string, string> & { instance: string },
  link?: string,
  unsubscribe?: string,
): OutgoingMail | null {
  // People on other servers have no address here; their own server tells them.
  if (!recipient.email) return null;
  const locale = mailLocale(recipient);
  const t = translator(locale, "mail");
  const subject = t(`${kind}.subject`, params);
  const paragraphs = t(`${kind}.body`, params).split("\n\n");
  const action = link ? t(`${kind}.action`, params) : undefined;
  const footer = unsubscribe
    ? `${t("footer", params)} ${t("unsubscribe", { ...params, url: unsubscribe })}`
    : t("footer", params);
  const direction = locale === "ar" ? "rtl" : "ltr";
  const text = [...paragraphs, ...(link ? [`${action}: ${link}`] : []), "--", footer].join("\n\n");
  const html = [
    `<!doctype html><html lang="${locale}" dir="${direction}"><body>`,
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(action ?? link)}</a></p>` : "",
    `<hr><p><small>${escapeHtml(footer)}</small></p></body></html>`,
  ].join("\n");
  const headers: Record<string, string> = unsubscribe
    ? {
        "List-Unsubscribe": `<${unsubscribe}>`,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      }
    : {};
  return { to: recipient.email, subject, text, html, headers };
}
