import type { Connection } from "../db/index.ts";
import type { Deps } from "../server/deps.ts";
import type { FederationEvent } from "../server/services/federation-port.ts";
import type { FederationContext } from "./context.ts";
import type { HistoryPage } from "./history.ts";
import type { PraxisFederation } from "./index.ts";
import { publishEvent } from "./outbox.ts";
import { eventsQueue, PostgresMessageQueue } from "./queue.ts";

/** Fedify's three queues, and Praxis's own: domain changes waiting to be put on the wire. */
export interface PraxisQueues {
  inbox: PostgresMessageQueue;
  outbox: PostgresMessageQueue;
  fanout: PostgresMessageQueue;
  events: PostgresMessageQueue;
}

// Deliveries wait on other servers, so many run at once; the rest is local work.
const concurrency = { inbox: 4, outbox: 64, fanout: 2, events: 4 } as const;

/** A delivery not answered within this is to a slow or hanging server (see QueueOptions). */
const slowDeliveryMs = 2_000;

/**
 * Deliveries about one thing are kept in order per inbox, not per server as Fedify keys them
 * (its key is the activity's plus the inbox's origin): a server without a shared inbox, such
 * as GoToSocial, or many members' inboxes on one server, would otherwise get each member's
 * copy one after another. Each inbox still gets a post's Create, Update and Delete in order.
 */
function perInbox(message: unknown, orderingKey: string): string {
  const { inbox } = message as { inbox?: unknown };
  return typeof inbox === "string" ? `${orderingKey}\n${inbox}` : orderingKey;
}

/** The server a delivery (one of Fedify's outbox messages) goes to. */
function inboxHostOf(payload: string): string | undefined {
  try {
    return new URL((JSON.parse(payload) as { inbox: string }).inbox).host;
  } catch {
    return undefined;
  }
}

export function praxisQueues(connection: Connection, handlerTimeoutMs: number): PraxisQueues {
  const queue = (name: keyof PraxisQueues) =>
    new PostgresMessageQueue(connection.db, connection.sql, name, {
      concurrency: concurrency[name],
      handlerTimeoutMs,
      ...(name === "outbox"
        ? { slowAfterMs: slowDeliveryMs, slowKeyOf: inboxHostOf, orderingKeyOf: perInbox }
        : {}),
    });
  return {
    inbox: queue("inbox"),
    outbox: queue("outbox"),
    fanout: queue("fanout"),
    events: queue(eventsQueue),
  };
}

/**
 * The worker's side of federation: it takes incoming activities, fan-outs and deliveries
 * from Fedify's queues, and turns committed domain changes into activities. Answers a
 * function that stops taking work and waits for what is under way.
 */
export function startFederationWorkers(
  federation: PraxisFederation,
  deps: Deps,
  queues: PraxisQueues,
): () => Promise<void> {
  const stop = new AbortController();
  const contextData: FederationContext = { deps, viewer: async () => null };
  const fedify = federation.startQueue(contextData, { signal: stop.signal });
  const events = queues.events.listen(
    (event) =>
      publishEvent(
        federation.createContext(deps.config.publicUrl, contextData),
        deps.db,
        // Only federation-port.ts (FederationEvents) and history.ts (its next pages) enqueue here.
        event as FederationEvent | HistoryPage,
      ),
    { signal: stop.signal },
  );
  return async () => {
    stop.abort();
    await Promise.allSettled([fedify, events]);
  };
}
