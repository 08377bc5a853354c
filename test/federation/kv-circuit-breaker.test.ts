import { CircuitBreaker, type KvKey } from "@fedify/fedify";
import { Temporal } from "@js-temporal/polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../db/index.ts";
import { PostgresKvStore } from "../../federation/kv.ts";
import { freshDatabase } from "../support/database.ts";

const host = "remote.example";
const recoveryDelay = Temporal.Duration.from({ minutes: 30 });

/** Fedify's own breaker on our store, with a clock the test moves. */
function breakerOn(kv: PostgresKvStore, prefix: KvKey) {
  const clock = { now: Temporal.Instant.from("2026-01-01T00:00:00Z") };
  const breaker = new CircuitBreaker({
    kv,
    prefix,
    options: { failureThreshold: 2, recoveryDelay },
    now: () => clock.now,
  });
  return { breaker, clock };
}

/** Settles as the promise does, or fails once it has waited longer than a query ever should. */
function within<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} did not settle within 3 s`)), 3_000),
    ),
  ]);
}

describe("Fedify's circuit breaker on the PostgreSQL store", () => {
  let connection: Awaited<ReturnType<typeof freshDatabase>>;
  let kv: PostgresKvStore;
  beforeAll(async () => {
    connection = await freshDatabase();
    kv = new PostgresKvStore(connection.sql);
  });
  afterAll(() => connection.close());

  it("sends to a host again, with no error, once a probe succeeds after it failed", async () => {
    const { breaker, clock } = breakerOn(kv, ["circuit", "recovery"]);
    await breaker.recordFailure(host);
    expect(await breaker.recordFailure(host)).toEqual({
      previousState: "closed",
      newState: "open",
    });
    expect((await breaker.beforeSend(host, {})).type).toBe("hold");

    clock.now = clock.now.add(recoveryDelay);
    expect(await breaker.beforeSend(host, {})).toMatchObject({ type: "send", probe: true });
    expect(await breaker.recordSuccess(host)).toEqual({
      previousState: "half-open",
      newState: "closed",
    });

    expect(await breaker.getState(host)).toBeUndefined();
    expect(await breaker.beforeSend(host, {})).toEqual({ type: "send", probe: false });
    // A restarted worker reads the same table: nothing of the outage is left to hold it back.
    const { breaker: afterRestart } = breakerOn(kv, ["circuit", "recovery"]);
    expect(await afterRestart.beforeSend(host, {})).toEqual({ type: "send", probe: false });
  });

  it("forgets a host's earlier failure after one delivery that reached it", async () => {
    const { breaker } = breakerOn(kv, ["circuit", "forget"]);
    await breaker.recordFailure(host);
    expect(await breaker.getState(host)).toMatchObject({ state: "closed" });
    expect(await breaker.recordSuccess(host)).toBeUndefined();
    expect(await breaker.getState(host)).toBeUndefined();
    // A 4xx answer proves the host is up, and clears the state the same way.
    await breaker.recordFailure(host);
    await breaker.recordReachableFailure(host);
    expect(await breaker.getState(host)).toBeUndefined();
  });

  it("frees a host the old store left half-open within one recovery delay", async () => {
    // What the old store left: its cas to undefined threw before reaching the database, so
    // the breaker's last write stayed, the half-open state of the probe that succeeded.
    const prefix = ["circuit", "left-half-open"] as const;
    const { breaker, clock } = breakerOn(kv, prefix);
    await kv.set(
      [...prefix, host],
      {
        state: "half-open",
        failures: ["2025-12-31T23:29:00Z", "2025-12-31T23:30:00Z"],
        opened: "2025-12-31T23:30:00Z",
        halfOpened: clock.now.toString(),
        __fedifyCircuitBreakerStateVersion: 1,
      },
      { ttl: Temporal.Duration.from({ days: 7 }) },
    );
    expect((await breaker.beforeSend(host, {})).type).toBe("hold");

    clock.now = clock.now.add(recoveryDelay);
    expect(await breaker.beforeSend(host, {})).toMatchObject({ type: "send", probe: true });
    await breaker.recordSuccess(host);
    expect(await breaker.beforeSend(host, {})).toEqual({ type: "send", probe: false });
  });

  it("keeps the pool usable when a state is cleared on a connection already busy", async () => {
    // The outbox runs many deliveries on few connections, so postgres.js queues a query
    // behind one still running on the same connection.
    const single = connect(connection.url, { max: 1 });
    try {
      const store = new PostgresKvStore(single.sql);
      const key = ["circuit", "busy", host] as const;
      await store.set(key, { state: "closed", failures: [] });
      const running = single.sql`select pg_sleep(0.2)`.then(() => "answered");
      const cleared = store.cas(key, { state: "closed", failures: [] }, undefined);
      expect(
        await within(
          Promise.allSettled([running, cleared]),
          "a query and the cas queued behind it",
        ),
      ).toEqual([
        { status: "fulfilled", value: "answered" },
        { status: "fulfilled", value: true },
      ]);
      expect(await within(store.get(key), "the next query")).toBeUndefined();
    } finally {
      await single.close();
    }
  });
});
