import { and, asc, eq, sql } from "drizzle-orm";
import type { Executor } from "../../db/index.ts";
import { type Account, accounts } from "../../db/schema/accounts.ts";
import { type Comment, commentColumns, comments, type Post, posts } from "../../db/schema/posts.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { languageOf } from "./language.ts";
import { renderMarkdown } from "./markdown.ts";
import { notify } from "./notifications.ts";
import { assertMayWrite, type PostView, viewPost } from "./posts.ts";
import { isActive, mayDeleteItem } from "./privacy.ts";

export interface CommentView {
  comment: Comment;
  author: Account | null;
  /** The post it answers, its community and the viewer's membership there. */
  thread: PostView;
}

/** A thread's comments in the order they were written; `inReplyTo` gives their nesting. */
export async function listComments(
  deps: Deps,
  postId: string,
  viewer: Account | null,
): Promise<CommentView[]> {
  const thread = await viewPost(deps, postId, viewer);
  const rows = await deps.db
    .select({ comment: commentColumns, author: accounts })
    .from(comments)
    .leftJoin(accounts, eq(accounts.id, comments.authorId))
    .where(eq(comments.postId, postId))
    .orderBy(asc(comments.createdAt), asc(comments.id));
  return rows.map((row) => ({ ...row, thread }));
}

/**
 * Stores a reply, counts it on its thread and tells the person answered. Null when a
 * reply with the same ActivityPub id was already stored.
 */
export async function insertComment(
  tx: Executor,
  post: Post,
  parent: Comment | undefined,
  authorId: string,
  text: Pick<Comment, "source" | "content" | "language"> & { uri?: string; createdAt?: Date },
): Promise<Comment | null> {
  const [created] = await tx
    .insert(comments)
    .values({ postId: post.id, inReplyToId: parent?.id ?? null, authorId, ...text })
    .onConflictDoNothing()
    .returning(commentColumns);
  if (!created) return null;
  await tx
    .update(posts)
    .set({ commentCount: sql`${posts.commentCount} + 1` })
    .where(eq(posts.id, post.id));
  const repliedTo = parent?.authorId ?? post.authorId;
  if (repliedTo && repliedTo !== authorId) {
    await notify(tx, {
      accountId: repliedTo,
      kind: "reply",
      communityId: post.communityId,
      subjectId: created.id,
      actorId: authorId,
      data: { post: post.id, title: post.title },
    });
  }
  return created;
}

export async function createComment(
  deps: Deps,
  postId: string,
  viewer: Account,
  input: { content: string; inReplyTo?: string | undefined; language?: string | undefined },
): Promise<CommentView> {
  const thread = await viewPost(deps, postId, viewer);
  const { post, community, relation } = thread;
  assertMayWrite(community, relation);
  if (post.deletedAt) throw new DomainError("post_deleted");
  if (post.locked) throw new DomainError("thread_locked");
  const comment = await deps.db.transaction(async (tx) => {
    let parent: Comment | undefined;
    if (input.inReplyTo) {
      [parent] = await tx
        .select()
        .from(comments)
        .where(and(sql`${comments.id}::text = ${input.inReplyTo}`, eq(comments.postId, post.id)));
      if (!parent) throw new DomainError("reply_target_invalid");
    }
    const created = await insertComment(tx, post, parent, viewer.id, {
      source: input.content,
      content: renderMarkdown(input.content),
      language: languageOf(input.content, input.language),
    });
    if (!created) throw new Error("comment insert returned nothing");
    await deps.federation.publish(tx, { type: "comment_created", commentId: created.id });
    return created;
  });
  return { comment, author: viewer, thread };
}

export async function viewComment(deps: Deps, id: string, viewer: Account) {
  const [row] = await deps.db.select(commentColumns).from(comments).where(eq(comments.id, id));
  if (!row) throw new DomainError("comment_not_found");
  const view: PostView = await viewPost(deps, row.postId, viewer).catch(() => {
    throw new DomainError("comment_not_found");
  });
  return { comment: row, ...view };
}

export async function editComment(
  deps: Deps,
  id: string,
  viewer: Account,
  changes: { content: string; language?: string | undefined },
): Promise<CommentView> {
  const { comment, ...thread } = await viewComment(deps, id, viewer);
  const { community, relation, post } = thread;
  assertMayWrite(community, relation);
  if (comment.deletedAt) throw new DomainError("post_deleted");
  if (post.locked) throw new DomainError("thread_locked");
  if (comment.authorId !== viewer.id) throw new DomainError("not_author");
  const now = new Date();
  const updated = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(comments)
      .set({
        source: changes.content,
        content: renderMarkdown(changes.content),
        language: languageOf(changes.content, changes.language),
        editedAt: now,
        updatedAt: now,
      })
      .where(eq(comments.id, id))
      .returning(commentColumns);
    await deps.federation.publish(tx, { type: "comment_updated", commentId: id });
    return row;
  });
  return { comment: updated ?? comment, author: viewer, thread };
}

/** Leaves a tombstone so the replies under it keep their place. */
export async function deleteComment(deps: Deps, id: string, viewer: Account): Promise<void> {
  const { comment, relation } = await viewComment(deps, id, viewer);
  if (comment.deletedAt) return;
  if (!mayDeleteItem(comment, viewer, relation)) {
    throw new DomainError(isActive(relation) ? "not_author" : "members_only");
  }
  await deps.db.transaction((tx) => tombstoneComment(deps, tx, id, viewer.id));
}

/** Empties a comment into its tombstone and tells other servers, once the caller may do it. */
export async function tombstoneComment(deps: Deps, tx: Executor, id: string, deletedById: string) {
  const now = new Date();
  await tx
    .update(comments)
    .set({ source: "", content: "", deletedAt: now, updatedAt: now })
    .where(eq(comments.id, id));
  await deps.federation.publish(tx, { type: "comment_deleted", commentId: id, deletedById });
}
