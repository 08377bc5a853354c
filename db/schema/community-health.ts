import { pgTable, uuid } from "drizzle-orm/pg-core";
import { communities } from "./communities.ts";
import { instant } from "./instant.ts";

/**
 * What the community-health jobs last told a community's owners and moderators, so that
 * several workers and every tick tell them once (services/community-health.ts).
 */
export const communityHealth = pgTable("community_health", {
  communityId: uuid()
    .primaryKey()
    .references(() => communities.id, { onDelete: "cascade" }),
  /**
   * The last activity of the dormancy they were told of: a later post or comment ends it, and
   * the next dormancy, starting from that later activity, is told again.
   */
  dormantSince: instant(),
  /** When they were last reminded of join requests waiting too long. */
  requestsRemindedAt: instant(),
});
