import { useState } from "preact/hooks";
import { ErrorMessage } from "../components/error.tsx";
import { useAction } from "../components/use-action.ts";
import { useShell } from "../context.ts";
import { formatDateTime } from "../format.ts";
import type { LoadContext, ViewProps } from "./table.ts";

interface Person {
  id: string;
  username: string;
  handle: string;
  displayName: string;
}

/** A report as GET /communities/:ref/reports and /admin/reports answer it. */
export interface Report {
  id: string;
  category: string;
  reason: string;
  createdAt: string;
  reporter: Person;
  community: string;
  communityName: string;
  target: {
    kind: "post" | "comment";
    id: string;
    postId: string;
    title: string;
    content: string;
    deleted: boolean;
    author: Person | null;
  };
}

/** Whose queue it is: a community's (its ref) or, with null, the whole instance's. */
export interface ReportQueueData {
  community: string | null;
  reports: Report[];
}

type Action = "remove" | "dismiss";

const nameOf = (person: Person | null) => person?.displayName || person?.username || "?";

/** One report, and its decision once confirmed, with a note kept in the audit log. */
function ReportCard({ report }: { report: Report }) {
  const { t, api, refresh, locale, timeZone } = useShell();
  const { busy, error, run } = useAction();
  const [confirming, setConfirming] = useState<Action | null>(null);
  const [note, setNote] = useState("");
  const { target } = report;
  const link = `/posts/${target.postId}${target.kind === "comment" ? `#comment-${target.id}` : ""}`;
  const decide = (action: Action) =>
    run(() => api.post(`/reports/${report.id}/resolve`, note ? { action, note } : { action })).then(
      (done) => done && refresh(),
    );
  return (
    <li class="card">
      <p>
        <strong>{t(`report.categories.${report.category}`)}</strong> ·{" "}
        <a href={link}>{target.title || t(`report.kinds.${target.kind}`)}</a> ·{" "}
        <a href={`/c/${report.community}`}>{report.communityName}</a>
      </p>
      <p class="meta">
        {t("report.by", { reporter: nameOf(report.reporter), author: nameOf(target.author) })} ·{" "}
        <time dateTime={report.createdAt}>
          {formatDateTime(locale, report.createdAt, timeZone)}
        </time>
      </p>
      {report.reason ? <blockquote>{report.reason}</blockquote> : null}
      {target.deleted ? (
        <p class="meta">{t("thread.deleted")}</p>
      ) : (
        // Sanitised on the server with an allowlist before it is stored.
        <div class="prose" dangerouslySetInnerHTML={{ __html: target.content }} />
      )}
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
          <button type="button" onClick={() => setConfirming("remove")}>
            {t("report.remove")}
          </button>
          <button type="button" class="secondary" onClick={() => setConfirming("dismiss")}>
            {t("report.dismiss")}
          </button>
        </p>
      )}
      <ErrorMessage message={error} />
    </li>
  );
}

/** The moderators' queue of open reports, for a community or, for its administrator, the instance. */
export function ReportQueue({ data }: ViewProps<ReportQueueData>) {
  const { t } = useShell();
  return (
    <>
      {data.community ? (
        <p>
          <a href={`/c/${data.community}`}>← {t("thread.back")}</a>
        </p>
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
