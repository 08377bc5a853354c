import { eq } from "drizzle-orm";
import type { Account } from "../../db/schema/accounts.ts";
import { posts } from "../../db/schema/posts.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { viewPost } from "./posts.ts";
import { canFeatureForDigest } from "./privacy.ts";

/**
 * A community's facilitators feature a post for the weekly mail: it comes first in the next
 * weekly digest of every member who may read it (digest.ts), then ranks as any other.
 * Featuring again moves it to the next mail. Answers when it was featured, or null.
 */
export async function setDigestFeature(
  deps: Deps,
  postId: string,
  viewer: Account,
  featured: boolean,
  now = new Date(),
): Promise<Date | null> {
  const { post, community, relation } = await viewPost(deps, postId, viewer);
  if (!canFeatureForDigest(relation)) throw new DomainError("moderators_only");
  if (post.deletedAt) throw new DomainError("post_deleted");
  if (community.archived) throw new DomainError("community_archived");
  const digestFeaturedAt = featured ? now : null;
  await deps.db.update(posts).set({ digestFeaturedAt }).where(eq(posts.id, post.id));
  return digestFeaturedAt;
}
