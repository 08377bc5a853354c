import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { instant } from "./instant.ts";

/**
 * rate-limiter-flexible's counters (its RateLimiterDrizzle store names the columns), kept
 * in PostgreSQL so that every web process counts against the same limits. A key is a
 * limit's prefix and a hash of what it counts (an address, an account, a server).
 */
export const rateLimitCounters = pgTable("rate_limit_counters", {
  key: text().primaryKey(),
  points: integer().notNull(),
  /** When the window ends and the count starts again; the store deletes rows long past it. */
  expire: instant(),
});
