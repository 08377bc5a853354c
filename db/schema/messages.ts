import { index, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts.ts";
import { instant } from "./instant.ts";

/** The most people one conversation holds, its author included. */
export const maxParticipants = 20;

/**
 * A direct conversation between people here and elsewhere. One begun on another server keeps
 * that server's thread id (`context`, Mastodon's `conversation`) in `uri`; one begun here
 * is named by its address here.
 */
export const conversations = pgTable(
  "conversations",
  {
    id: uuid().primaryKey().defaultRandom(),
    uri: text(),
    createdAt: instant().notNull().defaultNow(),
    /** When its last message came: conversations are listed by it. */
    updatedAt: instant().notNull().defaultNow(),
  },
  (table) => [uniqueIndex("conversations_uri_key").on(table.uri)],
);
export type Conversation = typeof conversations.$inferSelect;

export const conversationParticipants = pgTable(
  "conversation_participants",
  {
    conversationId: uuid()
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    accountId: uuid()
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** Messages after it are unread; null when the person has read none. */
    lastReadAt: instant(),
    leftAt: instant(),
    createdAt: instant().notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.conversationId, table.accountId] }),
    index("conversation_participants_account_idx").on(table.accountId),
  ],
);
export type ConversationParticipant = typeof conversationParticipants.$inferSelect;

export const messages = pgTable(
  "messages",
  {
    id: uuid().primaryKey().defaultRandom(),
    conversationId: uuid()
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    authorId: uuid()
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** Sanitised HTML, as comments keep it. */
    content: text().notNull(),
    /** The Markdown it was written in; empty for messages from elsewhere, which send HTML. */
    source: text().notNull().default(""),
    /** The Note's id for a message from another server; null for one written here. */
    uri: text(),
    createdAt: instant().notNull().defaultNow(),
    deletedAt: instant(),
  },
  (table) => [
    uniqueIndex("messages_uri_key").on(table.uri),
    index("messages_conversation_idx").on(table.conversationId, table.createdAt, table.id),
  ],
);
export type Message = typeof messages.$inferSelect;

/**
 * One person blocks another: neither may message the other, and nothing of the blocked one
 * reaches the blocker. `uri` is the Block activity's id, sent or received.
 */
export const blocks = pgTable(
  "blocks",
  {
    blockerId: uuid()
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    blockedId: uuid()
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    uri: text(),
    createdAt: instant().notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.blockerId, table.blockedId] }),
    index("blocks_blocked_idx").on(table.blockedId),
  ],
);
export type Block = typeof blocks.$inferSelect;
