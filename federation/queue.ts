import { setTimeout as sleep } from "node:timers/promises";
import type {
  MessageQueue,
  MessageQueueDepth,
  MessageQueueEnqueueOptions,
  MessageQueueListenOptions,
} from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import { sql } from "drizzle-orm";
import type postgres from "postgres";
import type { Executor } from "../db/index.ts";
import { queuedMessages } from "../db/schema/federation.ts";
import { isDatabaseUnavailable, OutageLog } from "../db/unavailable.ts";

const logger = getLogger(["praxis", "federation", "queue"]);

/** One channel for every queue; the notification's payload names the queue. */
const channel = "praxis_queue";
const wakeUp = (queue: string) => sql`pg_notify(${channel}, ${queue})`;

export interface QueueOptions {
  /** Messages handled at once by one listener. */
  concurrency?: number;
  /** A handler still running after this long is given up on and its message let go again. */
  handlerTimeoutMs?: number;
  /** How often to look for work when no notification came (missed, or from a delay). */
  pollIntervalMs?: number;
  /**
   * A message taken this often without being handled (its handler failed or timed out each
   * time) is set aside, with an error in the log: moved to the queue `<name>:failed` in the
   * same table, where no listener takes it and an operator can look at it or put it back.
   */
  maxAttempts?: number;
  /**
   * How long a message whose handler failed waits before it is taken again, by how often it
   * was taken so far. By default 5 s, doubling each time, at most an hour: the twelve
   * attempts of the default `maxAttempts` span about two and a half hours.
   */
  retryDelayMs?: (attempts: number) => number;
  /**
   * A handler still running after this long stops counting against `concurrency` (up to
   * eight times as many in all): deliveries to a server that hangs then wait beside the
   * others instead of taking every slot until they time out.
   */
  slowAfterMs?: number;
  /**
   * What a message's slowness is remembered by (for deliveries, the server they go to):
   * once one was slow, the next ones with that key start without holding a slot, for a
   * minute, so that a hanging server with many followers cannot hold every slot in turn.
   */
  slowKeyOf?: (payload: string) => string | undefined;
  /**
   * The ordering key a message is kept in order by, from the one it was enqueued with: for
   * deliveries, narrowed to the inbox they go to (see federation/workers.ts).
   */
  orderingKeyOf?: (message: unknown, orderingKey: string) => string;
}

/** How long a key stays known as slow after its last slow message. */
const rememberSlowMs = 60_000;

const defaultMaxAttempts = 12;

function doublingRetryDelayMs(attempts: number): number {
  return Math.min(5_000 * 2 ** (attempts - 1), 60 * 60_000);
}

/**
 * Between tries to take work while the database cannot be reached: short at first, so that a
 * restart costs little, then longer, so that an outage is not polled for many times a second.
 */
function outageWaitMs(failedTakes: number): number {
  return Math.min(200 * 2 ** failedTakes, 5_000);
}

/** How a handler's run on one message ended. */
type Outcome = { handled: true } | { timedOut: true } | { failed: unknown };

interface Taken {
  id: string;
  payload: string;
  attempts: number;
}

/** Praxis's own queue: committed domain changes, waiting to be turned into activities. */
export const eventsQueue = "events";

/**
 * Adds messages to `queue` through `db`, which may be an open transaction: then they
 * exist, and wake listeners, only if that transaction commits.
 */
export async function enqueueMessages(
  db: Executor,
  queue: string,
  payloads: readonly unknown[],
  options: MessageQueueEnqueueOptions = {},
): Promise<void> {
  if (payloads.length === 0) return;
  const delayMs = options.delay ? Math.max(0, options.delay.total("millisecond")) : 0;
  // One JSON array as one parameter: a fan-out enqueues thousands of deliveries of a few
  // kilobytes each, and binding each one as its own parameter cost seconds.
  // The listeners are woken in the same statement: each reply or post enqueues, and a round
  // trip to the database is as dear as the insert.
  await db.execute(sql`
    with queued as (
      insert into ${queuedMessages} (queue, payload, ordering_key, deliver_at)
      select ${queue}, message, ${options.orderingKey ?? null},
             now() + ${`${delayMs} milliseconds`}::interval
      from jsonb_array_elements(${JSON.stringify(payloads)}::jsonb) with ordinality as m(message, n)
      order by n
    )
    select ${wakeUp(queue)}`);
}

/** Tells the listeners of `queue`, in every process, to look for work (once `db` commits). */
export async function wakeListeners(db: Executor, queue: string): Promise<void> {
  await db.execute(sql`select ${wakeUp(queue)}`);
}

/** A wake-up call that can be rung before anyone waits for it, and is not lost then. */
class Doorbell {
  #rung = false;
  #wake: (() => void) | undefined;

  ring(): void {
    this.#rung = true;
    this.#wake?.();
  }

  async wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (!this.#rung && !signal?.aborted) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        const onAbort = () => done();
        signal?.addEventListener("abort", onAbort, { once: true });
        function done() {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          resolve();
        }
        this.#wake = done;
      });
    }
    this.#rung = false;
    this.#wake = undefined;
  }
}

/**
 * Fedify's message queue on PostgreSQL. Several processes may listen to the same queue:
 * `FOR UPDATE SKIP LOCKED` hands each message to one of them, and a message is deleted only
 * once its handler has succeeded, so a worker killed mid-way loses nothing (at least once).
 * Messages sharing an ordering key are handled one at a time, in the order they came.
 *
 * A handler that throws has not handled its message: it is taken again later (see
 * `retryDelayMs`). Fedify's own handlers (nativeRetrial is false) throw only when they could
 * not do even that themselves, such as storing the retry of a delivery while the database is
 * away; Praxis's events queue relies on it for every failure. When the database is away, the
 * listener waits for it (logged once), and what it could not record about a message (its
 * end, its retry) is made good by the message's lease running out: it is taken again.
 *
 * It runs several handlers at once itself rather than under Fedify's ParallelMessageQueue,
 * whose handler returns before the work is done and so would let a crash lose messages.
 */
export class PostgresMessageQueue implements MessageQueue {
  readonly nativeRetrial = false;
  readonly #concurrency: number;
  readonly #handlerTimeoutMs: number;
  readonly #pollIntervalMs: number;
  readonly #maxAttempts: number;
  readonly #slowAfterMs: number | undefined;
  readonly #slowKeyOf: ((payload: string) => string | undefined) | undefined;
  readonly #orderingKeyOf: ((message: unknown, orderingKey: string) => string) | undefined;
  /** Keys known as slow, until when. */
  readonly #slowUntil = new Map<string, number>();
  readonly #retryDelayMs: (attempts: number) => number;
  readonly #outage: OutageLog;

  constructor(
    private readonly db: Executor,
    private readonly client: postgres.Sql,
    readonly name: string,
    options: QueueOptions = {},
  ) {
    this.#concurrency = options.concurrency ?? 1;
    this.#handlerTimeoutMs = options.handlerTimeoutMs ?? 60_000;
    this.#pollIntervalMs = options.pollIntervalMs ?? 5_000;
    this.#maxAttempts = options.maxAttempts ?? defaultMaxAttempts;
    this.#retryDelayMs = options.retryDelayMs ?? doublingRetryDelayMs;
    this.#outage = new OutageLog(logger, `the ${name} queue`);
    this.#slowAfterMs = options.slowAfterMs;
    this.#slowKeyOf = options.slowKeyOf;
    this.#orderingKeyOf = options.orderingKeyOf;
  }

  enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    return enqueueMessages(this.db, this.name, [message], this.#ordered(message, options));
  }

  async enqueueMany(
    messages: readonly unknown[],
    options?: MessageQueueEnqueueOptions,
  ): Promise<void> {
    if (!options?.orderingKey || !this.#orderingKeyOf) {
      return enqueueMessages(this.db, this.name, messages, options);
    }
    // Each message may be kept in order by a key of its own: one insert each, in order.
    for (const message of messages) await this.enqueue(message, options);
  }

  #ordered(message: unknown, options?: MessageQueueEnqueueOptions) {
    const key = options?.orderingKey;
    if (key === undefined || !this.#orderingKeyOf) return options;
    return { ...options, orderingKey: this.#orderingKeyOf(message, key) };
  }

  async getDepth(): Promise<MessageQueueDepth> {
    const [row] = await this.#rows<{ queued: number; ready: number }>(sql`
      select count(*)::int as queued, count(*) filter (where deliver_at <= now())::int as ready
      from ${queuedMessages} where queue = ${this.name} and leased_until is null`);
    const queued = row?.queued ?? 0;
    const ready = row?.ready ?? 0;
    return { queued, ready, delayed: queued - ready };
  }

  async listen(
    handler: (message: unknown) => Promise<void> | void,
    options: MessageQueueListenOptions = {},
  ): Promise<void> {
    const { signal } = options;
    const doorbell = new Doorbell();
    const running = new Set<Promise<void>>();
    const subscription = await this.#subscribe(doorbell);
    // Handlers holding a slot: those running for less than slowAfterMs.
    let busy = 0;
    let failedTakes = 0;
    const maxRunning = this.#slowAfterMs === undefined ? this.#concurrency : this.#concurrency * 8;
    try {
      while (!signal?.aborted) {
        const free = Math.min(this.#concurrency - busy, maxRunning - running.size);
        if (free <= 0) {
          await doorbell.wait(this.#pollIntervalMs, signal);
          continue;
        }
        const batch = await this.#take(free).catch((error: unknown) => {
          this.#noteFailure(error, "Could not take from {queue}: {error}");
          return undefined;
        });
        if (batch === undefined) {
          await sleep(outageWaitMs(failedTakes++), undefined, { signal }).catch(() => {});
          continue;
        }
        if (failedTakes > 0) this.#outage.recovered();
        failedTakes = 0;
        for (const taken of batch) {
          const key = this.#slowKeyOf?.(taken.payload);
          let holdsSlot = this.#slowAfterMs === undefined || !this.#knownSlow(key);
          if (holdsSlot) busy += 1;
          const freeSlot = () => {
            if (holdsSlot) busy -= 1;
            holdsSlot = false;
            doorbell.ring();
          };
          const slow =
            holdsSlot && this.#slowAfterMs !== undefined
              ? setTimeout(() => {
                  this.#rememberSlow(key);
                  freeSlot();
                }, this.#slowAfterMs)
              : undefined;
          const started = Date.now();
          const work = this.#handle(taken, handler).finally(() => {
            clearTimeout(slow);
            running.delete(work);
            // Quick again: the key is not slow any more.
            if (key !== undefined && Date.now() - started < (this.#slowAfterMs ?? 0)) {
              this.#slowUntil.delete(key);
            }
            freeSlot();
          });
          running.add(work);
        }
        if (batch.length === 0) await doorbell.wait(await this.#idleMs(), signal);
      }
      await Promise.allSettled(running);
    } finally {
      await subscription?.unlisten().catch(() => {});
    }
  }

  /**
   * LISTENs for wake-ups. postgres.js subscribes again by itself whenever its listening
   * connection is lost, and keeps trying while the database is away; until it succeeds the
   * listener finds its work by polling alone.
   */
  async #subscribe(doorbell: Doorbell): Promise<{ unlisten(): Promise<void> } | undefined> {
    try {
      return await this.client.listen(channel, (queue) => {
        if (queue === this.name) doorbell.ring();
      });
    } catch (error) {
      this.#noteFailure(error, "Could not listen for {queue}'s notifications: {error}");
      return undefined;
    }
  }

  /** Logs an unreachable database once per outage, anything else each time: that is a bug. */
  #noteFailure(error: unknown, message: string): void {
    if (isDatabaseUnavailable(error)) this.#outage.failed(error);
    else logger.error(message, { queue: this.name, error });
  }

  #knownSlow(key: string | undefined): boolean {
    return key !== undefined && (this.#slowUntil.get(key) ?? 0) > Date.now();
  }

  #rememberSlow(key: string | undefined): void {
    if (key === undefined) return;
    const now = Date.now();
    if (this.#slowUntil.size >= 10_000) {
      for (const [known, until] of this.#slowUntil) if (until <= now) this.#slowUntil.delete(known);
    }
    this.#slowUntil.set(key, now + rememberSlowMs);
  }

  async #rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
    return (await this.db.execute(query)) as unknown as T[];
  }

  /**
   * Leases up to `limit` due messages whose ordering keys have nothing older still waiting,
   * in one statement: taken one by one, a fan-out spends its time scanning the queue.
   */
  async #take(limit: number): Promise<Taken[]> {
    const leaseMs = this.#handlerTimeoutMs + 5_000;
    return this.#rows<Taken>(sql`
      update ${queuedMessages}
      set leased_until = now() + ${`${leaseMs} milliseconds`}::interval, attempts = attempts + 1
      where id in (
        select m.id from ${queuedMessages} m
        where m.queue = ${this.name} and m.deliver_at <= now()
          and (m.leased_until is null or m.leased_until < now())
          and (m.ordering_key is null or not exists (
            select 1 from ${queuedMessages} earlier
            where earlier.queue = m.queue and earlier.ordering_key = m.ordering_key
              and earlier.id < m.id))
        order by m.deliver_at, m.id
        for update skip locked
        limit ${limit})
      returning id::text as id, payload::text as payload, attempts`);
  }

  /** Until the earliest delayed message is due, at most one polling interval. */
  async #idleMs(): Promise<number> {
    const [row] = await this.#rows<{ ms: number | null }>(sql`
      select extract(epoch from min(deliver_at) - now()) * 1000 as ms
      from ${queuedMessages} where queue = ${this.name} and leased_until is null`).catch(() => []);
    const ms = row?.ms === null || row?.ms === undefined ? this.#pollIntervalMs : Number(row.ms);
    return Math.min(this.#pollIntervalMs, Math.max(10, ms));
  }

  /**
   * Runs the handler on one message, then records how it went; this never throws. When even
   * that cannot be written, the message stays leased and is taken again once the lease ran out.
   */
  async #handle(taken: Taken, handler: (message: unknown) => Promise<void> | void): Promise<void> {
    const outcome = await this.#run(taken, handler);
    try {
      if ("handled" in outcome) await this.#delete(taken);
      else if (taken.attempts >= this.#maxAttempts) await this.#setAside(taken, outcome);
      else if ("timedOut" in outcome) await this.#release(taken);
      else await this.#retryLater(taken, outcome.failed);
    } catch (error) {
      this.#noteFailure(
        error,
        "Could not record how a message in {queue} went; it is taken again once its lease runs out: {error}",
      );
    }
  }

  async #run(taken: Taken, handler: (message: unknown) => Promise<void> | void): Promise<Outcome> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Outcome>((resolve) => {
      timer = setTimeout(() => resolve({ timedOut: true }), this.#handlerTimeoutMs);
    });
    try {
      // Read as text: the connection is shared with Drizzle, which leaves JSON unparsed.
      const message = JSON.parse(taken.payload);
      const handled = Promise.resolve(handler(message)).then((): Outcome => ({ handled: true }));
      return await Promise.race([handled, timeout]);
    } catch (error) {
      return { failed: error };
    } finally {
      clearTimeout(timer);
    }
  }

  async #release(taken: Taken): Promise<void> {
    logger.warn("A message in {queue} timed out; it will be taken again", { queue: this.name });
    await this.db.execute(
      sql`update ${queuedMessages} set leased_until = null where id = ${taken.id}`,
    );
  }

  async #retryLater(taken: Taken, error: unknown): Promise<void> {
    const delayMs = this.#retryDelayMs(taken.attempts);
    if (isDatabaseUnavailable(error)) this.#outage.failed(error);
    else
      logger.error(
        "A message in {queue} failed (attempt {attempts} of {maxAttempts}); it is tried again in {seconds} s: {error}",
        {
          queue: this.name,
          attempts: taken.attempts,
          maxAttempts: this.#maxAttempts,
          seconds: Math.round(delayMs / 1000),
          error,
        },
      );
    await this.db.execute(sql`
      update ${queuedMessages}
      set leased_until = null, deliver_at = now() + ${`${delayMs} milliseconds`}::interval
      where id = ${taken.id}`);
  }

  /** Where a message goes that failed its last attempt: the same table, under another queue. */
  get #asideQueue(): string {
    return `${this.name}:failed`;
  }

  async #setAside(taken: Taken, outcome: Outcome): Promise<void> {
    logger.error(
      "Setting a message in {queue} aside after {attempts} attempts; it stays in queued_messages under the queue {aside}. The last attempt: {error}",
      {
        queue: this.name,
        attempts: taken.attempts,
        aside: this.#asideQueue,
        error: "failed" in outcome ? outcome.failed : "timed out",
      },
    );
    await this.db.execute(sql`
      update ${queuedMessages} set queue = ${this.#asideQueue}, leased_until = null
      where id = ${taken.id}`);
  }

  async #delete(taken: Taken): Promise<void> {
    await this.db.execute(sql`delete from ${queuedMessages} where id = ${taken.id}`);
  }
}
