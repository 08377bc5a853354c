import { sql } from "drizzle-orm";
import { check, pgTable, primaryKey, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts.ts";
import { communities } from "./communities.ts";
import { instant } from "./instant.ts";

/** Who takes part in a community's coffee rounds (services/coffee.ts). */
export const coffeeParticipants = pgTable(
  "coffee_participants",
  {
    communityId: uuid()
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    accountId: uuid()
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    optedInAt: instant().notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.communityId, table.accountId] })],
);

/**
 * Two people a round introduced to each other, the smaller id first so that a pair is one
 * row whichever way it is read; a group of three is its three pairs.
 */
export const coffeePairs = pgTable(
  "coffee_pairs",
  {
    communityId: uuid()
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    aId: uuid()
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    bId: uuid()
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** When the round was due. */
    round: instant().notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.communityId, table.aId, table.bId, table.round] }),
    check("coffee_pairs_ordered", sql`${table.aId} < ${table.bId}`),
  ],
);
