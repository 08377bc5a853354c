import { pgTable, text } from "drizzle-orm/pg-core";
import { instant } from "./instant.ts";

/** When each periodic job last ran, so that restarts and several workers run it once. */
export const scheduledRuns = pgTable("scheduled_runs", {
  job: text().primaryKey(),
  lastRunAt: instant().notNull(),
});
