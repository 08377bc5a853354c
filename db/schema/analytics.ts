import {
  bigserial,
  customType,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uuid,
} from "drizzle-orm/pg-core";
import { accounts } from "./accounts.ts";
import { communities } from "./communities.ts";
import { instant } from "./instant.ts";

/*
 * First-party analytics (server/services/analytics/). Nothing here says who viewed what: a
 * view is a count per item and day, and the marks that keep a viewer from counting twice are
 * salted hashes that die with their day, salt included.
 */

const bytea = customType<{ data: Buffer }>({ dataType: () => "bytea" });

export const viewedKinds = ["community", "post", "download"] as const;
export type ViewedKind = (typeof viewedKinds)[number];

/** How many viewers read a community's page or a post, or downloaded a file, on a day (UTC). */
export const dailyViews = pgTable(
  "analytics_daily_views",
  {
    day: date({ mode: "string" }).notNull(),
    kind: text().$type<ViewedKind>().notNull(),
    /** The community itself for its page; the post otherwise. */
    itemId: uuid().notNull(),
    communityId: uuid()
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    viewers: integer().notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.day, table.kind, table.itemId] }),
    index("analytics_daily_views_community_idx").on(table.communityId, table.day),
  ],
);

/**
 * The salt of a day's marks, the same for every process. Deleted with the day's marks: without
 * it nobody, this server included, can tell from a mark whom it was for.
 */
export const daySalts = pgTable("analytics_day_salts", {
  day: date({ mode: "string" }).primaryKey(),
  salt: bytea().notNull(),
});

/** HMAC(the day's salt, viewer and item): that this viewer was counted for this item today. */
export const viewMarks = pgTable(
  "analytics_view_marks",
  {
    day: date({ mode: "string" }).notNull(),
    mark: bytea().notNull(),
  },
  (table) => [primaryKey({ columns: [table.day, table.mark] })],
);

/**
 * The last day within 30 a member read their community, for "active members". It names the
 * member, whom the community knows already, never an address; rows older than 30 days go.
 */
export const memberReads = pgTable(
  "analytics_member_reads",
  {
    communityId: uuid()
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    accountId: uuid()
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    readOn: date({ mode: "string" }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.communityId, table.accountId] })],
);

export const membershipChangeKinds = ["joined", "left"] as const;
export type MembershipChangeKind = (typeof membershipChangeKinds)[number];

/**
 * Someone became or stopped being an active member, whoever did it and however (a join, an
 * approval, a Follow from another server, leaving, removal, a ban): written by a trigger on
 * `memberships`, so no path is missed. It names no one.
 */
export const membershipChanges = pgTable(
  "analytics_membership_changes",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    communityId: uuid()
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    change: text().$type<MembershipChangeKind>().notNull(),
    at: instant().notNull().defaultNow(),
  },
  (table) => [index("analytics_membership_changes_community_idx").on(table.communityId, table.at)],
);
