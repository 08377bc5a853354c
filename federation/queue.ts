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

const logger = getLogger(["praxis", "federation", "queue"]);

/** One channel for every queue; the notification's payload names the queue. */
const channel = "praxis_queue";

export interface QueueOptions {
  /** Messages handled at once by one listener. */
  concurrency?: number;
  /** A handler still running after this long is given up on and its message let go again. */
  handlerTimeoutMs?: number;
  /** How often to look for work when no notification came (missed, or from a delay). */
  pollIntervalMs?: number;
  /** A message that timed out this often is dropped, with an error in the log. */
  maxAttempts?: number;
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
}

/** How long a key stays known as slow after its last slow message. */
const rememberSlowMs = 60_000;

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
  await db.execute(sql`
    insert into ${queuedMessages} (queue, payload, ordering_key, deliver_at)
    select ${queue}, message, ${options.orderingKey ?? null},
           now() + ${`${delayMs} milliseconds`}::interval
    from jsonb_array_elements(${JSON.stringify(payloads)}::jsonb) with ordinality as m(message, n)
    order by n`);
  await wakeListeners(db, queue);
}

/** Tells the listeners of `queue`, in every process, to look for work (once `db` commits). */
export async function wakeListeners(db: Executor, queue: string): Promise<void> {
  await db.execute(sql`select pg_notify(${channel}, ${queue})`);
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
 * once its handler has finished, so a worker killed mid-way loses nothing (at least once).
 * Messages sharing an ordering key are handled one at a time, in the order they came.
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
  /** Keys known as slow, until when. */
  readonly #slowUntil = new Map<string, number>();

  constructor(
    private readonly db: Executor,
    private readonly client: postgres.Sql,
    readonly name: string,
    options: QueueOptions = {},
  ) {
    this.#concurrency = options.concurrency ?? 1;
    this.#handlerTimeoutMs = options.handlerTimeoutMs ?? 60_000;
    this.#pollIntervalMs = options.pollIntervalMs ?? 5_000;
    this.#maxAttempts = options.maxAttempts ?? 5;
    this.#slowAfterMs = options.slowAfterMs;
    this.#slowKeyOf = options.slowKeyOf;
  }

  enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    return enqueueMessages(this.db, this.name, [message], options);
  }

  enqueueMany(messages: readonly unknown[], options?: MessageQueueEnqueueOptions): Promise<void> {
    return enqueueMessages(this.db, this.name, messages, options);
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
    const subscription = await this.client.listen(channel, (queue) => {
      if (queue === this.name) doorbell.ring();
    });
    // Handlers holding a slot: those running for less than slowAfterMs.
    let busy = 0;
    const maxRunning = this.#slowAfterMs === undefined ? this.#concurrency : this.#concurrency * 8;
    try {
      while (!signal?.aborted) {
        const free = Math.min(this.#concurrency - busy, maxRunning - running.size);
        if (free <= 0) {
          await doorbell.wait(this.#pollIntervalMs, signal);
          continue;
        }
        const batch = await this.#take(free).catch((error: unknown) => {
          logger.error("Could not take from {queue}: {error}", { queue: this.name, error });
          return [];
        });
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
      await subscription.unlisten();
    }
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

  async #handle(taken: Taken, handler: (message: unknown) => Promise<void> | void): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), this.#handlerTimeoutMs);
    });
    try {
      // Read as text: the connection is shared with Drizzle, which leaves JSON unparsed.
      const message = JSON.parse(taken.payload);
      const outcome = await Promise.race([Promise.resolve(handler(message)), timeout]);
      if (outcome === "timeout") return await this.#release(taken);
    } catch (error) {
      // Fedify schedules its own retries (nativeRetrial is false): a failure ends the message.
      logger.error("A message in {queue} failed: {error}", { queue: this.name, error });
    } finally {
      clearTimeout(timer);
    }
    await this.#delete(taken);
  }

  async #release(taken: Taken): Promise<void> {
    if (taken.attempts >= this.#maxAttempts) {
      logger.error("Dropping a message in {queue} after {attempts} timed-out attempts", {
        queue: this.name,
        attempts: taken.attempts,
      });
      return this.#delete(taken);
    }
    logger.warn("A message in {queue} timed out; it will be taken again", { queue: this.name });
    await this.db.execute(
      sql`update ${queuedMessages} set leased_until = null where id = ${taken.id}`,
    );
  }

  async #delete(taken: Taken): Promise<void> {
    await this.db.execute(sql`delete from ${queuedMessages} where id = ${taken.id}`);
  }
}
