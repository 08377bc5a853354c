import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  date,
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
    /** The storage key prefix of the uploaded banner's sizes (services/images.ts), if any. */
    banner: text(),
    /** For a copy of a community on another server: how many members its home counts. */
    memberCount: integer(),
    /** What the network directory is searched and filtered by (services/community-facets.ts). */
    topics: text().array().notNull().default(sql`'{}'::text[]`),
    /** BCP 47 language tags, canonical (`pt-BR`). */
    languages: text().array().notNull().default(sql`'{}'::text[]`),
    /** The countries it focuses on, as ISO 3166-1 alpha-2 codes (`KE`). */
    countries: text().array().notNull().default(sql`'{}'::text[]`),
    /**
     * When it last had new content: a post or comment written here or copied here (kept by
     * the database, see 0016_community_topics.sql), or for a copy what its home says.
     */
    lastActivityAt: instant().notNull().defaultNow(),
    /**
     * The day its admins plan new content by, chosen when they reactivate it from dormancy: it
     * counts as active until that day has passed (services/community-activity.ts).
     */
    activityPlannedFor: date({ mode: "string" }),
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
