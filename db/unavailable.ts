import type { Logger } from "@logtape/logtape";
import { DrizzleQueryError } from "drizzle-orm";

/** postgres.js's own codes for a connection that failed or went away, and the socket's. */
const connectionCodes = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
]);

/**
 * SQLSTATEs of a server that is going or not there yet: admin_shutdown, crash_shutdown,
 * cannot_connect_now (shutting down, starting up, recovering). Class 08 is checked apart.
 */
const shutdownStates = new Set(["57P01", "57P02", "57P03"]);

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * Whether `error` says the database cannot be reached at the moment (it is down, restarting,
 * or the connection to it broke), as opposed to refusing a query. Only a Drizzle query
 * error's cause is looked through: fetch wraps its own socket errors (`fetch failed`), and
 * a refused connection to another server must not read as the database's.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof DrizzleQueryError) return isDatabaseUnavailable(error.cause);
  const code = codeOf(error);
  if (code === undefined) return false;
  return connectionCodes.has(code) || code.startsWith("08") || shutdownStates.has(code);
}

/** What an answer refused for want of the database tells clients to wait (`Retry-After`). */
export const unavailableRetryAfterSeconds = 5;

/** Failures further apart than this belong to two outages, each logged. */
const outageGapMs = 60_000;

/**
 * Notes one part of Praxis finding the database unreachable, and logs it once per outage,
 * not once per failed query or poll: an outage is a run of failures with no minute-long gap,
 * or until `recovered()` is called by a part that can tell.
 */
export class OutageLog {
  #since: number | undefined;
  #lastFailure = 0;

  constructor(
    private readonly logger: Logger,
    /** The part that failed, as the log names it: "the events queue". */
    private readonly part: string,
  ) {}

  failed(error: unknown): void {
    const now = Date.now();
    if (this.#since === undefined || now - this.#lastFailure > outageGapMs) {
      this.#since = now;
      this.logger.warn("The database cannot be reached by {part}: {error}", {
        part: this.part,
        error,
      });
    }
    this.#lastFailure = now;
  }

  recovered(): void {
    if (this.#since === undefined) return;
    this.logger.info("The database answers {part} again after {seconds} s", {
      part: this.part,
      seconds: Math.round((Date.now() - this.#since) / 1000),
    });
    this.#since = undefined;
  }
}
