import { afterAll, afterEach, beforeAll } from "vitest";
import type { Connection } from "../../db/index.ts";
import { queuedMessages } from "../../db/schema/federation.ts";
import { PostgresMessageQueue, type QueueOptions } from "../../federation/queue.ts";
import { freshDatabase } from "./database.ts";

/**
 * Queues on a fresh database, for one test file: each test's listeners are stopped, and its
 * messages forgotten, once it ends. Call it inside the file's `describe`.
 */
export function queueHarness(prefix: string) {
  let connection: (Connection & { url: string }) | undefined;
  const stops: AbortController[] = [];
  beforeAll(async () => {
    connection = await freshDatabase();
  });
  afterEach(async () => {
    for (const stop of stops.splice(0)) stop.abort();
    await connection?.db.delete(queuedMessages);
  });
  afterAll(() => connection?.close());
  let queueCount = 0;
  const opened = () => {
    if (!connection) throw new Error("the queue harness is used outside its describe");
    return connection;
  };
  return {
    get connection() {
      return opened();
    },
    newQueue: (options: QueueOptions = {}) =>
      new PostgresMessageQueue(opened().db, opened().sql, `${prefix}-${++queueCount}`, options),
    /** A signal that stops a listener when the test ends. */
    stopAtTheEnd(): AbortController {
      const stop = new AbortController();
      stops.push(stop);
      return stop;
    },
  };
}
