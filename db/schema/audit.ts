import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts.ts";
import { communities } from "./communities.ts";
import { instant } from "./instant.ts";

export const auditActions = [
  "community_created",
  "community_updated",
  "request_approved",
  "request_rejected",
  "member_removed",
  "member_banned",
  "member_unbanned",
  "role_changed",
  "translator_appointed",
  "translator_removed",
  "invitation_sent",
  "content_removed",
  "report_dismissed",
  "account_suspended",
  "domain_blocked",
  // The instance administrator's decisions that concern no community.
  "registration_approved",
  "registration_rejected",
  "server_blocked",
  "server_unblocked",
  "instance_updated",
] as const;
export type AuditAction = (typeof auditActions)[number];

/**
 * Every administrative decision: a community's, readable by that community's admins, or, with
 * no community, the instance administrator's (registrations, server blocks, settings…).
 */
export const auditEntries = pgTable(
  "audit_entries",
  {
    id: uuid().primaryKey().defaultRandom(),
    communityId: uuid().references(() => communities.id, { onDelete: "cascade" }),
    actorId: uuid().references(() => accounts.id, { onDelete: "set null" }),
    action: text().$type<AuditAction>().notNull(),
    targetAccountId: uuid().references(() => accounts.id, { onDelete: "set null" }),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: instant().notNull().defaultNow(),
  },
  (table) => [
    index("audit_entries_community_idx").on(table.communityId, table.createdAt),
    index("audit_entries_instance_idx")
      .on(table.createdAt)
      .where(sql`${table.communityId} is null`),
  ],
);
