import { and, eq, sql } from "drizzle-orm";
import type { Account } from "../../db/schema/accounts.ts";
import { comments, likes, posts } from "../../db/schema/posts.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { viewPost } from "./posts.ts";
import { isActive } from "./privacy.ts";

export type Target = { kind: "post"; id: string } | { kind: "comment"; id: string };

async function postOf(deps: Deps, target: Target): Promise<string> {
  if (target.kind === "post") return target.id;
  const [comment] = await deps.db
    .select({ postId: comments.postId })
    .from(comments)
    .where(eq(comments.id, target.id));
  if (!comment) throw new DomainError("comment_not_found");
  return comment.postId;
}

/**
 * Likes or unlikes a post or comment. Liking twice counts once; the counter moves only
 * when a like row is really added or removed.
 */
export async function setLike(
  deps: Deps,
  target: Target,
  viewer: Account,
  liked: boolean,
): Promise<number> {
  const { community, relation } = await viewPost(deps, await postOf(deps, target), viewer);
  if (!isActive(relation)) throw new DomainError("members_only");
  if (community.archived) throw new DomainError("community_archived");
  return recordLike(deps, target, viewer, liked);
}

/** Adds or removes one like and moves the counter only if that changed anything. */
export async function recordLike(
  deps: Deps,
  target: Target,
  liker: Account,
  liked: boolean,
): Promise<number> {
  const table = target.kind === "post" ? posts : comments;
  return deps.db.transaction(async (tx) => {
    const changed = liked
      ? await tx
          .insert(likes)
          .values({ targetId: target.id, accountId: liker.id })
          .onConflictDoNothing()
          .returning()
      : await tx
          .delete(likes)
          .where(and(eq(likes.targetId, target.id), eq(likes.accountId, liker.id)))
          .returning();
    const [row] = await tx
      .update(table)
      .set({ likeCount: sql`${table.likeCount} + ${changed.length * (liked ? 1 : -1)}` })
      .where(eq(table.id, target.id))
      .returning({ likeCount: table.likeCount });
    if (changed.length > 0) {
      await deps.federation.publish(tx, {
        type: "liked",
        target: target.kind,
        targetId: target.id,
        accountId: liker.id,
        liked,
      });
    }
    return row?.likeCount ?? 0;
  });
}
