import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import type postgres from "postgres";

type Json = postgres.JSONValue;

function expiry(options?: KvStoreSetOptions): Date | null {
  return options?.ttl ? new Date(Date.now() + options.ttl.total("millisecond")) : null;
}

/** Fedify's key-value store on the `federation_kv` table; expired entries read as absent. */
export class PostgresKvStore implements KvStore {
  constructor(private readonly sql: postgres.Sql) {}

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const [row] = await this.sql<{ value: T }[]>`
      select value from federation_kv
      where key = ${[...key]}::text[] and (expires_at is null or expires_at > now())`;
    return row?.value;
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    await this.sql`
      insert into federation_kv (key, value, expires_at)
      values (${[...key]}::text[], ${this.sql.json(value as Json)}, ${expiry(options)})
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
            values (${[...key]}::text[], ${this.sql.json(newValue as Json)}, ${expiry(options)})
            on conflict (key) do update set value = excluded.value, expires_at = excluded.expires_at
            where federation_kv.expires_at is not null and federation_kv.expires_at <= now()
            returning 1`
        : await this.sql`
            update federation_kv set value = ${this.sql.json(newValue as Json)}, expires_at = ${expiry(options)}
            where key = ${[...key]}::text[] and value = ${this.sql.json(expectedValue as Json)}
              and (expires_at is null or expires_at > now())
            returning 1`;
    return rows.length > 0;
  }

  async *list(key?: KvKey): AsyncIterable<KvStoreListEntry> {
    const prefix: readonly string[] = key ?? [];
    const rows = await this.sql<{ key: string[]; value: unknown }[]>`
      select key, value from federation_kv
      where key[1:${prefix.length}] = ${[...prefix]}::text[]
        and (expires_at is null or expires_at > now())
      order by key`;
    for (const row of rows) yield { key: row.key as unknown as KvKey, value: row.value };
  }

  /** Drops expired entries; called periodically by the worker. */
  async sweep(): Promise<number> {
    const rows = await this.sql`delete from federation_kv where expires_at <= now() returning 1`;
    return rows.length;
  }
}
