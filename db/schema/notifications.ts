import { index, jsonb, pgEnum, pgTable, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts.ts";
import { communities } from "./communities.ts";
import { instant } from "./instant.ts";

export const notificationKinds = [
  "announcement",
  "reply",
  "join_request",
  "join_approved",
  "join_rejected",
  "invitation",
  "report",
  "event_soon",
  "community_dormant",
  "join_requests_waiting",
  "direct_message",
  "report_decided",
  "coffee_pairing",
  "question_asked",
  "question_assigned",
  "question_answered",
] as const;
export type NotificationKind = (typeof notificationKinds)[number];
export const notificationKind = pgEnum("notification_kind", notificationKinds);

export const notifications = pgTable(
  "notifications",
  {
    id: uuid().primaryKey().defaultRandom(),
    accountId: uuid()
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    kind: notificationKind().notNull(),
    communityId: uuid().references(() => communities.id, { onDelete: "cascade" }),
    subjectId: uuid(),
    actorId: uuid().references(() => accounts.id, { onDelete: "set null" }),
    data: jsonb().$type<Record<string, string>>().notNull().default({}),
    readAt: instant(),
    createdAt: instant().notNull().defaultNow(),
  },
  (table) => [
    index("notifications_account_idx").on(table.accountId, table.createdAt.desc(), table.id.desc()),
  ],
);
