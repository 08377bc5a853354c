import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { Executor } from "../../db/index.ts";
import { attachments, fileDetails } from "../../db/schema/files.ts";
import { type Post, posts } from "../../db/schema/posts.ts";
import { DomainError } from "../errors.ts";

export const maxAttachments = 20;

export interface Attachment {
  id: string;
  title: string;
  mediaType: string;
  size: number;
  private: boolean;
}

/**
 * Makes `fileIds` the files attached to `post`: each must be a file shared in the same
 * community and not deleted, or nothing changes.
 */
export async function attachFiles(tx: Executor, post: Post, fileIds: string[]): Promise<void> {
  const wanted = [...new Set(fileIds)];
  if (wanted.length > maxAttachments) {
    throw new DomainError("too_many_attachments", { max: maxAttachments });
  }
  const found =
    wanted.length === 0
      ? []
      : await tx
          .select({ id: posts.id })
          .from(posts)
          .where(
            and(
              inArray(posts.id, wanted),
              eq(posts.kind, "file"),
              eq(posts.communityId, post.communityId),
              isNull(posts.deletedAt),
            ),
          );
  if (found.length !== wanted.length) throw new DomainError("attachment_invalid");
  await tx.delete(attachments).where(eq(attachments.postId, post.id));
  if (wanted.length > 0) {
    await tx
      .insert(attachments)
      .values(wanted.map((filePostId) => ({ postId: post.id, filePostId })));
  }
}

/**
 * The files attached to each of `postIds`, as one viewer sees them: private files only
 * for members, deleted files not at all.
 */
export async function attachmentsOf(
  db: Executor,
  postIds: string[],
  member: boolean,
): Promise<Map<string, Attachment[]>> {
  const byPost = new Map<string, Attachment[]>();
  if (postIds.length === 0) return byPost;
  const rows = await db
    .select({
      postId: attachments.postId,
      id: posts.id,
      title: posts.title,
      mediaType: fileDetails.mediaType,
      size: fileDetails.size,
      private: fileDetails.private,
    })
    .from(attachments)
    .innerJoin(posts, eq(posts.id, attachments.filePostId))
    .innerJoin(fileDetails, eq(fileDetails.postId, posts.id))
    .where(
      and(
        inArray(attachments.postId, postIds),
        isNull(posts.deletedAt),
        member ? undefined : eq(fileDetails.private, false),
      ),
    )
    .orderBy(asc(posts.createdAt));
  for (const { postId, ...attachment } of rows) {
    byPost.set(postId, [...(byPost.get(postId) ?? []), attachment]);
  }
  return byPost;
}
