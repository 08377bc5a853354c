import type { Post } from "../api.ts";
import { useShell } from "../context.ts";
import { formatDateTime, languageName } from "../format.ts";

export function PostMeta({ post }: { post: Post }) {
  const { t, locale, timeZone } = useShell();
  return (
    <p class="meta">
      {post.author?.displayName || post.author?.username || t("post.someone")} ·{" "}
      <time dateTime={post.createdAt}>{formatDateTime(locale, post.createdAt, timeZone)}</time> ·{" "}
      <span lang={post.language}>{languageName(locale, post.language)}</span>
      {post.editedAt ? ` · ${t("post.edited")}` : ""}
    </p>
  );
}

export function PostList({ posts, empty }: { posts: Post[]; empty: string }) {
  const { t } = useShell();
  if (posts.length === 0) return <p>{empty}</p>;
  return (
    <ul class="cards">
      {posts.map((post) => (
        <li key={post.id} class="card">
          <h3>
            <a href={`/posts/${post.id}`}>{post.title}</a>
          </h3>
          <PostMeta post={post} />
          <p class="meta">{t("post.replies", { count: post.commentCount })}</p>
        </li>
      ))}
    </ul>
  );
}
