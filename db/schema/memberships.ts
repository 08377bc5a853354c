import { index, pgEnum, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts.ts";
import { communities } from "./communities.ts";
import { instant } from "./instant.ts";

export const membershipStates = ["active", "pending", "invited", "rejected", "banned"] as const;
export type MembershipState = (typeof membershipStates)[number];
export const membershipState = pgEnum("membership_state", membershipStates);

export const memberRoles = ["owner", "admin", "moderator", "member"] as const;
export type MemberRole = (typeof memberRoles)[number];
export const memberRole = pgEnum("member_role", memberRoles);

export const memberships = pgTable(
  "memberships",
  {
    id: uuid().primaryKey().defaultRandom(),
    communityId: uuid()
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    accountId: uuid()
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    role: memberRole().notNull().default("member"),
    state: membershipState().notNull(),
    message: text().notNull().default(""),
    decisionReason: text().notNull().default(""),
    decidedById: uuid().references(() => accounts.id, { onDelete: "set null" }),
    decidedAt: instant(),
    /** The Follow a person on another server asked with; the answer names it. */
    followUri: text(),
    createdAt: instant().notNull().defaultNow(),
    updatedAt: instant().notNull().defaultNow(),
  },
  (table) => [
    unique("memberships_community_account_key").on(table.communityId, table.accountId),
    index("memberships_community_state_idx").on(table.communityId, table.state, table.createdAt),
    index("memberships_account_idx").on(table.accountId),
  ],
);

export type Membership = typeof memberships.$inferSelect;
