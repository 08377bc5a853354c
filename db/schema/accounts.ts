import { sql } from "drizzle-orm";
import { boolean, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { instant } from "./instant.ts";

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
    email: text().notNull(),
    passwordHash: text().notNull(),
    displayName: text().notNull().default(""),
    locale: text().notNull().default("en"),
    profession: text().notNull().default(""),
    country: text().notNull().default(""),
    organisation: text().notNull().default(""),
    emailNotifications: mailFrequency().notNull().default("each"),
    isAdmin: boolean().notNull().default(false),
    state: accountState().notNull().default("active"),
    createdAt: instant().notNull().defaultNow(),
    updatedAt: instant().notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("accounts_username_key").on(sql`lower(${table.username})`),
    uniqueIndex("accounts_email_key").on(sql`lower(${table.email})`),
  ],
);

export type Account = typeof accounts.$inferSelect;
