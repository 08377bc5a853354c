import { Agent, setGlobalDispatcher } from "undici";

/**
 * Bounds how long any fetch of this process waits on another server. Fedify's deliveries and
 * look-ups use the global `fetch`, which otherwise waits five minutes for an answer: a server
 * that accepts connections and never replies would hold a delivery slot all that time, and
 * enough of them would stall every delivery. Timed out, a delivery fails like any other and
 * Fedify retries it later (and its circuit breaker stops trying a host that keeps failing).
 */
export function limitRemoteWaits(timeoutMs: number): void {
  setGlobalDispatcher(
    new Agent({
      connect: { timeout: timeoutMs },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    }),
  );
}
