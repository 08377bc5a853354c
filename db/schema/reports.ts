import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { accounts } from "./accounts.ts";
import { communities } from "./communities.ts";
import { instant } from "./instant.ts";
import { messages } from "./messages.ts";
import { comments, posts } from "./posts.ts";

export const reportCategories = ["spam", "harassment", "child_safety", "other"] as const;
export type ReportCategory = (typeof reportCategories)[number];
export const reportCategory = pgEnum("report_category", reportCategories);

export const reportStates = ["open", "resolved", "dismissed"] as const;
export type ReportState = (typeof reportStates)[number];
export const reportState = pgEnum("report_state", reportStates);

/** The longest reason kept, from people here and from other servers' `Flag`s alike. */
export const maxReportReasonLength = 1000;

/**
 * Someone's report about a post (a discussion, file, event…), a comment (`commentId` set) or a
 * person's conduct in the community (`subjectAccountId` set, no post), or a direct message
 * (`messageId` set, in no community: for the instance administrator), from this server or from
 * another one (a `Flag`, whose id `flagUri` keeps), waiting for the community's moderators
 * or the instance administrator to decide.
 */
export const reports = pgTable(
  "reports",
  {
    id: uuid().primaryKey().defaultRandom(),
    reporterId: uuid()
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    communityId: uuid().references(() => communities.id, { onDelete: "cascade" }),
    postId: uuid().references(() => posts.id, { onDelete: "cascade" }),
    commentId: uuid().references(() => comments.id, { onDelete: "cascade" }),
    subjectAccountId: uuid().references(() => accounts.id, { onDelete: "cascade" }),
    messageId: uuid().references(() => messages.id, { onDelete: "cascade" }),
    category: reportCategory().notNull(),
    reason: text().notNull(),
    /** Whether the reporter asked for the servers of the author and community to be told. */
    forward: boolean().notNull().default(false),
    flagUri: text(),
    state: reportState().notNull().default("open"),
    resolutionNote: text(),
    resolvedById: uuid().references(() => accounts.id, { onDelete: "set null" }),
    resolvedAt: instant(),
    createdAt: instant().notNull().defaultNow(),
  },
  (table) => [
    // One open report per person here and item: a second would only repeat the first. Flags
    // from elsewhere are kept each once (by their id): Mastodon sends every one of its users'
    // reports as its instance actor (app/services/report_service.rb, forward_to_origin!).
    uniqueIndex("reports_one_open_per_reporter")
      .on(
        table.reporterId,
        table.postId,
        sql`coalesce(${table.commentId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      )
      .where(sql`${table.state} = 'open' and ${table.flagUri} is null`),
    uniqueIndex("reports_one_open_per_reporter_and_person")
      .on(table.reporterId, table.communityId, table.subjectAccountId)
      .where(sql`${table.state} = 'open' and ${table.postId} is null`),
    uniqueIndex("reports_one_open_per_reporter_and_message")
      .on(table.reporterId, table.messageId)
      .where(sql`${table.state} = 'open' and ${table.messageId} is not null`),
    check(
      "reports_about_something",
      sql`${table.postId} is not null or ${table.subjectAccountId} is not null or ${table.messageId} is not null`,
    ),
    check(
      "reports_in_a_community",
      sql`${table.communityId} is not null or ${table.messageId} is not null`,
    ),
    index("reports_community_state_idx").on(table.communityId, table.state, table.createdAt),
    index("reports_state_idx").on(table.state, table.createdAt),
  ],
);

export type Report = typeof reports.$inferSelect;
