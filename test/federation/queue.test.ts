import { setTimeout as sleep } from "node:timers/promises";
import { Temporal } from "@js-temporal/polyfill";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queuedMessages } from "../../db/schema/federation.ts";
import { enqueueMessages, PostgresMessageQueue } from "../../federation/queue.ts";
import { eventually } from "../support/peer.ts";
import { queueHarness } from "../support/queue-harness.ts";

describe("PostgresMessageQueue", () => {
  const harness = queueHarness("test");
  const { newQueue } = harness;

  /** Listens in the background, keeping what the handler saw; stopped after each test. */
  function listen(
    queue: PostgresMessageQueue,
    handler: (message: any) => Promise<void> | void = () => {},
  ) {
    const seen: any[] = [];
    const stop = harness.stopAtTheEnd();
    const listening = queue.listen(
      async (message) => {
        seen.push(message);
        await handler(message);
      },
      { signal: stop.signal },
    );
    return { seen, stop, listening };
  }

  const waitFor = <T>(what: string, read: () => T | Promise<T>, done: (value: T) => boolean) =>
    eventually(async () => read(), done, what, [], 10_000);

  it("hands a message to a listener and forgets it once handled", async () => {
    const queue = newQueue();
    const { seen } = listen(queue);
    await queue.enqueue({ hello: "world", n: [1, 2] });
    await waitFor(
      "the message",
      () => seen,
      (s) => s.length === 1,
    );
    expect(seen).toEqual([{ hello: "world", n: [1, 2] }]);
    await waitFor(
      "the row gone",
      () => queue.getDepth(),
      (depth) => depth.queued === 0,
    );
    expect((await harness.connection.db.select().from(queuedMessages)).length).toBe(0);
  });

  it("wakes a listener through NOTIFY well before its polling interval", async () => {
    const queue = newQueue({ pollIntervalMs: 60_000 });
    const { seen } = listen(queue);
    await sleep(200);
    const sent = Date.now();
    await queue.enqueue("ping");
    await waitFor(
      "the ping",
      () => seen,
      (s) => s.length === 1,
    );
    expect(Date.now() - sent).toBeLessThan(5_000);
  });

  it("holds a delayed message back until its delay has passed", async () => {
    const queue = newQueue();
    const { seen } = listen(queue);
    const sent = Date.now();
    let handledAt = 0;
    await queue.enqueue("later", { delay: Temporal.Duration.from({ milliseconds: 1_500 }) });
    await waitFor(
      "the delayed message",
      () => seen,
      (s) => {
        if (s.length > 0 && !handledAt) handledAt = Date.now();
        return s.length === 1;
      },
    );
    expect(handledAt - sent).toBeGreaterThanOrEqual(1_400);
  });

  it("enqueues many at once, each handled once even with two listeners", async () => {
    const queue = newQueue({ concurrency: 4 });
    const other = new PostgresMessageQueue(
      harness.connection.db,
      harness.connection.sql,
      queue.name,
      {
        concurrency: 4,
      },
    );
    const first = listen(queue, () => sleep(5));
    const second = listen(other, () => sleep(5));
    await queue.enqueueMany(Array.from({ length: 200 }, (_, i) => i));
    await waitFor(
      "all 200",
      () => first.seen.length + second.seen.length,
      (n) => n >= 200,
    );
    await sleep(300);
    const all = [...first.seen, ...second.seen].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(first.seen.length).toBeGreaterThan(0);
    expect(second.seen.length).toBeGreaterThan(0);
  });

  it("keeps nothing enqueued in a transaction that rolls back", async () => {
    const queue = newQueue();
    const { seen } = listen(queue);
    await expect(
      harness.connection.db.transaction(async (tx) => {
        await enqueueMessages(tx, queue.name, ["never"]);
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    await harness.connection.db.transaction((tx) => enqueueMessages(tx, queue.name, ["committed"]));
    await waitFor(
      "the committed message",
      () => seen,
      (s) => s.length === 1,
    );
    await sleep(200);
    expect(seen).toEqual(["committed"]);
  });

  it("takes again a message whose worker died holding it, once its lease ran out", async () => {
    const queue = newQueue({ handlerTimeoutMs: 100, pollIntervalMs: 200 });
    // What a killed worker leaves: a message leased a moment ago, never finished.
    await harness.connection.db.insert(queuedMessages).values({
      queue: queue.name,
      payload: "orphan",
      leasedUntil: sql`now() + interval '1 second'`,
      attempts: 1,
    });
    const { seen } = listen(queue);
    await sleep(500);
    expect(seen).toEqual([]);
    await waitFor(
      "the orphan",
      () => seen,
      (s) => s.length === 1,
    );
    expect(seen).toEqual(["orphan"]);
  });

  it("lets go of a handler that hangs and hands the message out again", async () => {
    const queue = newQueue({ handlerTimeoutMs: 200, pollIntervalMs: 100 });
    let calls = 0;
    const { seen } = listen(queue, async () => {
      calls += 1;
      if (calls === 1) await new Promise(() => {});
    });
    await queue.enqueue("stuck once");
    await waitFor(
      "a second try",
      () => seen,
      (s) => s.length === 2,
    );
    expect(seen).toEqual(["stuck once", "stuck once"]);
  });

  it("stops counting a slow handler against its concurrency, so the next ones go on beside it", async () => {
    const queue = newQueue({ concurrency: 1, slowAfterMs: 300 });
    const { seen } = listen(queue, async (message) => {
      if (message === "hangs") await new Promise(() => {});
    });
    await queue.enqueue("hangs");
    await waitFor(
      "the hanging one",
      () => seen,
      (s) => s.length === 1,
    );
    await queue.enqueue("answers");
    await waitFor(
      "the next one, while the first still hangs",
      () => seen,
      (s) => s.length === 2,
    );
  });

  it("starts messages whose key was slow a moment ago without holding a slot", async () => {
    const slowAfterMs = 1_000;
    const queue = newQueue({
      concurrency: 1,
      slowAfterMs,
      slowKeyOf: (payload) => JSON.parse(payload).host,
    });
    const { seen } = listen(queue, async (message) => {
      if (message.host === "hanging.example") await new Promise(() => {});
    });
    await queue.enqueue({ host: "hanging.example", n: 1 });
    await sleep(slowAfterMs + 200);
    // The hanging server's next delivery is taken first, then one to a healthy server.
    await queue.enqueueMany([
      { host: "hanging.example", n: 2 },
      { host: "healthy.example", n: 3 },
    ]);
    const enqueued = Date.now();
    await waitFor(
      "the healthy server's delivery",
      () => seen,
      (s) => s.some((message) => message.host === "healthy.example"),
    );
    // Without the memory it would wait for the second hanging one to turn slow too.
    expect(Date.now() - enqueued).toBeLessThan(slowAfterMs / 2);
    expect(seen.map((message) => message.n)).toEqual([1, 2, 3]);
  });

  it("handles messages sharing an ordering key one at a time, in order", async () => {
    const queue = newQueue({ concurrency: 8 });
    let inFlight = 0;
    let most = 0;
    const { seen } = listen(queue, async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await sleep(20);
      inFlight -= 1;
    });
    for (let i = 0; i < 6; i++) await queue.enqueue(i, { orderingKey: "thread-1" });
    await waitFor(
      "all six",
      () => seen,
      (s) => s.length === 6,
    );
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(1);
  });

  it("stops listening when told, finishing what it was doing", async () => {
    const queue = newQueue();
    let finished = false;
    const { stop, listening } = listen(queue, async () => {
      await sleep(300);
      finished = true;
    });
    await queue.enqueue("last");
    await waitFor(
      "the handler started",
      () => queue.getDepth(),
      (depth) => depth.queued === 0,
    );
    stop.abort();
    await listening;
    expect(finished).toBe(true);
  });
});
