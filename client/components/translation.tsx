import type { Post } from "../api.ts";
import { useShell } from "../context.ts";
import { languageName } from "../format.ts";
import { ErrorMessage } from "./error.tsx";
import { Lazy } from "./lazy.tsx";
import { useAction } from "./use-action.ts";

/** The version a reader is shown: the translation into their language, else the original. */
export function shownVersion(post: Post) {
  return post.translation ?? { title: post.title, content: post.content };
}

/**
 * Says whose translation the reader sees, with the original one link away (a plain link, so
 * it works without JavaScript); or, reading the original, the way back to their language.
 */
export function TranslationLabel({ post, original }: { post: Post; original: boolean }) {
  const { t, locale } = useShell();
  const from = languageName(locale, post.language);
  const shown = post.translation;
  if (shown) {
    const label =
      shown.origin === "machine"
        ? t("translation.machine", { language: from })
        : shown.translator
          ? t("translation.by", {
              language: from,
              translator: shown.translator.displayName || shown.translator.handle,
            })
          : t("translation.from", { language: from });
    return (
      <p class="meta translation-label">
        {label} · <a href={`/posts/${post.id}?original=1`}>{t("translation.showOriginal")}</a>
      </p>
    );
  }
  if (original && post.translations.includes(locale)) {
    return (
      <p class="meta translation-label">
        <a href={`/posts/${post.id}`}>{t("translation.showTranslation")}</a>
      </p>
    );
  }
  return null;
}

/** Asks the server's machine-translation service, offered only where it has one. */
function MachineTranslateButton({ post }: { post: Post }) {
  const { t, api, locale, refresh } = useShell();
  const { busy, error, run } = useAction();
  return (
    <p class="row">
      <button
        type="button"
        disabled={busy}
        onClick={() => {
          void run(() => api.post(`/posts/${post.id}/translations/${locale}/machine`, {})).then(
            (done) => {
              if (done) refresh();
            },
          );
        }}
      >
        {t("translation.translate")}
      </button>
      <ErrorMessage message={error} />
    </p>
  );
}

/** The translator's form stays out of every reader's first load. */
const translationForm = async () => (await import("./translation-form.tsx")).TranslationForm;

/** What a reader may do about the post's languages: ask a machine, or add a translation. */
export function TranslationTools({ post }: { post: Post }) {
  if (post.deleted) return null;
  return (
    <>
      {post.mayAskMachineTranslation ? <MachineTranslateButton post={post} /> : null}
      {post.mayTranslate ? <Lazy load={translationForm} props={{ post }} /> : null}
    </>
  );
}
