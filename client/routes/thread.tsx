import type { CalendarEvent, Comment, Post } from "../api.ts";
import { AuthorName } from "../components/author-name.tsx";
import { BackLink } from "../components/back-link.tsx";
import { Confirm } from "../components/confirm.tsx";
import { DigestFeatureButton } from "../components/digest-feature-button.tsx";
import { ErrorMessage } from "../components/error.tsx";
import { EventDetails } from "../components/event-details.tsx";
import { Lazy } from "../components/lazy.tsx";
import { PostMeta } from "../components/post-list.tsx";
import { Prose } from "../components/prose.tsx";
import { ReportAction } from "../components/report-form.tsx";
import { shownVersion, TranslationLabel, TranslationTools } from "../components/translation.tsx";
import { fieldsOf, useAction } from "../components/use-action.ts";
import { useShell } from "../context.ts";
import { formatDateTime } from "../format.ts";
import { defineScreen, type ViewProps } from "./table.ts";

interface Data {
  post: Post;
  /** The reader asked for the original rather than their language's version. */
  original: boolean;
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
      <textarea id={id} name="content" rows={3} required dir="auto" />
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
  const { t, locale, timeZone, api } = useShell();
  const children = comments.filter((comment) => comment.inReplyTo === parent);
  if (children.length === 0) return null;
  return (
    <ol class="replies">
      {children.map((comment) => (
        <li key={comment.id} id={`comment-${comment.id}`}>
          <p class="meta">
            <AuthorName author={comment.author} /> ·{" "}
            <time dateTime={comment.createdAt}>
              {formatDateTime(locale, comment.createdAt, timeZone)}
            </time>
          </p>
          {comment.deleted ? (
            <p class="meta">{t("thread.deleted")}</p>
          ) : (
            <Prose html={comment.content} />
          )}
          {post.may.reply && !comment.deleted ? (
            <details>
              <summary>{t("thread.reply")}</summary>
              <ReplyForm post={post} inReplyTo={comment.id} />
            </details>
          ) : null}
          {comment.may.delete ? (
            <Confirm
              label={t("moderation.delete")}
              question={t("moderation.confirm.deleteReply")}
              act={() => api.delete(`/comments/${comment.id}`)}
            />
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

function EditForm({ post }: { post: Post }) {
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
        <input id="edit-title" name="title" defaultValue={post.title} required dir="auto" />
        <label for="edit-content">{t("compose.content")}</label>
        <textarea id="edit-content" name="content" rows={6} defaultValue={post.source} dir="auto" />
        <button type="submit" disabled={busy}>
          {t("thread.save")}
        </button>
        <ErrorMessage message={error} />
      </form>
    </details>
  );
}

/**
 * Pinning, locking and deleting, as the post's `may` allows (the community's moderators, and
 * deleting for the author too); each asks first, and a refusal shows the server's message.
 */
function ModerationTools({ post }: { post: Post }) {
  const { t, api } = useShell();
  if (!(post.may.moderate || post.may.delete)) return null;
  const action = (name: string, change: () => Promise<unknown>) => (
    <Confirm
      label={t(`moderation.${name}`)}
      question={t(`moderation.confirm.${name}`, { title: post.title })}
      act={change}
    />
  );
  const toggle = (field: "pinned" | "locked", on: string, off: string) =>
    action(post[field] ? off : on, () => api.patch(`/posts/${post.id}`, { [field]: !post[field] }));
  return (
    <div class="row moderation">
      {post.may.moderate ? toggle("pinned", "pin", "unpin") : null}
      {post.may.moderate ? toggle("locked", "lock", "unlock") : null}
      {post.may.delete ? action("delete", () => api.delete(`/posts/${post.id}`)) : null}
    </div>
  );
}

/** The organiser's form stays out of every reader's first load. */
const eventEditForm = async () => (await import("../components/event-form.tsx")).EventEditForm;

function Thread({ data }: ViewProps<Data>) {
  const { t } = useShell();
  const { post, comments } = data;
  const event = post.kind === "event" ? (post as CalendarEvent) : null;
  const shown = shownVersion(post);
  return (
    <article>
      <BackLink href={`/c/${post.community}`}>{t("thread.back")}</BackLink>
      <h1 dir="auto" lang={post.translation?.language ?? post.language}>
        {shown.title}
      </h1>
      <PostMeta post={post} />
      <TranslationLabel post={post} original={data.original} />
      {post.deleted ? (
        <p class="meta">{t("thread.deleted")}</p>
      ) : (
        <Prose html={shown.content} lang={post.translation?.language ?? post.language} />
      )}
      <TranslationTools post={post} />
      {event && !post.deleted ? (
        <>
          <EventDetails event={event} />
          <ReportAction target="events" id={post.id} />
        </>
      ) : null}
      <p class="row">
        <LikeButton post={post} />
      </p>
      <ModerationTools post={post} />
      {post.may.moderate ? (
        <p class="row">
          <DigestFeatureButton post={post} />
        </p>
      ) : null}
      {post.may.edit ? <EditForm post={post} /> : null}
      {event && post.may.edit ? <Lazy load={eventEditForm} props={{ event }} /> : null}
      {/* An event's replies are its questions and their answers. */}
      <h2>{t(event ? "event.questions" : "thread.repliesTitle", { count: comments.length })}</h2>
      {post.locked ? <p class="notice">{t("thread.locked")}</p> : null}
      <Replies post={post} comments={comments} parent={null} />
      {post.may.reply ? <ReplyForm post={post} /> : null}
    </article>
  );
}

export const threadScreen = defineScreen<Data>({
  pattern: "/posts/:id",
  load: async ({ api, params, query }) => {
    const original = query.get("original") === "1";
    const [post, comments] = await Promise.all([
      api.get<Post>(`/posts/${params.id}${original ? "?original=1" : ""}`),
      api.get<{ items: Comment[] }>(`/posts/${params.id}/comments`),
    ]);
    return { post, original, comments: comments.items };
  },
  title: (_t, data) => shownVersion(data.post).title,
  description: (_t, data) =>
    data.post.content
      .replace(/<[^>]*>/g, " ")
      .trim()
      .slice(0, 160),
  view: Thread,
});
