import type { Connection } from "../../db/index.ts";
import { wakeListeners } from "../../federation/queue.ts";

/** Where Fedify keeps each remote host's circuit: its `kvPrefixes.circuitBreaker`, then the host. */
const circuitPrefix = ["_fedify", "circuit"];

/** A host's circuit as Fedify's CircuitBreaker stores it (src/federation/circuit-breaker.ts). */
export interface CircuitState {
  state: "closed" | "open" | "half-open";
  failures: string[];
  opened?: string;
  halfOpened?: string;
}

async function storedCircuits(connection: Connection) {
  return connection.sql<{ key: string[]; host: string; value: string }[]>`
    select key, key[3] as host, value::text as value from federation_kv
    where key[1:2] = ${circuitPrefix}::text[] and cardinality(key) = 3
      and (expires_at is null or expires_at > now())`;
}

/** The circuit of each remote host (host:port) that has one, as Fedify left it. */
export async function circuitStates(connection: Connection): Promise<Map<string, CircuitState>> {
  const rows = await storedCircuits(connection);
  return new Map(rows.map((row) => [row.host, JSON.parse(row.value) as CircuitState]));
}

/**
 * Does to a server's deliveries at once what `minutes` of waiting would: retries and
 * deliveries held by Fedify's circuit breaker come due, and each circuit's failures and
 * opening move that far into the past, so that an open circuit is due for its probe. The
 * server's clock is left alone; only what it waits for moves.
 */
export async function letDeliveryTimePass(connection: Connection, minutes: number): Promise<void> {
  const earlier = (instant: string) =>
    new Date(Date.parse(instant) - minutes * 60_000).toISOString();
  for (const row of await storedCircuits(connection)) {
    const circuit = JSON.parse(row.value) as CircuitState;
    const moved = {
      ...circuit,
      failures: circuit.failures.map(earlier),
      ...(circuit.opened ? { opened: earlier(circuit.opened) } : {}),
      ...(circuit.halfOpened ? { halfOpened: earlier(circuit.halfOpened) } : {}),
    };
    // Only where the server did not change the circuit meanwhile: then it has moved on itself.
    await connection.sql`
      update federation_kv set value = ${JSON.stringify(moved)}::jsonb
      where key = ${row.key}::text[] and value = ${row.value}::jsonb`;
  }
  await connection.sql`
    update queued_messages set deliver_at = deliver_at - ${`${minutes} minutes`}::interval
    where queue = 'outbox' and leased_until is null`;
  await wakeListeners(connection.db, "outbox");
}
