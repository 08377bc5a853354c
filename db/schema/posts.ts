import { getTableColumns, sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  customType,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uuid,
} from "drizzle-orm/pg-core";
import { accounts } from "./accounts.ts";
import { communities } from "./communities.ts";
import { instant } from "./instant.ts";

export const postKinds = ["discussion", "announcement", "page", "event", "file"] as const;
export type PostKind = (typeof postKinds)[number];
export const postKind = pgEnum("post_kind", postKinds);

/** Maintained by PostgreSQL from title, text and language (see the search migration). */
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

const searchable = (title: AnyPgColumn | null, body: AnyPgColumn, language: AnyPgColumn) =>
  title
    ? sql`setweight(to_tsvector(praxis_search_config(${language}), coalesce(${title}, '')), 'A') ||
          setweight(to_tsvector(praxis_search_config(${language}), ${body}), 'B')`
    : sql`to_tsvector(praxis_search_config(${language}), ${body})`;

export const posts = pgTable(
  "posts",
  {
    id: uuid().primaryKey().defaultRandom(),
    communityId: uuid()
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    authorId: uuid().references(() => accounts.id, { onDelete: "set null" }),
    kind: postKind().notNull(),
    /** The ActivityPub id of a post written on another server; null for local posts. */
    uri: text().unique(),
    title: text().notNull(),
    source: text().notNull(),
    content: text().notNull(),
    language: text().notNull(),
    parentPageId: uuid().references((): AnyPgColumn => posts.id, { onDelete: "set null" }),
    position: integer().notNull().default(0),
    locked: boolean().notNull().default(false),
    pinned: boolean().notNull().default(false),
    likeCount: integer().notNull().default(0),
    commentCount: integer().notNull().default(0),
    editedAt: instant(),
    deletedAt: instant(),
    /** When a facilitator featured it for the weekly mail (services/weekly-top.ts). */
    digestFeaturedAt: instant(),
    createdAt: instant().notNull().defaultNow(),
    updatedAt: instant().notNull().defaultNow(),
    search: tsvector().generatedAlwaysAs(
      (): ReturnType<typeof sql> => searchable(posts.title, posts.source, posts.language),
    ),
  },
  (table) => [
    index("posts_community_kind_idx").on(
      table.communityId,
      table.kind,
      table.createdAt.desc(),
      table.id.desc(),
    ),
    index("posts_parent_page_idx").on(table.parentPageId, table.position),
    index("posts_search_idx").using("gin", table.search),
    index("posts_digest_featured_idx")
      .on(table.digestFeaturedAt)
      .where(sql`${table.digestFeaturedAt} is not null`),
  ],
);

export const comments = pgTable(
  "comments",
  {
    id: uuid().primaryKey().defaultRandom(),
    postId: uuid()
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    inReplyToId: uuid().references((): AnyPgColumn => comments.id, { onDelete: "set null" }),
    uri: text().unique(),
    authorId: uuid().references(() => accounts.id, { onDelete: "set null" }),
    source: text().notNull(),
    content: text().notNull(),
    language: text().notNull(),
    likeCount: integer().notNull().default(0),
    editedAt: instant(),
    deletedAt: instant(),
    createdAt: instant().notNull().defaultNow(),
    updatedAt: instant().notNull().defaultNow(),
    search: tsvector().generatedAlwaysAs(
      (): ReturnType<typeof sql> => searchable(null, comments.source, comments.language),
    ),
  },
  (table) => [
    index("comments_post_idx").on(table.postId, table.createdAt, table.id),
    index("comments_search_idx").using("gin", table.search),
  ],
);

/** One like per person per post or comment; the target is one or the other. */
export const likes = pgTable(
  "likes",
  {
    targetId: uuid().notNull(),
    accountId: uuid()
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    createdAt: instant().notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.targetId, table.accountId] })],
);

/**
 * Every column but the search vector, which only PostgreSQL reads: what services select and
 * return, so that no read carries a post's whole tsvector back to Node.
 */
function withoutSearch<Columns extends { search: unknown }>(columns: Columns) {
  const { search: _, ...rest } = columns;
  return rest;
}
export const postColumns = withoutSearch(getTableColumns(posts));
export const commentColumns = withoutSearch(getTableColumns(comments));

export type Post = Omit<typeof posts.$inferSelect, "search">;
export type Comment = Omit<typeof comments.$inferSelect, "search">;
