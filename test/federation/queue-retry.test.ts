import { configure, type LogRecord, reset } from "@logtape/logtape";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { PostgresMessageQueue } from "../../federation/queue.ts";
import { eventually } from "../support/peer.ts";
import { queueHarness } from "../support/queue-harness.ts";

/** What a queue keeps of its messages, read beside it. */
interface Row {
  queue: string;
  attempts: number;
  leased: boolean;
  dueInMs: number;
}

describe("PostgresMessageQueue when handlers or the database fail", () => {
  const harness = queueHarness("retry");
  const { newQueue } = harness;

  function listen(queue: PostgresMessageQueue, handler: (message: unknown) => Promise<void>) {
    const stop = harness.stopAtTheEnd();
    return queue.listen(handler, { signal: stop.signal });
  }

  const rowsOf = (queue: string) =>
    harness.connection.sql<Row[]>`
      select queue, attempts, leased_until is not null as leased,
             (extract(epoch from deliver_at - now()) * 1000)::float8 as "dueInMs"
      from queued_messages where queue like ${`${queue}%`} order by id`;

  const waitFor = <T>(what: string, read: () => Promise<T>, done: (value: T) => boolean) =>
    eventually(read, done, what, [], 20_000);

  it("hands a message whose handler threw back twice, later each time, and forgets it only once handled", async () => {
    const queue = newQueue({ retryDelayMs: (attempts) => 300 * 2 ** (attempts - 1) });
    const calls: { at: number; rows: Row[] }[] = [];
    let done = false;
    listen(queue, async () => {
      calls.push({ at: Date.now(), rows: await rowsOf(queue.name) });
      if (calls.length <= 2) throw new Error(`transient failure ${calls.length}`);
      done = true;
    });
    await queue.enqueue({ event: "post.created" });

    await waitFor(
      "the third call",
      async () => done,
      (value) => value,
    );
    expect(calls).toHaveLength(3);
    // Each call found the message still stored, leased to it, taken once more.
    expect(calls.map(({ rows }) => rows.map((row) => [row.attempts, row.leased]))).toEqual([
      [[1, true]],
      [[2, true]],
      [[3, true]],
    ]);
    const [first, second, third] = calls.map(({ at }) => at) as [number, number, number];
    expect(second - first).toBeGreaterThanOrEqual(300);
    expect(third - second).toBeGreaterThanOrEqual(600);
    expect(third - second).toBeGreaterThan(second - first);
    await waitFor(
      "the handled message gone",
      () => rowsOf(queue.name),
      (rows) => rows.length === 0,
    );
  });

  it("keeps a failed message waiting for its retry, not leased, due after its delay", async () => {
    const queue = newQueue({ retryDelayMs: () => 60_000 });
    let calls = 0;
    listen(queue, async () => {
      calls += 1;
      throw new Error("the remote server said no");
    });
    await queue.enqueue("once");
    const [row] = await waitFor(
      "the message put back",
      () => rowsOf(queue.name),
      (rows) => rows.length === 1 && rows[0]?.attempts === 1 && !rows[0]?.leased,
    );
    expect(calls).toBe(1);
    expect(row?.attempts).toBe(1);
    expect(row?.dueInMs).toBeGreaterThan(50_000);
  });

  it("sets a message aside after its last attempt instead of retrying it forever", async () => {
    const queue = newQueue({ maxAttempts: 3, retryDelayMs: () => 100 });
    let calls = 0;
    listen(queue, async () => {
      calls += 1;
      throw new Error("always broken");
    });
    await queue.enqueue("hopeless");
    const rows = await waitFor(
      "the message set aside",
      () => rowsOf(queue.name),
      (found) => found.some((row) => row.queue !== queue.name),
    );
    expect(rows.map((row) => [row.queue, row.attempts])).toEqual([[`${queue.name}:failed`, 3]]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(calls).toBe(3);
    expect((await queue.getDepth()).queued).toBe(0);
  });

  it("hands a message out again once its lease ran out when deleting it after success failed", async () => {
    const queue = newQueue({ handlerTimeoutMs: 200, pollIntervalMs: 200 });
    // The first delete of this message fails, as it does when the database just went away
    // (a sequence, unlike a table, keeps counting through the failed statement's rollback).
    await harness.connection.sql.unsafe(`
      create sequence if not exists refused_deletes;
      create or replace function refuse_first_delete() returns trigger language plpgsql as $$
      begin
        if old.payload = '"fragile"'::jsonb and nextval('refused_deletes') = 1 then
          raise exception 'the database went away';
        end if;
        return old;
      end $$;
      create or replace trigger refuse_first_delete before delete on queued_messages
        for each row execute function refuse_first_delete();`);
    try {
      let calls = 0;
      listen(queue, async () => {
        calls += 1;
      });
      await queue.enqueue("fragile");
      await waitFor(
        "the first call",
        async () => calls,
        (n) => n === 1,
      );
      expect(await rowsOf(queue.name)).toHaveLength(1);
      await waitFor(
        "a second call after the lease",
        async () => calls,
        (n) => n === 2,
      );
      await waitFor(
        "the message gone after the second success",
        () => rowsOf(queue.name),
        (rows) => rows.length === 0,
      );
    } finally {
      await harness.connection.sql`drop trigger refuse_first_delete on queued_messages`;
    }
  });

  it("is woken through NOTIFY again after its LISTEN connection was cut", async () => {
    const queue = newQueue({ pollIntervalMs: 60_000 });
    const seen: unknown[] = [];
    listen(queue, async (message) => {
      seen.push(message);
    });
    const listeners = () =>
      harness.connection.sql<{ pid: number }[]>`
        select pid from pg_stat_activity
        where datname = current_database() and query ilike 'listen %'`;
    const [before] = await waitFor("the LISTEN connection", listeners, (rows) => rows.length === 1);
    await harness.connection.sql`select pg_terminate_backend(${before?.pid ?? 0})`;
    await waitFor("a new LISTEN connection", listeners, (rows) =>
      rows.some((row) => row.pid !== before?.pid),
    );
    const sent = Date.now();
    await queue.enqueue("after the cut");
    await waitFor(
      "the message",
      async () => seen,
      (messages) => messages.length === 1,
    );
    expect(Date.now() - sent).toBeLessThan(5_000);
  });

  it("waits while the database refuses it, saying so once, and takes work again when it answers", async () => {
    const logged: LogRecord[] = [];
    await configure({
      sinks: { memory: (record) => void logged.push(record) },
      loggers: [{ category: ["praxis"], lowestLevel: "debug", sinks: ["memory"] }],
    });
    let refusing = true;
    const refusal = () =>
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    // The queue's own statements fail as they do while PostgreSQL is down.
    const flaky = new Proxy(harness.connection.db, {
      get(target, property, receiver) {
        if (property !== "execute") return Reflect.get(target, property, receiver);
        return (query: Parameters<typeof target.execute>[0]) =>
          refusing ? Promise.reject(refusal()) : target.execute(query);
      },
    });
    const queue = new PostgresMessageQueue(flaky, harness.connection.sql, "retry-outage", {
      pollIntervalMs: 200,
    });
    const seen: unknown[] = [];
    const stop = harness.stopAtTheEnd();
    const listening = queue.listen(async (message) => void seen.push(message), {
      signal: stop.signal,
    });
    await harness.connection.db.execute(
      sql`insert into queued_messages (queue, payload) values (${queue.name}, '"waited"')`,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(seen).toEqual([]);
    refusing = false;
    await waitFor(
      "the message once the database answers",
      async () => seen,
      (messages) => messages.length === 1,
    );
    await waitFor(
      "the handled message gone",
      () => rowsOf(queue.name),
      (rows) => rows.length === 0,
    );
    stop.abort();
    await listening;
    await reset();
    const lines = logged.map((record) => `${record.level} ${record.rawMessage}`);
    expect(lines.filter((line) => line.includes("cannot be reached"))).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith("error"))).toEqual([]);
  });
});
