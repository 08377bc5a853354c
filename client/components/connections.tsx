import { useEffect, useState } from "preact/hooks";
import type { CoffeeStatus, Community } from "../api.ts";
import { useShell } from "../context.ts";
import { formatDateTime } from "../format.ts";
import type { ToolProps } from "./community-tools.tsx";

/**
 * "Pair me for coffee": a member's part in the community's rounds, as a plain form the server
 * answers with a redirect back; when the next round pairs, and, for its admins, how many take part.
 */
function CoffeeCard({ community }: { community: Community }) {
  const { t, api, locale, timeZone } = useShell();
  const [status, setStatus] = useState<CoffeeStatus | null>(null);
  useEffect(() => {
    void api
      .get<CoffeeStatus>(`/communities/${community.ref}/coffee`)
      .then(setStatus)
      .catch(() => setStatus(null));
  }, [api, community.ref]);
  if (!status) return null;
  return (
    <form class="panel coffee" method="post" action={`/c/${community.ref}/coffee`}>
      <h2>{t("coffee.title")}</h2>
      <p class="hint">{t("coffee.hint")}</p>
      <p role="status">{t(status.joined ? "coffee.joined" : "coffee.notJoined")}</p>
      {status.nextRound ? (
        <p>
          {t("coffee.nextRound", {
            when: formatDateTime(locale, status.nextRound, timeZone),
          })}
        </p>
      ) : null}
      {community.may.administer ? (
        <p class="meta">{t("coffee.participants", { count: status.participants })}</p>
      ) : null}
      <input type="hidden" name="take" value={status.joined ? "no" : "yes"} />
      <button type="submit" class={status.joined ? "secondary" : undefined}>
        {t(status.joined ? "coffee.leave" : "coffee.join")}
      </button>
    </form>
  );
}

/** The server's limit (db/schema/questions.ts). */
export const maxQuestionLength = 5000;

/**
 * "Ask the facilitators": a member's private question, as a plain form; the server answers
 * with the community's questions, where the answer will appear.
 */
export function AskQuestion({ community }: { community: Community }) {
  const { t } = useShell();
  return (
    <form class="panel" method="post" action={`/c/${community.ref}/questions`}>
      <h2>{t("questions.ask")}</h2>
      <p class="hint">{t("questions.askHint")}</p>
      <label for="question-body">{t("questions.question")}</label>
      <textarea
        id="question-body"
        name="body"
        rows={4}
        required
        maxLength={maxQuestionLength}
        dir="auto"
      />
      <p class="row">
        <button type="submit">{t("questions.send")}</button>
        <a href={`/c/${community.ref}/questions`}>{t("questions.title")}</a>
      </p>
    </form>
  );
}

/** What a member of the community finds on its home to meet its people: coffee and questions. */
export function Connections({ community }: ToolProps) {
  return (
    <>
      <CoffeeCard community={community} />
      <AskQuestion community={community} />
    </>
  );
}
