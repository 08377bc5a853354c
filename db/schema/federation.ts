import {
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uuid,
} from "drizzle-orm/pg-core";
import { instant } from "./instant.ts";

export const keyAlgorithms = ["RSASSA-PKCS1-v1_5", "Ed25519"] as const;
export type KeyAlgorithm = (typeof keyAlgorithms)[number];

/** Signing keys of local actors (accounts and communities), as JWKs. */
export const actorKeys = pgTable(
  "actor_keys",
  {
    ownerId: uuid().notNull(),
    algorithm: text().$type<KeyAlgorithm>().notNull(),
    publicKey: jsonb().$type<JsonWebKey>().notNull(),
    privateKey: jsonb().$type<JsonWebKey>().notNull(),
    createdAt: instant().notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.ownerId, table.algorithm] })],
);

/** Fedify's key-value store (caches, idempotence records). */
export const federationKv = pgTable("federation_kv", {
  key: text().array().primaryKey(),
  value: jsonb().notNull(),
  expiresAt: instant(),
});

/** Servers this instance refuses to federate with, as its administrator decided. */
export const domainBlocks = pgTable("domain_blocks", {
  /** host[:port], lower case, as in handles. */
  domain: text().primaryKey(),
  reason: text().notNull().default(""),
  createdAt: instant().notNull().defaultNow(),
});

export type DomainBlock = typeof domainBlocks.$inferSelect;

/**
 * Work waiting for a worker: Fedify's inbox, outbox and fan-out messages and Praxis's own
 * federation events, each queue by name. A taken message carries a lease; a worker that
 * dies leaves it to be taken again once the lease runs out.
 */
export const queuedMessages = pgTable(
  "queued_messages",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    queue: text().notNull(),
    payload: jsonb().notNull(),
    orderingKey: text(),
    deliverAt: instant().notNull().defaultNow(),
    leasedUntil: instant(),
    attempts: integer().notNull().default(0),
    createdAt: instant().notNull().defaultNow(),
  },
  (table) => [
    index("queued_messages_due_idx").on(table.queue, table.deliverAt, table.id),
    index("queued_messages_ordering_idx").on(table.queue, table.orderingKey, table.id),
  ],
);

/**
 * Objects from other servers that were deleted by someone entitled to: their own server, or
 * the community elsewhere that relays them. Kept so that a Create, Update or Announce
 * arriving after the Delete (deliveries come in any order) does not bring them back.
 */
export const tombstones = pgTable(
  "tombstones",
  {
    objectUri: text().notNull(),
    /** The actor who deleted it: on the object's own server, or the relaying community. */
    deletedBy: text().notNull(),
    deletedAt: instant().notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.objectUri, table.deletedBy] })],
);

/**
 * Activities whose effect has been recorded, by id, claimed in the same transaction as
 * the effect: deliveries of one activity processed at the same moment have one effect.
 */
export const receivedActivities = pgTable("received_activities", {
  id: text().primaryKey(),
  receivedAt: instant().notNull().defaultNow(),
});
