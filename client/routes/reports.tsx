import { useState } from "preact/hooks";
import type { Author, Report } from "../api.ts";
import { BackLink } from "../components/back-link.tsx";
import { Confirm } from "../components/confirm.tsx";
import { ErrorMessage } from "../components/error.tsx";
import { Prose } from "../components/prose.tsx";
import { useAction } from "../components/use-action.ts";
import { useShell } from "../context.ts";
import { formatDateTime } from "../format.ts";
import type { LoadContext, ViewProps } from "./table.ts";

/** Whose queue it is: a community's (its ref) or, with null, the whole instance's. */
export interface ReportQueueData {
  community: string | null;
  reports: Report[];
}

type Action = "remove" | "dismiss";

const nameOf = (person: Author | null) => person?.displayName || person?.username || "?";

/** One report, and its decision once confirmed, with a note kept in the audit log. */
function ReportCard({ report }: { report: Report }) {
  const { t, api, refresh, locale, timeZone } = useShell();
  const { busy, error, run } = useAction();
  const [confirming, setConfirming] = useState<Action | null>(null);
  const [note, setNote] = useState("");
  const { target } = report;
  const link =
    target.postId === null
      ? `/@${target.author?.username ?? ""}`
      : `/posts/${target.postId}${target.kind === "comment" ? `#comment-${target.id}` : ""}`;
  const decide = (action: Action) =>
    run(() => api.post(`/reports/${report.id}/resolve`, note ? { action, note } : { action })).then(
      (done) => done && refresh(),
    );
  return (
    <li class="card">
      <p>
        <strong>{t(`report.categories.${report.category}`)}</strong> ·{" "}
        {/* A message is read here, in the report: its conversation is its participants' alone. */}
        {target.kind === "message" ? (
          t("report.kinds.message")
        ) : (
          <a href={link}>{target.title || t(`report.kinds.${target.kind}`)}</a>
        )}
        {report.community ? (
          <>
            {" · "}
            <a href={`/c/${report.community}`}>{report.communityName}</a>
          </>
        ) : null}
      </p>
      <p class="meta">
        {t("report.by", { reporter: nameOf(report.reporter), author: nameOf(target.author) })} ·{" "}
        <time dateTime={report.createdAt}>
          {formatDateTime(locale, report.createdAt, timeZone)}
        </time>
      </p>
      {report.reason ? <blockquote>{report.reason}</blockquote> : null}
      {target.deleted ? <p class="meta">{t("thread.deleted")}</p> : <Prose html={target.content} />}
      {confirming ? (
        <div>
          <label for={`note-${report.id}`}>{t("report.note")}</label>
          <input
            id={`note-${report.id}`}
            value={note}
            maxLength={1000}
            onInput={(event) => setNote(event.currentTarget.value)}
          />
          <p class="row">
            <button type="button" disabled={busy} onClick={() => void decide(confirming)}>
              {t(confirming === "remove" ? "report.confirmRemove" : "report.confirmDismiss")}
            </button>
            <button type="button" class="secondary" onClick={() => setConfirming(null)}>
              {t("report.cancel")}
            </button>
          </p>
        </div>
      ) : (
        <p class="row">
          {target.postId || target.kind === "message" ? (
            <button type="button" onClick={() => setConfirming("remove")}>
              {t("report.remove")}
            </button>
          ) : null}
          <button type="button" class="secondary" onClick={() => setConfirming("dismiss")}>
            {t("report.dismiss")}
          </button>
        </p>
      )}
      {target.author ? <PersonActions report={report} name={nameOf(target.author)} /> : null}
      <ErrorMessage message={error} />
    </li>
  );
}

/**
 * What may be done about the person behind a report, each after asking, with the reason kept
 * in the log: removal and bans (the instance administrator suspends the account instead), and
 * for the instance administrator a block of the person's server. The server refuses whoever
 * may not, with its own message.
 */
function PersonActions({ report, name }: { report: Report; name: string }) {
  const { t, api, me } = useShell();
  const decide = (action: string) => (reason: string) =>
    api.post(`/reports/${report.id}/resolve`, reason ? { action, note: reason } : { action });
  const community = report.communityName;
  return (
    <div class="row">
      {/* Removal and bans are a community's; a message's report is in none. */}
      {report.community ? (
        <>
          <Confirm
            label={t("report.removePerson")}
            question={t("confirm.remove", { name })}
            reason="optional"
            act={decide("remove_person")}
          />
          <Confirm
            label={t(me?.isAdmin ? "report.suspendPerson" : "report.banPerson")}
            question={t(me?.isAdmin ? "report.suspendQuestion" : "confirm.ban", {
              name,
              community,
            })}
            reason="optional"
            act={decide("ban_person")}
          />
        </>
      ) : null}
      {me?.isAdmin ? (
        <Confirm
          label={t("report.blockDomain")}
          question={t("report.blockDomainQuestion", { name })}
          reason="optional"
          act={decide("block_domain")}
        />
      ) : null}
    </div>
  );
}

/** The moderators' queue of open reports, for a community or, for its administrator, the instance. */
export function ReportQueue({ data }: ViewProps<ReportQueueData>) {
  const { t } = useShell();
  return (
    <>
      {data.community ? (
        <BackLink href={`/c/${data.community}`}>{t("thread.back")}</BackLink>
      ) : null}
      <h1>{t("report.queue")}</h1>
      {data.reports.length === 0 ? <p>{t("report.empty")}</p> : null}
      <ul class="cards">
        {data.reports.map((report) => (
          <ReportCard key={report.id} report={report} />
        ))}
      </ul>
    </>
  );
}

const openReports = "state=open&limit=100";

export async function loadCommunityReports({ api, params }: LoadContext): Promise<ReportQueueData> {
  const page = await api.get<{ items: Report[] }>(
    `/communities/${encodeURIComponent(params.ref ?? "")}/reports?${openReports}`,
  );
  return { community: params.ref ?? null, reports: page.items };
}

export async function loadInstanceReports({ api }: LoadContext): Promise<ReportQueueData> {
  const page = await api.get<{ items: Report[] }>(`/admin/reports?${openReports}`);
  return { community: null, reports: page.items };
}
