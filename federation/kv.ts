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

/** Fedify's key-value store on the `federation_kv` table; expired entries read as absent. */
export class PostgresKvStore implements KvStore {
  constructor(private readonly sql: postgres.Sql) {}

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const [row] = await this.sql<{ value: string }[]>`
      select value::text as value from federation_kv
      where key = ${[...key]}::text[] and (expires_at is null or expires_at > now())`;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    await this.sql`
      insert into federation_kv (key, value, expires_at)
      values (${[...key]}::text[], ${json(value)}::jsonb, ${expiry(options)}::timestamptz)
      on conflict (key) do update set value = excluded.value, expires_at = excluded.expires_at`;
  }

  async delete(key: KvKey): Promise<void> {
    await this.sql`delete from federation_kv where key = ${[...key]}::text[]`;
  }

  async cas(
    key: KvKey,
    expectedValue: unknown,
    newValue: unknown,
    options?: KvStoreSetOptions,
  ): Promise<boolean> {
    const rows =
      expectedValue === undefined
        ? await this.sql`
            insert into federation_kv (key, value, expires_at)
            values (${[...key]}::text[], ${json(newValue)}::jsonb, ${expiry(options)}::timestamptz)
            on conflict (key) do update set value = excluded.value, expires_at = excluded.expires_at
            where federation_kv.expires_at is not null and federation_kv.expires_at <= now()
            returning 1`
        : await this.sql`
            update federation_kv
            set value = ${json(newValue)}::jsonb, expires_at = ${expiry(options)}::timestamptz
            where key = ${[...key]}::text[] and value = ${json(expectedValue)}::jsonb
              and (expires_at is null or expires_at > now())
            returning 1`;
    return rows.length > 0;
  }

  async *list(key?: KvKey): AsyncIterable<KvStoreListEntry> {
    const prefix: readonly string[] = key ?? [];
    const rows = await this.sql<{ key: string[]; value: string }[]>`
      select key, value::text as value from federation_kv
      where key[1:${prefix.length}] = ${[...prefix]}::text[]
        and (expires_at is null or expires_at > now())
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
