import { eq } from "drizzle-orm";
import type { Executor } from "../db/index.ts";
import { memberships } from "../db/schema/memberships.ts";
import type { FederationEvent } from "../server/services/federation-port.ts";

const membershipKey = (communityId: string, accountId: string) =>
  `membership:${communityId}:${accountId}`;

/**
 * Which events must be turned into activities one after another, in the order they happened:
 * those about one post or comment (Create, Update, Delete, likes), about one community's
 * settings, or about one person's membership of one community (join, answer, leave). A
 * membership row may be gone by the time someone leaves, so the pair is the key.
 */
export async function orderingKeyOf(tx: Executor, event: FederationEvent): Promise<string> {
  switch (event.type) {
    case "post_created":
    case "post_updated":
    case "post_deleted":
      return `post:${event.postId}`;
    case "comment_created":
    case "comment_updated":
    case "comment_deleted":
      return `comment:${event.commentId}`;
    case "liked":
      return `${event.target}:${event.targetId}`;
    case "community_updated":
      return `community:${event.communityId}`;
    case "account_deleted":
      return `account:${event.accountId}`;
    case "report_filed":
      return `report:${event.reportId}`;
    case "message_sent":
      return `conversation:${event.conversationId}`;
    case "blocked":
    case "unblocked":
      return `block:${event.blockerId}:${event.blockedId}`;
    case "left":
    case "member_dropped":
      return membershipKey(event.communityId, event.accountId);
    case "join_requested":
    case "join_decided":
    case "invited_elsewhere":
    case "admitted_elsewhere": {
      const [row] = await tx
        .select({ communityId: memberships.communityId, accountId: memberships.accountId })
        .from(memberships)
        .where(eq(memberships.id, event.membershipId));
      return row
        ? membershipKey(row.communityId, row.accountId)
        : `membership:${event.membershipId}`;
    }
  }
}
