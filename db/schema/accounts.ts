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
import { instant } from "./instant.ts";
import { remoteActorColumns } from "./remote.ts";

export const accountStates = ["active", "pending", "rejected", "suspended"] as const;
export const accountState = pgEnum("account_state", accountStates);

/** How often a person wants e-mail about their communities' news. */
export const mailFrequencies = ["each", "daily", "weekly", "none"] as const;
export type MailFrequency = (typeof mailFrequencies)[number];
export const mailFrequency = pgEnum("mail_frequency", mailFrequencies);

/** Who sees a person's profession, organisation and country (the rule: services/privacy.ts). */
export const profileAudiences = ["everyone", "members", "admins"] as const;
export type ProfileAudience = (typeof profileAudiences)[number];
export const profileAudience = pgEnum("profile_audience", profileAudiences);

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
    profileAudience: profileAudience().notNull().default("everyone"),
    /** Plain text, shown as written (no markdown), and the Person actor's summary. */
    bio: text().notNull().default(""),
    /** BCP 47 tags of the languages the person speaks. */
    languages: text().array().notNull().default(sql`'{}'::text[]`),
    /** Topics the person knows about, normalised as community topics are. */
    expertise: text().array().notNull().default(sql`'{}'::text[]`),
    /** Whether they offer to be a resource person: the finder of people lists only them. */
    resourcePerson: boolean().notNull().default(false),
    /** The storage key prefix of the uploaded avatar's sizes (services/images.ts), if any. */
    avatar: text(),
    isAdmin: boolean().notNull().default(false),
    state: accountState().notNull().default("active"),
    /**
     * Whether `username@domain` names this account. Two actors of one server may go by one
     * name (a renamed actor, a person and a bot): the first kept here holds the handle, and
     * another is named by its id until the holder's own document goes by another name.
     */
    holdsHandle: boolean().notNull().default(true),
    /**
     * A remote person whose own document carries Praxis's terms: their server keeps the
     * members-only posts of the communities they belong to, as a replica, for them.
     */
    speaksPraxis: boolean().notNull().default(false),
    /**
     * When the person deleted their account. The row stays, emptied, so that their name stays
     * taken (no one may sign up as them) and what they chose to keep still has an author.
     */
    deletedAt: instant(),
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
    index("accounts_resource_people_idx")
      .on(table.createdAt, table.id)
      .where(sql`${table.resourcePerson}`),
  ],
);

export type Account = typeof accounts.$inferSelect;

export const accountLinkPurposes = ["password_reset", "email_change"] as const;
export type AccountLinkPurpose = (typeof accountLinkPurposes)[number];

/**
 * A link mailed to someone about their account, which works once: its signed token names
 * the row, and using it stamps `usedAt`. An e-mail change keeps the address it confirms.
 */
export const accountLinks = pgTable(
  "account_links",
  {
    id: uuid().primaryKey().defaultRandom(),
    accountId: uuid()
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    purpose: text({ enum: accountLinkPurposes }).notNull(),
    newEmail: text(),
    createdAt: instant().notNull().defaultNow(),
    expiresAt: instant().notNull(),
    usedAt: instant(),
  },
  (table) => [
    index("account_links_account_idx").on(table.accountId),
    check("account_links_purpose", sql`${table.purpose} IN ('password_reset', 'email_change')`),
  ],
);
export type AccountLink = typeof accountLinks.$inferSelect;

/** What a post or comment shows of its author: reads of many select only this. */
export const authorColumns = {
  id: accounts.id,
  username: accounts.username,
  displayName: accounts.displayName,
  domain: accounts.domain,
  uri: accounts.uri,
  holdsHandle: accounts.holdsHandle,
  avatar: accounts.avatar,
};
export type Author = Pick<Account, keyof typeof authorColumns>;
