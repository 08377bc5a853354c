import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import type postgres from "postgres";

function expiry(options?: KvStoreSetOptions): string | null {
  return options?.ttl
    ? new Date(Date.now() + options.ttl.total("millisecond")).toISOString()
    : null;
}

// Values cross the wire as JSON text and timestamps as ISO text: the client is shared with
// Drizzle, which replaces postgres.js's own json and date conversions with pass-throughs.
const json = (value: unknown) => JSON.stringify(value);

/**
 * Fedify's key-value store on the `federation_kv` table; expired entries read as absent.
 * `undefined` is no entry at all, never a stored value: postgres.js refuses to send it, and
 * Fedify's circuit breaker uses it to clear a host's state (`cas(key, state, undefined)`).
 */
export class PostgresKvStore implements KvStore {
  constructor(private readonly sql: postgres.Sql) {}

  /** The condition that a row has not expired, for a query on `federation_kv`. */
  private live() {
    return this.sql`(expires_at is null or expires_at > now())`;
  }

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const [row] = await this.sql<{ value: string }[]>`
      select value::text as value from federation_kv
      where key = ${[...key]}::text[] and ${this.live()}`;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    if (value === undefined) return this.delete(key);
    await this.sql`
      insert into federation_kv (key, value, expires_at)
      values (${[...key]}::text[], ${json(value)}::jsonb, ${expiry(options)}::timestamptz)
      on conflict (key) do update set value = excluded.value, expires_at = excluded.expires_at`;
  }

  async delete(key: KvKey): Promise<void> {
    await this.sql`delete from federation_kv where key = ${[...key]}::text[]`;
  }

  /** Compares values as JSON (jsonb equality): the order of an object's keys does not matter. */
  async cas(
    key: KvKey,
    expectedValue: unknown,
    newValue: unknown,
    options?: KvStoreSetOptions,
  ): Promise<boolean> {
    if (expectedValue === undefined)
      return newValue === undefined
        ? this.isAbsent(key)
        : this.insertIfAbsent(key, newValue, options);
    return newValue === undefined
      ? this.deleteIfEqual(key, expectedValue)
      : this.replaceIfEqual(key, expectedValue, newValue, options);
  }

  private async isAbsent(key: KvKey): Promise<boolean> {
    const rows = await this.sql`
      select 1 from federation_kv where key = ${[...key]}::text[] and ${this.live()}`;
    return rows.length === 0;
  }

  private async insertIfAbsent(
    key: KvKey,
    value: unknown,
    options?: KvStoreSetOptions,
  ): Promise<boolean> {
    const rows = await this.sql`
      insert into federation_kv (key, value, expires_at)
      values (${[...key]}::text[], ${json(value)}::jsonb, ${expiry(options)}::timestamptz)
      on conflict (key) do update set value = excluded.value, expires_at = excluded.expires_at
      where federation_kv.expires_at is not null and federation_kv.expires_at <= now()
      returning 1`;
    return rows.length > 0;
  }

  private async deleteIfEqual(key: KvKey, expectedValue: unknown): Promise<boolean> {
    const rows = await this.sql`
      delete from federation_kv
      where key = ${[...key]}::text[] and value = ${json(expectedValue)}::jsonb and ${this.live()}
      returning 1`;
    return rows.length > 0;
  }

  private async replaceIfEqual(
    key: KvKey,
    expectedValue: unknown,
    newValue: unknown,
    options?: KvStoreSetOptions,
  ): Promise<boolean> {
    const rows = await this.sql`
      update federation_kv
      set value = ${json(newValue)}::jsonb, expires_at = ${expiry(options)}::timestamptz
      where key = ${[...key]}::text[] and value = ${json(expectedValue)}::jsonb and ${this.live()}
      returning 1`;
    return rows.length > 0;
  }

  async *list(key?: KvKey): AsyncIterable<KvStoreListEntry> {
    const prefix: readonly string[] = key ?? [];
    const rows = await this.sql<{ key: string[]; value: string }[]>`
      select key, value::text as value from federation_kv
      where key[1:${prefix.length}] = ${[...prefix]}::text[] and ${this.live()}
      order by key`;
    for (const row of rows)
      yield { key: row.key as unknown as KvKey, value: JSON.parse(row.value) };
  }

  /** Drops expired entries; the worker calls it periodically. */
  async sweep(): Promise<number> {
    const rows = await this.sql`delete from federation_kv where expires_at <= now() returning 1`;
    return rows.length;
  }
}
