import { sql } from "drizzle-orm";
import { check, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts.ts";
import { communities } from "./communities.ts";

/**
 * Accounts and communities share one namespace because both are ActivityPub actors
 * found by the same WebFinger `acct:name@host`; this table makes that unique.
 */
export const actorNames = pgTable(
  "actor_names",
  {
    name: text().primaryKey(),
    accountId: uuid().references(() => accounts.id, { onDelete: "cascade" }),
    communityId: uuid().references(() => communities.id, { onDelete: "cascade" }),
  },
  (table) => [
    check(
      "actor_names_one_owner",
      sql`(${table.accountId} is null) <> (${table.communityId} is null)`,
    ),
  ],
);
