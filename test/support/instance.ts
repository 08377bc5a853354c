import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPraxisFederation } from "../../federation/index.ts";
import { PostgresKvStore } from "../../federation/kv.ts";
import { praxisQueues, startFederationWorkers } from "../../federation/workers.ts";
import { createApp } from "../../server/app.ts";
import { loadConfig } from "../../server/config.ts";
import { createDeps, type Deps } from "../../server/deps.ts";
import {
  type Person,
  type ReceivedMail,
  type Requester,
  readMailbox,
  requester,
  signUpWith,
} from "./client.ts";
import { freshDatabase } from "./database.ts";
import { generousLimits } from "./limits.ts";

export type { Answer, Person, ReceivedMail, RequestOptions } from "./client.ts";

export const testOrigin = "http://praxis.test";

/** An in-process Praxis on its own fresh database and data directory. */
export interface TestInstance {
  deps: Deps;
  app: ReturnType<typeof createApp>;
  request: Requester;
  /** Registers and signs in an account; the first one of an instance is its administrator. */
  signUp(username: string, extra?: Record<string, unknown>): Promise<Person>;
  mails(): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export async function startTestInstance(env: Record<string, string> = {}): Promise<TestInstance> {
  const database = await freshDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), "praxis-test-data-"));
  const config = loadConfig({
    DATA_DIR: dataDir,
    PUBLIC_URL: testOrigin,
    LOG_LEVEL: "error",
    ...generousLimits,
    ...env,
  });
  const deps = createDeps(config, database.db);
  const queues = praxisQueues(database, config.queueHandlerTimeoutMs);
  const federation = createPraxisFederation(deps, new PostgresKvStore(database.sql), queues);
  const app = createApp(deps, federation);
  const stopWorkers = startFederationWorkers(federation, deps, queues);

  const request = requester(testOrigin, async (req) => app.request(req));

  return {
    deps,
    app,
    request,
    signUp: (username, extra) => signUpWith(request, username, extra),
    mails: () => readMailbox(dataDir),
    async close() {
      await stopWorkers();
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
