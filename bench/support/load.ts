import autocannon, { type RawRequest } from "autocannon";
import { percentile } from "./figures.ts";

export interface LoadFigures {
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  /** Answers other than 2xx (or 3xx). */
  refused: number;
  /** The statuses seen, for when something is refused. */
  statuses: Map<number, number>;
}

/**
 * `connections` clients sending requests back to back for `seconds`, each request chosen by
 * `next` (autocannon); every answer's latency is kept, so percentiles are exact.
 */
export function load(
  url: string,
  seconds: number,
  next: () => RawRequest = () => ({}),
  connections = 200,
): Promise<LoadFigures> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        requests: [{ setupRequest: (request) => ({ ...request, ...next() }) }],
      },
      (error, result) => {
        if (error) return reject(error);
        latencies.sort((a, b) => a - b);
        resolve({
          requestsPerSecond: result.requests.total / seconds,
          p50: percentile(latencies, 0.5),
          p95: percentile(latencies, 0.95),
          p99: percentile(latencies, 0.99),
          errors: result.errors + result.timeouts,
          refused: result.non2xx,
          statuses,
        });
      },
    );
    instance.on("response", (_client, status, _bytes, ms) => {
      latencies.push(ms);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
  });
}
