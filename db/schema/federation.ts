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
