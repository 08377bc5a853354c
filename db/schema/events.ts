import { boolean, index, pgEnum, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts.ts";
import { instant } from "./instant.ts";
import { posts } from "./posts.ts";

/**
 * The calendar side of an `event` post: instants in UTC plus the IANA zone the organiser
 * chose, so each viewer can see it in their own zone.
 */
export const eventDetails = pgTable(
  "event_details",
  {
    postId: uuid()
      .primaryKey()
      .references(() => posts.id, { onDelete: "cascade" }),
    startsAt: instant().notNull(),
    endsAt: instant().notNull(),
    timezone: text().notNull(),
    location: text().notNull().default(""),
    onlineUrl: text(),
    webinar: boolean().notNull().default(false),
    recordingUrl: text(),
    slidesUrl: text(),
  },
  (table) => [index("event_details_starts_idx").on(table.startsAt)],
);

export const rsvpStatuses = ["going", "not_going"] as const;
export const rsvpStatus = pgEnum("rsvp_status", rsvpStatuses);

export const rsvps = pgTable(
  "rsvps",
  {
    postId: uuid()
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    accountId: uuid()
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    status: rsvpStatus().notNull(),
    updatedAt: instant().notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.postId, table.accountId] })],
);

export type EventDetails = typeof eventDetails.$inferSelect;

/** Who has been reminded that an event starts soon: once per person and event. */
export const eventReminders = pgTable(
  "event_reminders",
  {
    postId: uuid()
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    accountId: uuid()
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    remindedAt: instant().notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.postId, table.accountId] })],
);
