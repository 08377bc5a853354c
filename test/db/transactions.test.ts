import { sql as raw } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withReservedTransactions } from "../../db/transactions.ts";
import { freshDatabase } from "../support/database.ts";

describe("transactions on reserved connections", () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  // No pipelining at all: the condition under which postgres.js 3.4.9 always loses a
  // transaction's reservation (under load it happens when the socket pushes back).
  let client: postgres.Sql;
  const unpipelined = () => {
    const options = { max: 2, max_pipeline: 0, onnotice: () => {} };
    return postgres(database.url, options);
  };

  beforeAll(async () => {
    database = await freshDatabase();
    client = unpipelined();
    await client`create table ledger (entry text not null)`;
  });
  afterAll(async () => {
    await client.end();
    await database.close();
  });

  it("shows postgres.js's own begin losing its connection's reservation", async () => {
    await expect(client.begin((tx) => tx`select 1`)).rejects.toThrow("UNSAFE_TRANSACTION");
    // And the pool now holds a connection still inside that transaction: discard it.
    await client.end();
    client = unpipelined();
  });

  it("commits, rolls back and nests through Drizzle where postgres.js's begin fails", async () => {
    const db = drizzle(withReservedTransactions(client));
    await db.transaction(async (tx) => {
      await tx.execute(raw`insert into ledger values ('kept')`);
      await tx
        .transaction(async (nested) => {
          await nested.execute(raw`insert into ledger values ('undone with its savepoint')`);
          throw new Error("nested failure");
        })
        .catch(() => {});
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(raw`insert into ledger values ('rolled back')`);
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    const rows = await client`select entry from ledger`;
    expect(rows.map((row) => row.entry)).toEqual(["kept"]);
    // No connection was left inside a transaction.
    const [open] = await client`
      select count(*)::int as count from pg_stat_activity
      where datname = current_database() and state like 'idle in transaction%'`;
    expect(open?.count).toBe(0);
  });
});
