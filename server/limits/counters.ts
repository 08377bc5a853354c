import { createHmac } from "node:crypto";
import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import { rateLimitCounters } from "../../db/schema/rate-limits.ts";
import type { RateLimit } from "../config.ts";
import type { Deps } from "../deps.ts";
import { type ErrorCode, TooManyRequests } from "../errors.ts";

/**
 * One limit's counts, by key, in PostgreSQL, so that every web process sees the same. Keys
 * are hashed with the instance's secret: the table holds no address, login or host.
 */
export interface Counter {
  /** Counts one action, or refuses it with `code` when the limit is already used up. */
  take(key: string): Promise<void>;
  /** Uncounts an action taken that should not count after all. */
  giveBack(key: string): Promise<void>;
  /** Refuses with `code` when the limit is used up, counting nothing. */
  check(key: string): Promise<void>;
  /** Counts one action whatever the limit; returns how many the window holds now. */
  add(key: string): Promise<number>;
  /** Refuses everything for `key` during `seconds`, whatever was counted before. */
  lock(key: string, seconds: number): Promise<void>;
  /** Forgets the key's count and any lock. */
  clear(key: string): Promise<void>;
}

/**
 * rate-limiter-flexible's own Drizzle store, on the connection Praxis already has (postgres.js
 * through drizzle-orm): its Postgres store would want the `pg` driver and a second pool.
 */
function drizzleStore(deps: Deps, prefix: string, limit: RateLimit, sweeps: boolean) {
  return new RateLimiterDrizzle({
    storeClient: deps.db,
    schema: rateLimitCounters,
    keyPrefix: prefix,
    points: limit.points,
    duration: limit.durationSeconds,
    // Every limit shares the table; one deleting long-expired rows is enough.
    clearExpiredByTimeout: sweeps,
  });
}

function refusal(code: ErrorCode, result: unknown): never {
  if (result instanceof RateLimiterRes) throw new TooManyRequests(code, result.msBeforeNext);
  throw result;
}

const counters = new WeakMap<Deps, Map<string, Counter>>();

/** The counter named `name` (its keys' prefix), made once per process and configuration. */
export function counter(deps: Deps, name: string, limit: RateLimit, code: ErrorCode): Counter {
  const ofDeps = counters.get(deps) ?? new Map<string, Counter>();
  counters.set(deps, ofDeps);
  const existing = ofDeps.get(name);
  if (existing) return existing;
  const store = drizzleStore(deps, name, limit, ofDeps.size === 0);
  const hashed = (key: string) =>
    createHmac("sha256", deps.config.secretKey).update(key).digest("base64url");
  const created: Counter = {
    async take(key) {
      await store.consume(hashed(key)).catch((result: unknown) => refusal(code, result));
    },
    async giveBack(key) {
      await store.reward(hashed(key));
    },
    async check(key) {
      const state = await store.get(hashed(key));
      if (state && state.consumedPoints >= limit.points) refusal(code, state);
    },
    async add(key) {
      return (await store.penalty(hashed(key))).consumedPoints;
    },
    async lock(key, seconds) {
      await store.block(hashed(key), seconds);
    },
    async clear(key) {
      await store.delete(hashed(key));
    },
  };
  ofDeps.set(name, created);
  return created;
}
