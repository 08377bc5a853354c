import type { Post } from "../api.ts";
import { useShell } from "../context.ts";
import { ErrorMessage } from "./error.tsx";
import { useAction } from "./use-action.ts";

/** Facilitators feature a post for the weekly mail, or stop featuring it. */
export function DigestFeatureButton({ post }: { post: Post }) {
  const { t, api, refresh } = useShell();
  const { busy, error, run } = useAction();
  const featured = Boolean(post.digestFeaturedAt);
  const path = `/posts/${post.id}/digest-feature`;
  return (
    <>
      {featured ? <span class="meta">{t("health.featured")}</span> : null}
      <button
        type="button"
        class="secondary"
        aria-pressed={featured}
        disabled={busy}
        onClick={() =>
          void run(() => (featured ? api.delete(path) : api.post(path))).then(
            (done) => done && refresh(),
          )
        }
      >
        {t(featured ? "health.unfeature" : "health.feature")}
      </button>
      <ErrorMessage message={error} />
    </>
  );
}
