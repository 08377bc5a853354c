import { useState } from "preact/hooks";
import { useShell } from "../context.ts";
import { ErrorMessage } from "./error.tsx";
import { fieldsOf, useAction } from "./use-action.ts";

/** The same list as the server's (db/schema/reports.ts), in the order the form offers them. */
const categories = ["child_safety", "harassment", "spam", "other"] as const;

/** A community a person is reported in: its moderators are the ones who hear of it. */
interface Place {
  ref: string;
  name: string;
}

/**
 * "Report", for anyone signed in who reads a post, a comment, a file or an event, or who meets
 * a person: a category, a reason and whether the author's server hears of it too (ticked for
 * child safety unless the reporter unticks it, as the server does when it is not said). A
 * person is reported to the moderators of one of `places`, the communities the reader shares
 * with them; the server sends no Flag for a person, so the choice is not offered.
 */
export function ReportAction({
  target,
  id,
  places,
}: {
  target: "posts" | "comments" | "files" | "events" | "accounts" | "messages";
  id: string;
  places?: Place[];
}) {
  const { t, api, me } = useShell();
  const { busy, error, run } = useAction();
  const [category, setCategory] = useState<(typeof categories)[number]>("child_safety");
  const [forward, setForward] = useState(true);
  const [sent, setSent] = useState(false);
  const person = target === "accounts";
  if (!me || (person && !places?.length)) return null;
  const field = (name: string) => `report-${name}-${id}`;
  return (
    <details class="report">
      <summary>{t("report.action")}</summary>
      {sent ? (
        <p role="status">{t("report.sent")}</p>
      ) : (
        <form
          onSubmit={(event) => {
            const { reason, community } = fieldsOf(event);
            const report = person ? { category, reason, community } : { category, reason, forward };
            void run(() => api.post(`/${target}/${id}/reports`, report)).then(
              (done) => done && setSent(true),
            );
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
          {person ? (
            <>
              <label for={field("community")}>{t("report.community")}</label>
              <select id={field("community")} name="community">
                {places?.map((place) => (
                  <option key={place.ref} value={place.ref} dir="auto">
                    {place.name}
                  </option>
                ))}
              </select>
            </>
          ) : (
            <p class="row">
              <input
                type="checkbox"
                id={field("forward")}
                checked={forward}
                onChange={(event) => setForward(event.currentTarget.checked)}
              />
              <label for={field("forward")}>{t("report.forward")}</label>
            </p>
          )}
          <button type="submit" disabled={busy}>
            {t("report.send")}
          </button>
          <ErrorMessage message={error} />
        </form>
      )}
    </details>
  );
}
