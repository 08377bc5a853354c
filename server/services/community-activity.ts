import { gte, lt, type SQL } from "drizzle-orm";
import { type Community, communities } from "../../db/schema/communities.ts";

/** Issue 16: a community with no new content for a year is inactive. */
export const inactiveAfterDays = 365;

const dayMs = 24 * 60 * 60 * 1000;

const activeSince = (now: Date) => new Date(now.getTime() - inactiveAfterDays * dayMs);

/** Whether the community had new content within the last year; the check and its SQL below. */
export function isActiveCommunity(
  community: Pick<Community, "lastActivityAt">,
  now = new Date(),
): boolean {
  return community.lastActivityAt >= activeSince(now);
}

/** isActiveCommunity as a condition on `communities`, or its opposite. */
export function communitiesWithActivity(activity: "active" | "inactive", now = new Date()): SQL {
  return activity === "active"
    ? gte(communities.lastActivityAt, activeSince(now))
    : lt(communities.lastActivityAt, activeSince(now));
}
