import type { TFunction } from "i18next";
import { useShell } from "../context.ts";
import { formatDateTime } from "../format.ts";

/** One decision of a community's or the instance's log, with what the server kept of what changed and why. */
export interface AuditEntry {
  id: string;
  action: string;
  actor: string | null;
  target: string | null;
  details: {
    reason?: string;
    from?: string;
    to?: string;
    email?: string;
    handle?: string;
    changes?: { field: string; from?: unknown; to?: unknown }[];
    domain?: string;
  };
  createdAt: string;
}

/** Someone's own words inside a sentence keep their direction (Arabic around a Latin name…). */
const isolated = (text: string) => `\u2068${text}\u2069`;

/** A settings change as the log says it: "privacy from Open to Semi-private", "the summary". */
function settingChangeText(t: TFunction, change: { field: string; from?: unknown; to?: unknown }) {
  switch (change.field) {
    case "privacy":
      return t("auditDetail.privacy", {
        from: t(`privacy.${String(change.from)}.label`),
        to: t(`privacy.${String(change.to)}.label`),
      });
    case "hidden":
      return t(change.to ? "auditDetail.hidden" : "auditDetail.listed");
    case "archived":
      return t(change.to ? "auditDetail.archived" : "auditDetail.reactivated");
    case "registrationMode":
      return t("auditDetail.registrationMode", {
        from: t(`instanceAdmin.settings.modes.${String(change.from)}`),
        to: t(`instanceAdmin.settings.modes.${String(change.to)}`),
      });
    case "name":
      return t("auditDetail.name", {
        from: isolated(String(change.from)),
        to: isolated(String(change.to)),
      });
    default:
      return t(`auditDetail.fields.${change.field}`, { defaultValue: change.field });
  }
}

/** What a decision did, to whom and why, in the reader's language. */
export function auditLine(t: TFunction, locale: string, entry: AuditEntry): string {
  const line = t(`audit.${entry.action}`, {
    actor: entry.actor ?? "?",
    target: entry.target ?? "",
    domain: entry.details.domain ? isolated(entry.details.domain) : "",
  });
  const { details } = entry;
  const parts: string[] = [];
  if (details.from && details.to) {
    parts.push(
      t("auditDetail.role", { from: t(`roles.${details.from}`), to: t(`roles.${details.to}`) }),
    );
  }
  if (details.changes?.length) {
    const list = new Intl.ListFormat(locale, { type: "conjunction" });
    parts.push(list.format(details.changes.map((change) => settingChangeText(t, change))));
  }
  const invitee = details.email ?? details.handle;
  if (invitee) parts.push(isolated(invitee));
  if (details.reason) parts.push(t("auditDetail.reason", { reason: isolated(details.reason) }));
  return parts.length > 0 ? t("auditDetail.withDetail", { line, detail: parts.join(" · ") }) : line;
}

/** The decisions, newest first, under the log's heading (the community's, unless told). */
export function AuditLog({ entries, heading }: { entries: AuditEntry[]; heading?: string }) {
  const { t, locale, timeZone } = useShell();
  return (
    <section>
      <h2>{heading ?? t("tools.auditLog")}</h2>
      <ul class="audit-log">
        {entries.map((entry) => (
          <li key={entry.id}>
            <time dateTime={entry.createdAt}>
              {formatDateTime(locale, entry.createdAt, timeZone)}
            </time>{" "}
            · {auditLine(t, locale, entry)}
          </li>
        ))}
      </ul>
    </section>
  );
}
