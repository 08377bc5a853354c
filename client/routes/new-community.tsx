import type { Community } from "../api.ts";
import { ErrorMessage } from "../components/error.tsx";
import { fieldsOf, useAction } from "../components/use-action.ts";
import { useShell } from "../context.ts";
import type { ViewProps } from "./table.ts";

const levels = ["open", "public", "semi_private", "private"] as const;

/**
 * Creating a community is writing its concept note and choosing who may come in.
 * With a parent (`/new?parent=ref`) it is one of that community's working groups.
 */
export function NewCommunity({ data: parent }: ViewProps<Community | null>) {
  const { t, api, navigate, me } = useShell();
  const { busy, error, run } = useAction();
  if (!me) return <p>{t("account.signInFirst")}</p>;
  return (
    <form
      class="narrow"
      onSubmit={(event) => {
        const f = fieldsOf(event);
        void run(async () => {
          const created = await api.post<Community>("/communities", {
            slug: f.slug,
            name: f.name,
            summary: f.summary,
            privacy: f.privacy,
            hidden: f.hidden === "on",
            eligibility: f.eligibility,
            conceptNote: { overview: f.overview, purpose: f.purpose, engagement: f.engagement },
            parent: parent?.ref,
          });
          navigate(`/c/${created.ref}`);
        });
      }}
    >
      <h1>{t(parent ? "create.groupTitle" : "create.title")}</h1>
      {parent ? (
        <>
          <p class="notice">
            {t("create.groupOf")} <a href={`/c/${parent.ref}`}>{parent.name}</a>
          </p>
          <p>{t("create.groupExplain")}</p>
        </>
      ) : null}
      <p>{t("create.intro")}</p>
      <label for="name">{t("create.name")}</label>
      <input id="name" name="name" required maxLength={200} />
      <label for="slug">{t("create.slug")}</label>
      <input id="slug" name="slug" required pattern="[a-z0-9][a-z0-9-]{1,62}" dir="ltr" />
      <p class="hint">{t("create.slugHint")}</p>
      <label for="summary">{t("create.summary")}</label>
      <input id="summary" name="summary" maxLength={500} />
      <fieldset>
        <legend>{t("create.conceptNote")}</legend>
        <label for="overview">{t("about.overview")}</label>
        <textarea id="overview" name="overview" rows={3} />
        <label for="purpose">{t("about.purpose")}</label>
        <textarea id="purpose" name="purpose" rows={3} />
        <label for="engagement">{t("about.engagement")}</label>
        <textarea id="engagement" name="engagement" rows={3} />
      </fieldset>
      <fieldset>
        <legend>{t("create.privacy")}</legend>
        {levels.map((level) => (
          <div key={level} class="choice">
            <input
              type="radio"
              id={`privacy-${level}`}
              name="privacy"
              value={level}
              defaultChecked={level === "semi_private"}
            />
            <label for={`privacy-${level}`}>
              <strong>{t(`privacy.${level}.label`)}</strong> — {t(`privacy.${level}.explain`)}
            </label>
          </div>
        ))}
        <div class="choice">
          <input type="checkbox" id="hidden" name="hidden" />
          <label for="hidden">
            <strong>{t("privacy.hidden")}</strong> — {t("privacy.hiddenExplain")}
          </label>
        </div>
      </fieldset>
      <label for="eligibility">{t("join.eligibility")}</label>
      <textarea id="eligibility" name="eligibility" rows={2} />
      <button type="submit" disabled={busy}>
        {t(parent ? "create.groupSubmit" : "create.submit")}
      </button>
      <ErrorMessage message={error} />
    </form>
  );
}
