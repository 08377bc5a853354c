import type { CoffeeStatus, Community } from "../api.ts";
import { useShell } from "../context.ts";
import { formatDateTime } from "../format.ts";

/**
 * "Pair me for coffee": a member's part in the community's rounds, as a plain form the server
 * answers with a redirect back; when the next round pairs, and, for its admins, how many take part.
 */
function CoffeeCard({ community, status }: { community: Community; status: CoffeeStatus }) {
  const { t, locale, timeZone } = useShell();
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

/**
 * What a member of a community hosted here finds on its home to meet its people: coffee and
 * questions. Drawn with the page, so both work without scripts.
 */
export function Connections({ community, coffee }: { community: Community; coffee: CoffeeStatus }) {
  return (
    <>
      <CoffeeCard community={community} status={coffee} />
      <AskQuestion community={community} />
    </>
  );
}
