import { and, eq, gt, isNull, lte, sql } from "drizzle-orm";
import { communities } from "../../db/schema/communities.ts";
import { eventDetails, eventReminders, rsvps } from "../../db/schema/events.ts";
import { notifications } from "../../db/schema/notifications.ts";
import { postColumns, posts } from "../../db/schema/posts.ts";
import type { Deps } from "../deps.ts";

export const reminderLeadMs = 60 * 60 * 1000;

/**
 * Tells everyone who said they are going that an event starts within the hour, once per
 * person and event however often this runs. Answers how many were reminded.
 */
export async function notifyEventsStartingSoon(deps: Deps, now: Date): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const reminded = await tx
      .insert(eventReminders)
      .select(
        tx
          .select({
            postId: rsvps.postId,
            accountId: rsvps.accountId,
            remindedAt: sql`${now.toISOString()}::timestamptz`.as("reminded_at"),
          })
          .from(rsvps)
          .innerJoin(eventDetails, eq(eventDetails.postId, rsvps.postId))
          .innerJoin(posts, eq(posts.id, rsvps.postId))
          .where(
            and(
              eq(rsvps.status, "going"),
              isNull(posts.deletedAt),
              gt(eventDetails.startsAt, now),
              lte(eventDetails.startsAt, new Date(now.getTime() + reminderLeadMs)),
            ),
          ),
      )
      .onConflictDoNothing()
      .returning();
    for (const { postId, accountId } of reminded) {
      const [event] = await tx
        .select({ post: postColumns, details: eventDetails, community: communities })
        .from(posts)
        .innerJoin(eventDetails, eq(eventDetails.postId, posts.id))
        .innerJoin(communities, eq(communities.id, posts.communityId))
        .where(eq(posts.id, postId));
      if (!event) continue;
      await tx.insert(notifications).values({
        accountId,
        kind: "event_soon",
        communityId: event.community.id,
        subjectId: postId,
        data: {
          title: event.post.title,
          community: event.community.slug,
          startsAt: event.details.startsAt.toISOString(),
          timezone: event.details.timezone,
        },
      });
    }
    return reminded.length;
  });
}
