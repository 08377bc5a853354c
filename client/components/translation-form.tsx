import type { Post } from "../api.ts";
import { useShell } from "../context.ts";
import { languageName } from "../format.ts";
import { locales } from "../i18n.ts";
import { ErrorMessage } from "./error.tsx";
import { fieldsOf, useAction } from "./use-action.ts";

/** The author's or an appointed translator's form: a language, a title and the text. */
export function TranslationForm({ post }: { post: Post }) {
  const { t, api, locale, refresh } = useShell();
  const { busy, error, run } = useAction();
  const languages = locales.filter((language) => language !== post.language);
  return (
    <details>
      <summary>{t("translation.add")}</summary>
      <form
        onSubmit={(event) => {
          const { language, title, content } = fieldsOf(event);
          void run(() =>
            api.put(`/posts/${post.id}/translations/${language}`, { title, content }),
          ).then((done) => {
            if (done) refresh();
          });
        }}
      >
        <label for="translation-language">{t("translation.language")}</label>
        <select id="translation-language" name="language" required>
          {languages.map((language) => (
            <option key={language} value={language}>
              {languageName(locale, language)}
            </option>
          ))}
        </select>
        <label for="translation-title">{t("compose.title")}</label>
        <input id="translation-title" name="title" required maxLength={300} dir="auto" />
        <label for="translation-content">{t("compose.content")}</label>
        <textarea id="translation-content" name="content" rows={6} required dir="auto" />
        <button type="submit" disabled={busy}>
          {t("translation.save")}
        </button>
        <ErrorMessage message={error} />
      </form>
    </details>
  );
}
