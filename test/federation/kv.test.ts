import { setTimeout as sleep } from "node:timers/promises";
import type { KvKey } from "@fedify/fedify";
import { Temporal } from "@js-temporal/polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresKvStore } from "../../federation/kv.ts";
import { freshDatabase } from "../support/database.ts";

const shortTtl = () => Temporal.Duration.from({ milliseconds: 50 });
const longTtl = () => Temporal.Duration.from({ hours: 1 });

async function entries(kv: PostgresKvStore, prefix?: KvKey) {
  const found: { key: readonly string[]; value: unknown }[] = [];
  for await (const entry of kv.list(prefix))
    found.push({ key: [...entry.key], value: entry.value });
  return found.sort((a, b) => a.key.join("\u0000").localeCompare(b.key.join("\u0000")));
}

describe("PostgresKvStore", () => {
  let connection: Awaited<ReturnType<typeof freshDatabase>>;
  let kv: PostgresKvStore;
  beforeAll(async () => {
    connection = await freshDatabase();
    kv = new PostgresKvStore(connection.sql);
  });
  afterAll(() => connection.close());

  it("reads back nested JSON as written, overwrites it, and forgets it on delete", async () => {
    const key = ["roundtrip", "nested"] as const;
    const value = {
      name: "Amina",
      tags: ["a", "b", { deep: [1, 2.5, null, true] }],
      nested: { empty: {}, list: [], text: 'é ✓ "quoted" \\ back' },
    };
    expect(await kv.get(key)).toBeUndefined();
    await kv.set(key, value);
    expect(await kv.get(key)).toEqual(value);

    await kv.set(key, ["replaced", 42]);
    expect(await kv.get(key)).toEqual(["replaced", 42]);

    await kv.delete(key);
    expect(await kv.get(key)).toBeUndefined();
    await kv.delete(key);
  });

  it("keeps keys that share a prefix apart", async () => {
    await kv.set(["apart", "a"], 1);
    await kv.set(["apart", "a", "b"], 2);
    await kv.set(["apart"], 3);
    expect(await kv.get(["apart", "a"])).toBe(1);
    expect(await kv.get(["apart", "a", "b"])).toBe(2);
    expect(await kv.get(["apart"])).toBe(3);
  });

  it("stores scalar JSON values: strings, numbers, booleans", async () => {
    for (const [name, value] of [
      ["string", "just text"],
      ["number", 12.75],
      ["false", false],
    ] as const) {
      await kv.set(["scalar", name], value);
      expect(await kv.get(["scalar", name])).toEqual(value);
    }
  });

  it("lets an entry expire after its time to live, but keeps one without", async () => {
    await kv.set(["ttl", "short"], { gone: "soon" }, { ttl: shortTtl() });
    await kv.set(["ttl", "long"], "stays", { ttl: longTtl() });
    await kv.set(["ttl", "forever"], "stays too");
    expect(await kv.get(["ttl", "short"])).toEqual({ gone: "soon" });
    await sleep(100);
    expect(await kv.get(["ttl", "short"])).toBeUndefined();
    expect(await kv.get(["ttl", "long"])).toBe("stays");
    expect(await kv.get(["ttl", "forever"])).toBe("stays too");
    expect((await entries(kv, ["ttl"])).map((entry) => entry.key)).toEqual([
      ["ttl", "forever"],
      ["ttl", "long"],
    ]);
  });

  it("clears an earlier time to live when a key is set again without one", async () => {
    await kv.set(["ttl-reset"], "first", { ttl: shortTtl() });
    await kv.set(["ttl-reset"], "second");
    await sleep(100);
    expect(await kv.get(["ttl-reset"])).toBe("second");
  });

  it("lists exactly the entries under a prefix, and everything without one", async () => {
    await kv.set(["list", "x", "1"], { n: 1 });
    await kv.set(["list", "x", "2"], { n: 2 });
    await kv.set(["list", "x"], "the prefix itself");
    await kv.set(["list", "xy"], "a longer sibling, not under [list, x]");
    await kv.set(["list", "y", "1"], "other branch");
    await kv.set(["listing"], "shares characters but not the key part");

    expect(await entries(kv, ["list", "x"])).toEqual([
      { key: ["list", "x"], value: "the prefix itself" },
      { key: ["list", "x", "1"], value: { n: 1 } },
      { key: ["list", "x", "2"], value: { n: 2 } },
    ]);
    expect((await entries(kv, ["list"])).map((entry) => entry.key)).toEqual([
      ["list", "x"],
      ["list", "x", "1"],
      ["list", "x", "2"],
      ["list", "xy"],
      ["list", "y", "1"],
    ]);
    expect(await entries(kv, ["list", "nothing"])).toEqual([]);

    const everything = (await entries(kv)).map((entry) => entry.key.join("/"));
    expect(everything).toEqual(
      expect.arrayContaining(["apart/a/b", "list/x/1", "list/xy", "listing", "ttl/forever"]),
    );
    const rows = await connection.sql<{ count: number }[]>`
      select count(*)::int as count from federation_kv
      where expires_at is null or expires_at > now()`;
    expect(everything).toHaveLength(rows[0]?.count ?? -1);
  });

  it("swaps a value only when the expected one is there", async () => {
    const key = ["cas", "value"] as const;
    await kv.set(key, { version: 1, items: ["a"] });
    expect(await kv.cas(key, { version: 2, items: ["a"] }, { version: 3 })).toBe(false);
    expect(await kv.get(key)).toEqual({ version: 1, items: ["a"] });
    expect(await kv.cas(key, { version: 1, items: ["a"] }, { version: 2, items: ["a", "b"] })).toBe(
      true,
    );
    expect(await kv.get(key)).toEqual({ version: 2, items: ["a", "b"] });
    expect(await kv.cas(key, undefined, "clobbered")).toBe(false);
    expect(await kv.get(key)).toEqual({ version: 2, items: ["a", "b"] });
  });

  it("swaps against an absent key only when it is absent or expired", async () => {
    expect(await kv.cas(["cas", "fresh"], undefined, "created")).toBe(true);
    expect(await kv.get(["cas", "fresh"])).toBe("created");
    expect(await kv.cas(["cas", "fresh"], undefined, "again")).toBe(false);
    expect(await kv.get(["cas", "fresh"])).toBe("created");

    expect(await kv.cas(["cas", "missing"], "anything", "new")).toBe(false);
    expect(await kv.get(["cas", "missing"])).toBeUndefined();

    await kv.set(["cas", "expiring"], "old", { ttl: shortTtl() });
    await sleep(100);
    expect(await kv.cas(["cas", "expiring"], "old", "revived")).toBe(false);
    expect(await kv.get(["cas", "expiring"])).toBeUndefined();
    expect(await kv.cas(["cas", "expiring"], undefined, "replacement")).toBe(true);
    expect(await kv.get(["cas", "expiring"])).toBe("replacement");
    await sleep(100);
    expect(await kv.get(["cas", "expiring"])).toBe("replacement");
  });

  it("gives a swapped value the time to live passed with it", async () => {
    await kv.set(["cas", "ttl"], "before");
    expect(await kv.cas(["cas", "ttl"], "before", "after", { ttl: shortTtl() })).toBe(true);
    expect(await kv.get(["cas", "ttl"])).toBe("after");
    await sleep(100);
    expect(await kv.get(["cas", "ttl"])).toBeUndefined();
  });

  it("deletes an entry on a cas to undefined only while it holds the expected value", async () => {
    const key = ["cas", "clear"] as const;
    await kv.set(key, { state: "closed", failures: ["2026-01-01T00:00:00Z"] });
    expect(await kv.cas(key, { state: "closed", failures: [] }, undefined)).toBe(false);
    expect(await kv.get(key)).toEqual({ state: "closed", failures: ["2026-01-01T00:00:00Z"] });
    // Key order does not matter: the breaker rebuilds the state it read before comparing it.
    expect(
      await kv.cas(key, { failures: ["2026-01-01T00:00:00Z"], state: "closed" }, undefined),
    ).toBe(true);
    expect(await kv.get(key)).toBeUndefined();
    expect(await entries(kv, ["cas", "clear"])).toEqual([]);
    expect(await kv.cas(key, { state: "closed", failures: [] }, undefined)).toBe(false);

    await kv.set(["cas", "clear-expired"], "old", { ttl: shortTtl() });
    await sleep(100);
    expect(await kv.cas(["cas", "clear-expired"], "old", undefined)).toBe(false);
  });

  it("answers a cas from absent to absent with whether nothing live is stored", async () => {
    expect(await kv.cas(["cas", "never"], undefined, undefined)).toBe(true);
    expect(await kv.get(["cas", "never"])).toBeUndefined();

    await kv.set(["cas", "present"], "kept");
    expect(await kv.cas(["cas", "present"], undefined, undefined)).toBe(false);
    expect(await kv.get(["cas", "present"])).toBe("kept");

    await kv.set(["cas", "lapsed"], "old", { ttl: shortTtl() });
    await sleep(100);
    expect(await kv.cas(["cas", "lapsed"], undefined, undefined)).toBe(true);
    expect(await kv.get(["cas", "lapsed"])).toBeUndefined();
  });

  it("treats setting a key to undefined as removing it", async () => {
    await kv.set(["set-undefined"], { there: true });
    await kv.set(["set-undefined"], undefined);
    expect(await kv.get(["set-undefined"])).toBeUndefined();
    expect(await entries(kv, ["set-undefined"])).toEqual([]);
    await kv.set(["set-undefined"], undefined);
  });

  it("takes a host's circuit through the breaker's own calls and back to no state", async () => {
    // The arguments CircuitBreaker.recordFailure, beforeSend and recordSuccess pass in Fedify
    // 2.3.6. Each expected value is the state as the breaker parsed it back, so its keys may
    // come in another order than they were written in.
    const key = ["_fedify", "circuit", "remote.example"] as const;
    const ttl = { ttl: longTtl() };
    const failures = ["2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z"];
    const closed = {
      state: "closed",
      failures: failures.slice(0, 1),
      __fedifyCircuitBreakerStateVersion: 1,
    };
    const open = {
      state: "open",
      failures,
      opened: failures[1],
      __fedifyCircuitBreakerStateVersion: 1,
    };
    const halfOpenAsWritten = { ...open, state: "half-open", halfOpened: "2026-01-01T00:31:00Z" };
    const halfOpenAsRead = {
      state: "half-open",
      failures,
      opened: failures[1],
      halfOpened: "2026-01-01T00:31:00Z",
      __fedifyCircuitBreakerStateVersion: 1,
    };

    expect(await kv.cas(key, undefined, closed, ttl)).toBe(true);
    expect(await kv.cas(key, closed, open, ttl)).toBe(true);
    expect(await kv.cas(key, open, halfOpenAsWritten, ttl)).toBe(true);
    expect(await kv.cas(key, halfOpenAsRead, undefined)).toBe(true);
    expect(await kv.get(key)).toBeUndefined();
    expect(await kv.cas(key, undefined, closed, ttl)).toBe(true);
  });

  it("sweeps out expired rows and leaves live ones", async () => {
    await kv.set(["sweep", "expired", "1"], 1, { ttl: shortTtl() });
    await kv.set(["sweep", "expired", "2"], 2, { ttl: shortTtl() });
    await kv.set(["sweep", "live"], "live", { ttl: longTtl() });
    await kv.set(["sweep", "forever"], "forever");
    await sleep(100);

    const removed = await kv.sweep();
    expect(removed).toBeGreaterThanOrEqual(2);
    const remaining = await connection.sql<{ key: string[] }[]>`
      select key from federation_kv where key[1] = 'sweep' order by key`;
    expect(remaining.map((row) => row.key)).toEqual([
      ["sweep", "forever"],
      ["sweep", "live"],
    ]);
    const expiredLeft = await connection.sql<{ count: number }[]>`
      select count(*)::int as count from federation_kv where expires_at <= now()`;
    expect(expiredLeft[0]?.count).toBe(0);
    expect(await kv.sweep()).toBe(0);
  });
});
