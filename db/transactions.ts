import type postgres from "postgres";

type Work = (sql: postgres.TransactionSql) => unknown;

/**
 * postgres.js 3.4.9 can write a transaction's BEGIN without reserving its connection, when
 * the socket pushes back or the connection's pipeline is full (porsager/postgres#1189): the
 * BEGIN then fails with UNSAFE_TRANSACTION and the transaction stays open on a connection
 * the pool hands to unrelated queries. The API benchmark met it (3 of 9,000 replies). Here a
 * transaction first reserves a connection, which the pool only gives when it is idle, and
 * runs BEGIN, the work and COMMIT there; nested transactions are savepoints, as before.
 */
export function withReservedTransactions(sql: postgres.Sql): postgres.Sql {
  async function begin(first: string | Work, second?: Work): Promise<unknown> {
    const [options, work] = typeof first === "function" ? ["", first] : [first, second];
    if (!work) throw new TypeError("begin needs the transaction's work");
    const reserved = await sql.reserve();
    let savepoints = 0;
    const transaction = Object.assign(reserved, {
      async savepoint(nested: Work): Promise<unknown> {
        const name = `s${++savepoints}`;
        await reserved.unsafe(`savepoint ${name}`);
        try {
          const result = await nested(transaction);
          await reserved.unsafe(`release savepoint ${name}`);
          return result;
        } catch (error) {
          await reserved.unsafe(`rollback to savepoint ${name}`);
          throw error;
        }
      },
    }) as unknown as postgres.TransactionSql;
    try {
      await reserved.unsafe(`begin ${options.replace(/[^a-z ]/gi, "")}`);
      const result = await work(transaction);
      await reserved.unsafe("commit");
      return result;
    } catch (error) {
      // A broken connection has no transaction left to roll back; the error is what matters.
      await reserved.unsafe("rollback").catch(() => {});
      throw error;
    } finally {
      reserved.release();
    }
  }
  return Object.assign(sql, { begin: begin as postgres.Sql["begin"] });
}
