import { getTableColumns, type SQLWrapper, sql } from "drizzle-orm";
import {
  customType,
  index,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { accounts } from "./accounts.ts";
import { communities } from "./communities.ts";
import { instant } from "./instant.ts";
import { posts } from "./posts.ts";

/** Who made a translation: a person (here, or on the post's home server) or a machine. */
export const translationOrigins = ["human", "machine"] as const;
export type TranslationOrigin = (typeof translationOrigins)[number];
export const translationOrigin = pgEnum("translation_origin", translationOrigins);

/** Maintained by PostgreSQL from title, text and language, as a post's own (posts.ts). */
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/** A post, page, announcement or event in another language than it was written in. */
export const postTranslations = pgTable(
  "post_translations",
  {
    id: uuid().primaryKey().defaultRandom(),
    postId: uuid()
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    language: text().notNull(),
    title: text().notNull(),
    source: text().notNull(),
    content: text().notNull(),
    origin: translationOrigin().notNull(),
    translatorId: uuid().references(() => accounts.id, { onDelete: "set null" }),
    createdAt: instant().notNull().defaultNow(),
    updatedAt: instant().notNull().defaultNow(),
    search: tsvector().generatedAlwaysAs(
      (): ReturnType<typeof sql> =>
        sql`setweight(to_tsvector(praxis_search_config(${postTranslations.language}), ${postTranslations.title}), 'A') ||
          setweight(to_tsvector(praxis_search_config(${postTranslations.language}), ${postTranslations.source}), 'B')`,
    ),
  },
  (table) => [
    unique("post_translations_post_language_key").on(table.postId, table.language),
    index("post_translations_search_idx").using("gin", table.search),
  ],
);

/** Members a community's admins asked to translate its posts, beside their role. */
export const communityTranslators = pgTable(
  "community_translators",
  {
    communityId: uuid()
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    accountId: uuid()
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    appointedById: uuid().references(() => accounts.id, { onDelete: "set null" }),
    createdAt: instant().notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.communityId, table.accountId] })],
);

/** Every column but the search vector, which only PostgreSQL reads. */
const { search: _, ...translationColumnList } = getTableColumns(postTranslations);
export const translationColumns = translationColumnList;
export type PostTranslation = Omit<typeof postTranslations.$inferSelect, "search">;

/** Whether `account` is an appointed translator of the community `community` names, in SQL. */
export function isAppointedTranslatorOf(community: SQLWrapper, account: SQLWrapper | string) {
  return sql<boolean>`exists (
    select 1 from ${communityTranslators}
    where ${communityTranslators.communityId} = ${community}
      and ${communityTranslators.accountId} = ${account}
  )`;
}
