import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uuid,
} from "drizzle-orm/pg-core";
import { posts } from "./posts.ts";

/** The stored bytes behind a `file` post; `private` hides it from non-members of open communities. */
export const fileDetails = pgTable(
  "file_details",
  {
    postId: uuid()
      .primaryKey()
      .references(() => posts.id, { onDelete: "cascade" }),
    category: text().notNull().default(""),
    private: boolean().notNull().default(false),
    filename: text().notNull(),
    mediaType: text().notNull(),
    size: bigint({ mode: "number" }).notNull(),
    storageKey: text().notNull(),
    downloads: integer().notNull().default(0),
  },
  (table) => [
    index("file_details_category_idx").on(table.category),
    // Categories are labels in any language: searched word by word, without stemming.
    index("file_details_category_search_idx").using(
      "gin",
      sql`to_tsvector('praxis_simple', ${table.category})`,
    ),
  ],
);

/** Files attached to a discussion, announcement or other post. */
export const attachments = pgTable(
  "attachments",
  {
    postId: uuid()
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    filePostId: uuid()
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
  },
  (table) => [primaryKey({ columns: [table.postId, table.filePostId] })],
);

export type FileDetails = typeof fileDetails.$inferSelect;
