import type { Post } from "../api.ts";
import { useShell } from "../context.ts";
import { formatDateTime, languageName } from "../format.ts";
import { AuthorName } from "./author-name.tsx";
import { ReportAction } from "./report-form.tsx";

export function PostMeta({ post }: { post: Post }) {
  const { t, locale, timeZone } = useShell();
  return (
    <p class="meta">
      <AuthorName author={post.author} /> ·{" "}
      <time dateTime={post.createdAt}>{formatDateTime(locale, post.createdAt, timeZone)}</time>
      {/* "und": the author did not say and the detector was not sure; no label beats a wrong one. */}
      {post.language === "und" ? "" : ` · ${languageName(locale, post.language)}`}
      {post.editedAt ? ` · ${t("post.edited")}` : ""}
    </p>
  );
}

const Badge = ({ text }: { text: string }) => (
  <>
    {" "}
    <span class="badge">{text}</span>
  </>
);

/** Pinned posts lead the list their moderators pinned them in; the rest keep their order. */
const pinnedFirst = (posts: Post[]) =>
  [...posts].sort((a, b) => Number(b.pinned) - Number(a.pinned));

export function PostList({ posts, empty }: { posts: Post[]; empty: string }) {
  const { t } = useShell();
  if (posts.length === 0) return <p>{empty}</p>;
  return (
    <ul class="cards">
      {pinnedFirst(posts).map((post) => (
        <li key={post.id} class="card">
          <h3>
            {/* The title in the reader's language, where the post has it. */}
            <a href={`/posts/${post.id}`} dir="auto">
              {post.translation?.title ?? post.title}
            </a>
            {post.pinned ? <Badge text={t("moderation.pinned")} /> : null}
            {post.locked ? <Badge text={t("moderation.locked")} /> : null}
          </h3>
          <PostMeta post={post} />
          <p class="meta">{t("post.replies", { count: post.commentCount })}</p>
          <ReportAction target="posts" id={post.id} />
        </li>
      ))}
    </ul>
  );
}
