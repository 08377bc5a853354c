import { sql } from "drizzle-orm";
import { boolean, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { instant } from "./instant.ts";
import { remoteActorColumns } from "./remote.ts";

export const accountStates = ["active", "pending", "rejected", "suspended"] as const;
export const accountState = pgEnum("account_state", accountStates);

/** How often a person wants e-mail about their communities' news. */
export const mailFrequencies = ["each", "daily", "none"] as const;
export type MailFrequency = (typeof mailFrequencies)[number];
export const mailFrequency = pgEnum("mail_frequency", mailFrequencies);

export const accounts = pgTable(
  "accounts",
  {
    id: uuid().primaryKey().defaultRandom(),
    username: text().notNull(),
    /** Null for people on other servers, who sign in there. */
    email: text(),
    passwordHash: text(),
    displayName: text().notNull().default(""),
    locale: text().notNull().default("en"),
    profession: text().notNull().default(""),
    country: text().notNull().default(""),
    organisation: text().notNull().default(""),
    emailNotifications: mailFrequency().notNull().default("each"),
    isAdmin: boolean().notNull().default(false),
    state: accountState().notNull().default("active"),
    /**
     * Whether `username@domain` names this account. Two actors of one server may go by one
     * name (a renamed actor, a person and a bot): the first kept here holds the handle, and
     * another is named by its id until the holder's own document goes by another name.
     */
    holdsHandle: boolean().notNull().default(true),
    createdAt: instant().notNull().defaultNow(),
    updatedAt: instant().notNull().defaultNow(),
    ...remoteActorColumns(),
  },
  (table) => [
    uniqueIndex("accounts_handle_key")
      .on(sql`lower(${table.username})`, sql`coalesce(${table.domain}, '')`)
      .where(sql`${table.holdsHandle}`),
    uniqueIndex("accounts_uri_key").on(table.uri),
    uniqueIndex("accounts_email_key").on(sql`lower(${table.email})`),
  ],
);

export type Account = typeof accounts.$inferSelect;

/** What a post or comment shows of its author: reads of many select only this. */
export const authorColumns = {
  id: accounts.id,
  username: accounts.username,
  displayName: accounts.displayName,
  domain: accounts.domain,
  uri: accounts.uri,
  holdsHandle: accounts.holdsHandle,
};
export type Author = Pick<Account, keyof typeof authorColumns>;
