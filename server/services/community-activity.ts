import { and, gte, isNull, lt, or, type SQL } from "drizzle-orm";
import { type Community, communities } from "../../db/schema/communities.ts";

const dayMs = 24 * 60 * 60 * 1000;

/** Issue 16: a community with no new content for INACTIVITY_DAYS (a year by default) is inactive. */
const activeSince = (inactivityDays: number, now: Date) =>
  new Date(now.getTime() - inactivityDays * dayMs);

/** The UTC day of `now`, as dates are stored. */
const dayOf = (now: Date) => now.toISOString().slice(0, 10);

/**
 * Whether the community had new content within `inactivityDays`, or its admins reactivated it
 * with a plan for new content by a day not yet passed; the check and its SQL below.
 */
export function isActiveCommunity(
  community: Pick<Community, "lastActivityAt" | "activityPlannedFor">,
  inactivityDays: number,
  now = new Date(),
): boolean {
  return (
    community.lastActivityAt >= activeSince(inactivityDays, now) ||
    (community.activityPlannedFor !== null && community.activityPlannedFor >= dayOf(now))
  );
}

/** isActiveCommunity as a condition on `communities`, or its opposite. */
export function communitiesWithActivity(
  activity: "active" | "inactive",
  inactivityDays: number,
  now = new Date(),
): SQL {
  const since = activeSince(inactivityDays, now);
  const today = dayOf(now);
  return activity === "active"
    ? (or(
        gte(communities.lastActivityAt, since),
        gte(communities.activityPlannedFor, today),
      ) as SQL)
    : (and(
        lt(communities.lastActivityAt, since),
        or(isNull(communities.activityPlannedFor), lt(communities.activityPlannedFor, today)),
      ) as SQL);
}
