import { setTimeout as sleep } from "node:timers/promises";
import { Pool } from "undici";
import { percentile } from "./figures.ts";

/** One request of a mix: what autocannon's `setupRequest` answers, so mixes serve both. */
export interface MixRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface RateFigures {
  /** The arrival rate asked for. */
  rate: number;
  /** Answers received per second of the step. */
  answered: number;
  p50: number;
  p95: number;
  p99: number;
  /** Network errors, answers ≥ 400, and requests still unanswered at the end of the step. */
  failed: number;
  /** Why, counted: a status, an error code, or "unanswered". */
  failures: Map<string, number>;
}

/** Keep-alive connections to one server, kept across steps so that none starts cold. */
export const connectionsTo = (origin: string) =>
  new Pool(origin, { connections: 256, pipelining: 1 });

/** How long after a step's last arrival its answers are still waited for. */
const graceMs = 2000;

/**
 * Sends requests at a constant arrival rate for `seconds`, whether or not earlier ones have
 * been answered (open loop: a slow server faces the same arrivals, as it would from many
 * readers). Latency runs from when a request was due, not from when a free connection took
 * it, so a backlog shows in the percentiles instead of lowering the rate (coordinated
 * omission). autocannon's `overallRate` is not this: it lets each connection send its share
 * back to back at the start of every second, and a connection waiting for an answer sends
 * nothing, so a slow server is offered fewer requests.
 */
export async function atRate(
  pool: Pool,
  rate: number,
  seconds: number,
  next: () => MixRequest,
): Promise<RateFigures> {
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  const fail = (why: string) => {
    failures.set(why, (failures.get(why) ?? 0) + 1);
  };
  const total = Math.round(rate * seconds);
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  const send = (due: number) => {
    const { method = "GET", path = "/", headers, body } = next();
    return pool
      .request({ method: method as "GET", path, headers, body })
      .then(async (answer) => {
        await answer.body.dump();
        if (answer.statusCode >= 400) fail(String(answer.statusCode));
        else latencies.push(performance.now() - due);
      })
      .catch((error: { code?: string }) => fail(error.code ?? "error"));
  };
  for (let sent = 0; sent < total; ) {
    const now = performance.now();
    for (; sent < total && started + (sent * 1000) / rate <= now; sent++) {
      inFlight.push(send(started + (sent * 1000) / rate));
    }
    await sleep(1);
  }
  const waited = await Promise.race([
    Promise.all(inFlight).then(() => true),
    sleep(graceMs, false),
  ]);
  const failed = [...failures.values()].reduce((sum, count) => sum + count, 0);
  const unanswered = waited ? 0 : total - latencies.length - failed;
  if (unanswered > 0) failures.set("unanswered", unanswered);
  latencies.sort((a, b) => a - b);
  return {
    rate,
    answered: latencies.length / seconds,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    failed: failed + unanswered,
    failures,
  };
}

export interface Capacity {
  /** The highest rate tried that met the goal, 0 when none did. */
  sustained: number;
  /** The figures of that step, if any met the goal. */
  best?: RateFigures;
  /** Every step, in the order tried. */
  steps: RateFigures[];
}

/**
 * The highest arrival rate sustained with the percentile `at` (p99 unless said) under `goalMs`
 * and nothing failed: the rate
 * doubles from `start` until a step misses, then the bracket is halved until it is within
 * 10% or `maxSteps` are spent. A pause between steps lets a missed step's backlog drain.
 */
export async function sustainedRate(
  step: (rate: number) => Promise<RateFigures>,
  {
    start,
    goalMs = 100,
    at = "p99",
    maxSteps = 8,
  }: { start: number; goalMs?: number; at?: "p95" | "p99"; maxSteps?: number },
): Promise<Capacity> {
  const steps: RateFigures[] = [];
  const met = (figures: RateFigures) => figures.failed === 0 && figures[at] < goalMs;
  let low = 0;
  let best: RateFigures | undefined;
  let high = Number.POSITIVE_INFINITY;
  let rate = start;
  while (steps.length < maxSteps && high / Math.max(low, 1) > 1.1) {
    const figures = await step(Math.round(rate));
    steps.push(figures);
    if (met(figures)) {
      low = figures.rate;
      best = figures;
    } else high = figures.rate;
    rate = Number.isFinite(high) ? (low + high) / 2 : rate * 2;
    if (low === 0 && high <= 2) break;
    await sleep(1000);
  }
  return { sustained: low, steps, ...(best ? { best } : {}) };
}
