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
  "invitation_sent",
  "content_removed",
  "report_dismissed",
  "account_suspended",
  "domain_blocked",
] as const;
export type AuditAction = (typeof auditActions)[number];

/** Every administrative decision in a community, readable by that community's admins. */
export const auditEntries = pgTable(
  "audit_entries",
  {
    id: uuid().primaryKey().defaultRandom(),
    communityId: uuid()
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    actorId: uuid().references(() => accounts.id, { onDelete: "set null" }),
    action: text().$type<AuditAction>().notNull(),
    targetAccountId: uuid().references(() => accounts.id, { onDelete: "set null" }),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: instant().notNull().defaultNow(),
  },
  (table) => [index("audit_entries_community_idx").on(table.communityId, table.createdAt)],
);
