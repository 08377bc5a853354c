import { useEffect, useState } from "preact/hooks";
import type { Community, Member, Page, Post } from "../api.ts";
import { useShell } from "../context.ts";
import type { ToolProps } from "./community-tools.tsx";
import { ErrorMessage } from "./error.tsx";
import { fieldsOf, useAction } from "./use-action.ts";

/** What the community has already, as far as its first steps go: null while unknown. */
interface Started {
  announced: boolean;
  /** Someone besides the owner is a member, or has been invited. */
  peopled: boolean;
}

const dismissedKey = (community: Community) => `praxis:owner-checklist-dismissed:${community.ref}`;

function useStarted(community: Community): Started | null {
  const { api } = useShell();
  const [started, setStarted] = useState<Started | null>(null);
  useEffect(() => {
    let current = true;
    const ref = encodeURIComponent(community.ref);
    void Promise.all([
      api.get<Page<Post>>(`/communities/${ref}/announcements?limit=1`),
      community.memberCount > 1
        ? null
        : api.get<Page<Member>>(`/communities/${ref}/members?state=invited&limit=1`),
    ]).then(
      ([announcements, invited]) => {
        if (!current) return;
        setStarted({
          announced: announcements.items.length > 0,
          peopled: community.memberCount > 1 || (invited?.items.length ?? 0) > 0,
        });
      },
      // What cannot be read now leaves the list hidden rather than wrong.
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [api, community.ref, community.memberCount]);
  return started;
}

/** A step still to do that is written here, in a form that saves it on the community. */
function WriteStep({ community, step }: { community: Community; step: "summary" | "conceptNote" }) {
  const { t, api, refresh } = useShell();
  const { busy, error, run } = useAction();
  const note = community.conceptNote;
  return (
    <form
      onSubmit={(event) => {
        const f = fieldsOf(event);
        const change =
          step === "summary"
            ? { summary: f.summary }
            : {
                conceptNote: { overview: f.overview, purpose: f.purpose, engagement: f.engagement },
              };
        void run(() => api.patch(`/communities/${community.ref}`, change)).then(refresh);
      }}
    >
      {step === "summary" ? (
        <>
          <label for="checklist-summary">{t("create.summary")}</label>
          <input id="checklist-summary" name="summary" required maxLength={500} />
        </>
      ) : (
        (["overview", "purpose", "engagement"] as const).map((part) => (
          <div key={part}>
            <label for={`checklist-${part}`}>{t(`about.${part}`)}</label>
            <textarea
              id={`checklist-${part}`}
              name={part}
              rows={3}
              required
              defaultValue={note[part]}
            />
          </div>
        ))
      )}
      <button type="submit" disabled={busy}>
        {t("checklist.save")}
      </button>
      <ErrorMessage message={error} />
    </form>
  );
}

/**
 * The first steps of a new community, shown to its owners on its home until they are all
 * done or the owner hides the list (on this device).
 */
export function OwnerChecklist({ community }: ToolProps) {
  const { t } = useShell();
  const started = useStarted(community);
  const [dismissed, setDismissed] = useState(
    () => globalThis.localStorage?.getItem(dismissedKey(community)) === "yes",
  );
  // Its owners answer for it, and only they may hand it on.
  if (!community.may.handOver || dismissed || !started) return null;
  const note = community.conceptNote;
  const steps = [
    { name: "summary", done: community.summary.trim() !== "" },
    {
      name: "conceptNote",
      done: [note.overview, note.purpose, note.engagement].every((part) => part.trim() !== ""),
    },
    { name: "announcement", done: started.announced, href: `/c/${community.ref}/announcements` },
    { name: "member", done: started.peopled, href: `/c/${community.ref}/members` },
  ] as const;
  const done = steps.filter((step) => step.done).length;
  if (done === steps.length) return null;
  return (
    <section class="panel" aria-labelledby="owner-checklist">
      <h2 id="owner-checklist">{t("checklist.title")}</h2>
      <p>{t("checklist.progress", { done, total: steps.length })}</p>
      <ul>
        {steps.map((step) => (
          <li key={step.name}>
            <span>{step.done ? "✓ " : "○ "}</span>
            {step.done || !("href" in step) ? (
              t(`checklist.steps.${step.name}`)
            ) : (
              <a href={step.href}>{t(`checklist.steps.${step.name}`)}</a>
            )}{" "}
            <span class="meta">{t(step.done ? "checklist.done" : "checklist.todo")}</span>
            {!step.done && (step.name === "summary" || step.name === "conceptNote") ? (
              <details>
                <summary>{t("checklist.write")}</summary>
                <WriteStep community={community} step={step.name} />
              </details>
            ) : null}
          </li>
        ))}
      </ul>
      <button
        type="button"
        class="secondary"
        onClick={() => {
          globalThis.localStorage?.setItem(dismissedKey(community), "yes");
          setDismissed(true);
        }}
      >
        {t("checklist.dismiss")}
      </button>
    </section>
  );
}
