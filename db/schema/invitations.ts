import { index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts.ts";
import { communities } from "./communities.ts";
import { instant } from "./instant.ts";

/**
 * An invitation to a community (by e-mail or fediverse handle) or, without a community,
 * to register on an invite-only instance. E-mail invitations are redeemed through a
 * signed link; `usedAt` makes that link single-use.
 */
export const invitations = pgTable(
  "invitations",
  {
    id: uuid().primaryKey().defaultRandom(),
    communityId: uuid().references(() => communities.id, { onDelete: "cascade" }),
    invitedById: uuid()
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    email: text(),
    handle: text(),
    expiresAt: instant().notNull(),
    usedAt: instant(),
    usedById: uuid().references(() => accounts.id, { onDelete: "set null" }),
    createdAt: instant().notNull().defaultNow(),
  },
  (table) => [
    index("invitations_community_idx").on(table.communityId, table.createdAt),
    index("invitations_handle_idx").on(table.handle),
  ],
);

export type Invitation = typeof invitations.$inferSelect;
