import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { accounts } from "./accounts.ts";
import { instant } from "./instant.ts";
import { remoteActorColumns } from "./remote.ts";

export const privacyLevels = ["open", "public", "semi_private", "private"] as const;
export type PrivacyLevel = (typeof privacyLevels)[number];
export const privacyLevel = pgEnum("privacy_level", privacyLevels);

export interface ConceptNote {
  overview: string;
  purpose: string;
  engagement: string;
}

export const communities = pgTable(
  "communities",
  {
    id: uuid().primaryKey().defaultRandom(),
    slug: text().notNull(),
    name: text().notNull(),
    summary: text().notNull().default(""),
    privacy: privacyLevel().notNull(),
    hidden: boolean().notNull().default(false),
    archived: boolean().notNull().default(false),
    parentId: uuid().references((): AnyPgColumn => communities.id, { onDelete: "restrict" }),
    conceptNote: jsonb()
      .$type<ConceptNote>()
      .notNull()
      .default({ overview: "", purpose: "", engagement: "" }),
    eligibility: text().notNull().default(""),
    principles: text().notNull().default(""),
    /** For a copy of a community on another server: how many members its home counts. */
    memberCount: integer(),
    createdById: uuid().references(() => accounts.id, { onDelete: "set null" }),
    createdAt: instant().notNull().defaultNow(),
    updatedAt: instant().notNull().defaultNow(),
    ...remoteActorColumns(),
  },
  (table) => [
    uniqueIndex("communities_slug_key").on(
      sql`lower(${table.slug})`,
      sql`coalesce(${table.domain}, '')`,
    ),
    uniqueIndex("communities_uri_key").on(table.uri),
    index("communities_parent_idx").on(table.parentId),
    index("communities_directory_idx").on(table.createdAt.desc(), table.id.desc()),
  ],
);

export type Community = typeof communities.$inferSelect;
