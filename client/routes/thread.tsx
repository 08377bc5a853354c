import type { Comment, Post } from "../api.ts";
import { ErrorMessage } from "../components/error.tsx";
import { PostMeta } from "../components/post-list.tsx";
import { fieldsOf, useAction } from "../components/use-action.ts";
import { useShell } from "../context.ts";
import { formatDateTime } from "../format.ts";
import { defineScreen, type ViewProps } from "./table.ts";

interface Data {
  post: Post;
  comments: Comment[];
}

function ReplyForm({ post, inReplyTo }: { post: Post; inReplyTo?: string }) {
  const { t, api, refresh } = useShell();
  const { busy, error, run } = useAction();
  const id = `reply-${inReplyTo ?? post.id}`;
  return (
    <form
      class="reply"
      onSubmit={(event) => {
        const form = event.currentTarget as HTMLFormElement;
        const { content } = fieldsOf(event);
        void run(() =>
          api.post(`/posts/${post.id}/comments`, inReplyTo ? { content, inReplyTo } : { content }),
        ).then((done) => {
          if (done) {
            form.reset();
            refresh();
          }
        });
      }}
    >
      <label for={id}>{t("thread.reply")}</label>
      <textarea id={id} name="content" rows={3} required />
      <button type="submit" disabled={busy}>
        {t("thread.send")}
      </button>
      <ErrorMessage message={error} />
    </form>
  );
}

function Replies({
  post,
  comments,
  parent,
}: {
  post: Post;
  comments: Comment[];
  parent: string | null;
}) {
  const { t, locale, timeZone, me } = useShell();
  const children = comments.filter((comment) => comment.inReplyTo === parent);
  if (children.length === 0) return null;
  return (
    <ol class="replies">
      {children.map((comment) => (
        <li key={comment.id} id={`comment-${comment.id}`}>
          <p class="meta">
            {comment.author?.displayName || comment.author?.username || t("post.someone")} ·{" "}
            <time dateTime={comment.createdAt}>
              {formatDateTime(locale, comment.createdAt, timeZone)}
            </time>
          </p>
          {comment.deleted ? (
            <p class="meta">{t("thread.deleted")}</p>
          ) : (
            // Sanitised on the server with an allowlist before it is stored.
            <div class="prose" dangerouslySetInnerHTML={{ __html: comment.content }} />
          )}
          {me && !post.locked && !comment.deleted ? (
            <details>
              <summary>{t("thread.reply")}</summary>
              <ReplyForm post={post} inReplyTo={comment.id} />
            </details>
          ) : null}
          <Replies post={post} comments={comments} parent={comment.id} />
        </li>
      ))}
    </ol>
  );
}

function LikeButton({ post }: { post: Post }) {
  const { t, api, refresh, me } = useShell();
  const { busy, run } = useAction();
  if (!me) return <span class="meta">{t("thread.likes", { count: post.likeCount })}</span>;
  return (
    <button
      type="button"
      class="secondary"
      disabled={busy}
      onClick={() => void run(() => api.post(`/posts/${post.id}/like`)).then(refresh)}
    >
      {t("thread.like")} · {post.likeCount}
    </button>
  );
}

function EditForm({ post }: { post: Post & { source?: string } }) {
  const { t, api, refresh } = useShell();
  const { busy, error, run } = useAction();
  return (
    <details>
      <summary>{t("thread.edit")}</summary>
      <form
        onSubmit={(event) => {
          const { title, content } = fieldsOf(event);
          void run(() => api.patch(`/posts/${post.id}`, { title, content })).then(refresh);
        }}
      >
        <label for="edit-title">{t("compose.title")}</label>
        <input id="edit-title" name="title" defaultValue={post.title} required />
        <label for="edit-content">{t("compose.content")}</label>
        <textarea id="edit-content" name="content" rows={6} defaultValue={post.source ?? ""} />
        <button type="submit" disabled={busy}>
          {t("thread.save")}
        </button>
        <ErrorMessage message={error} />
      </form>
    </details>
  );
}

function Thread({ data }: ViewProps<Data>) {
  const { t, me } = useShell();
  const { post, comments } = data;
  return (
    <article>
      <p>
        <a href={`/c/${post.community}`}>← {t("thread.back")}</a>
      </p>
      <h1>{post.title}</h1>
      <PostMeta post={post} />
      {post.deleted ? (
        <p class="meta">{t("thread.deleted")}</p>
      ) : (
        // Sanitised on the server with an allowlist before it is stored.
        <div class="prose" dangerouslySetInnerHTML={{ __html: post.content }} />
      )}
      <p class="row">
        <LikeButton post={post} />
      </p>
      {me && post.author?.id === me.id && !post.deleted ? <EditForm post={post} /> : null}
      <h2>{t("thread.repliesTitle", { count: comments.length })}</h2>
      {post.locked ? <p class="notice">{t("thread.locked")}</p> : null}
      <Replies post={post} comments={comments} parent={null} />
      {me && !post.locked && !post.deleted ? <ReplyForm post={post} /> : null}
    </article>
  );
}

export const threadScreen = defineScreen<Data>({
  pattern: "/posts/:id",
  load: async ({ api, params }) => {
    const [post, comments] = await Promise.all([
      api.get<Post>(`/posts/${params.id}`),
      api.get<{ items: Comment[] }>(`/posts/${params.id}/comments`),
    ]);
    return { post, comments: comments.items };
  },
  title: (_t, data) => data.post.title,
  description: (_t, data) =>
    data.post.content
      .replace(/<[^>]*>/g, " ")
      .trim()
      .slice(0, 160),
  view: Thread,
});
