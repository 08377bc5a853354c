import { sql } from "drizzle-orm";
import { boolean, check, pgTable, text } from "drizzle-orm/pg-core";
import { instant } from "./instant.ts";

export const registrationModes = ["open", "approval", "invite"] as const;

/**
 * What the instance administrator says about this server: one row at most (`id` is always
 * true). A null registration mode leaves it to REGISTRATION_MODE.
 */
export const instanceSettings = pgTable(
  "instance_settings",
  {
    id: boolean().primaryKey().default(true),
    name: text().notNull().default(""),
    description: text().notNull().default(""),
    rules: text().array().notNull().default(sql`'{}'::text[]`),
    registrationMode: text({ enum: registrationModes }),
    updatedAt: instant().notNull().defaultNow(),
  },
  (table) => [check("instance_settings_id_check", sql`${table.id}`)],
);

export type InstanceSettings = typeof instanceSettings.$inferSelect;
