import type { Database } from "../db/index.ts";
import type { Config } from "./config.ts";
import type { Mailer } from "./mail/mailer.ts";

/** What services need from the outside world, built once at start. */
export interface Deps {
  db: Database;
  config: Config;
  mailer: Mailer;
}
