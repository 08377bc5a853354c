import { useState } from "preact/hooks";
import { useShell } from "../context.ts";
import { ErrorMessage } from "./error.tsx";
import { fieldsOf, useAction } from "./use-action.ts";

/** The same list as the server's (db/schema/reports.ts), in the order the form offers them. */
const categories = ["child_safety", "harassment", "spam", "other"] as const;

/**
 * "Report", for anyone signed in who reads a post or a comment: a category, a reason and
 * whether the author's server hears of it too (ticked for child safety unless the reporter
 * unticks it, as the server does when it is not said).
 */
export function ReportAction({ target, id }: { target: "posts" | "comments"; id: string }) {
  const { t, api, me } = useShell();
  const { busy, error, run } = useAction();
  const [category, setCategory] = useState<(typeof categories)[number]>("child_safety");
  const [forward, setForward] = useState(true);
  const [sent, setSent] = useState(false);
  if (!me) return null;
  const field = (name: string) => `report-${name}-${id}`;
  return (
    <details class="report">
      <summary>{t("report.action")}</summary>
      {sent ? (
        <p role="status">{t("report.sent")}</p>
      ) : (
        <form
          onSubmit={(event) => {
            const { reason } = fieldsOf(event);
            void run(() =>
              api.post(`/${target}/${id}/reports`, { category, reason, forward }),
            ).then((done) => done && setSent(true));
          }}
        >
          <label for={field("category")}>{t("report.category")}</label>
          <select
            id={field("category")}
            value={category}
            onChange={(event) => {
              const chosen = event.currentTarget.value as (typeof categories)[number];
              setCategory(chosen);
              setForward(chosen === "child_safety");
            }}
          >
            {categories.map((each) => (
              <option key={each} value={each}>
                {t(`report.categories.${each}`)}
              </option>
            ))}
          </select>
          <label for={field("reason")}>{t("report.reason")}</label>
          <textarea id={field("reason")} name="reason" rows={3} maxLength={1000} required />
          <p class="row">
            <input
              type="checkbox"
              id={field("forward")}
              checked={forward}
              onChange={(event) => setForward(event.currentTarget.checked)}
            />
            <label for={field("forward")}>{t("report.forward")}</label>
          </p>
          <button type="submit" disabled={busy}>
            {t("report.send")}
          </button>
          <ErrorMessage message={error} />
        </form>
      )}
    </details>
  );
}
