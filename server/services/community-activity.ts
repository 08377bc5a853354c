import { gte, lt, type SQL } from "drizzle-orm";
import { type Community, communities } from "../../db/schema/communities.ts";

const dayMs = 24 * 60 * 60 * 1000;

/** Issue 16: a community with no new content for INACTIVITY_DAYS (a year by default) is inactive. */
const activeSince = (inactivityDays: number, now: Date) =>
  new Date(now.getTime() - inactivityDays * dayMs);

/** Whether the community had new content within `inactivityDays`; the check and its SQL below. */
export function isActiveCommunity(
  community: Pick<Community, "lastActivityAt">,
  inactivityDays: number,
  now = new Date(),
): boolean {
  return community.lastActivityAt >= activeSince(inactivityDays, now);
}

/** isActiveCommunity as a condition on `communities`, or its opposite. */
export function communitiesWithActivity(
  activity: "active" | "inactive",
  inactivityDays: number,
  now = new Date(),
): SQL {
  return activity === "active"
    ? gte(communities.lastActivityAt, activeSince(inactivityDays, now))
    : lt(communities.lastActivityAt, activeSince(inactivityDays, now));
}
