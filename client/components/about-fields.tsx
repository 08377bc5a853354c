import type { Me } from "../api.ts";
import { useShell } from "../context.ts";

/** A comma-separated field as the list the API takes, blanks dropped. */
const listOf = (text: string | undefined) =>
  (text ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);

/**
 * The settings form's fields as PATCH /me takes them: bio as written, languages and expertise
 * as lists, and the resource-person box as a boolean (an unticked box is not in the form).
 */
export function withAboutChanges(fields: Record<string, string>) {
  const { languages, expertise, resourcePerson: _, ...rest } = fields;
  return {
    ...rest,
    languages: listOf(languages),
    expertise: listOf(expertise),
    resourcePerson: fields.resourcePerson === "on",
  };
}

/** What a person tells others about themselves, shown on their page and in the finder. */
export function AboutFields({ me }: { me: Me }) {
  const { t } = useShell();
  return (
    <>
      <label for="bio">{t("people.bio")}</label>
      <textarea id="bio" name="bio" rows={5} maxLength={2000} dir="auto" defaultValue={me.bio} />
      <label for="languages">{t("people.languages")}</label>
      <input
        id="languages"
        name="languages"
        dir="ltr"
        aria-describedby="languages-hint"
        defaultValue={me.languages.join(", ")}
      />
      <p id="languages-hint" class="hint">
        {t("people.languagesHint")}
      </p>
      <label for="expertise">{t("people.expertise")}</label>
      <input
        id="expertise"
        name="expertise"
        dir="auto"
        aria-describedby="expertise-hint"
        defaultValue={me.expertise.join(", ")}
      />
      <p id="expertise-hint" class="hint">
        {t("people.expertiseHint")}
      </p>
      <p class="row">
        <input
          id="resourcePerson"
          name="resourcePerson"
          type="checkbox"
          defaultChecked={me.resourcePerson}
        />
        <label for="resourcePerson">{t("people.offer")}</label>
      </p>
    </>
  );
}
