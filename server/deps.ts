import { join } from "node:path";
import type { Database } from "../db/index.ts";
import type { Config } from "./config.ts";
import { createMailer, type Mailer } from "./mail/mailer.ts";
import { type FederationPort, offlineFederation } from "./services/federation-port.ts";
import { localDiskStorage } from "./storage/local-disk.ts";
import type { FileStorage } from "./storage/storage.ts";

/** What services need from the outside world, built once at start. */
export interface Deps {
  db: Database;
  config: Config;
  mailer: Mailer;
  storage: FileStorage;
  /** Set by federation/ once it is created; it needs these same deps. */
  federation: FederationPort;
}

export function createDeps(config: Config, db: Database): Deps {
  return {
    db,
    config,
    mailer: createMailer({
      smtpUrl: config.smtpUrl,
      from: config.mailFrom,
      dataDir: config.dataDir,
    }),
    storage: localDiskStorage(join(config.dataDir, "uploads")),
    federation: offlineFederation,
  };
}
