import { date, integer, pgTable, uuid } from "drizzle-orm/pg-core";
import { communities } from "./communities.ts";
import { instant } from "./instant.ts";

/**
 * A partner's counts for one of its communities, as it shares them with this hub
 * (SHARE_ANALYTICS_WITH_HUB on the partner; server/services/analytics/partner-counts.ts):
 * aggregates over the partner's last 30 days, never people. Kept on the hub's copy of the
 * community, replaced at each reading.
 */
export const partnerCounts = pgTable("partner_community_counts", {
  communityId: uuid()
    .primaryKey()
    .references(() => communities.id, { onDelete: "cascade" }),
  views: integer().notNull(),
  downloads: integer().notNull(),
  joins: integer().notNull(),
  activeMembers: integer().notNull(),
  /** The last day of the partner's 30 days. */
  countedTo: date({ mode: "string" }).notNull(),
  readAt: instant().notNull().defaultNow(),
});
