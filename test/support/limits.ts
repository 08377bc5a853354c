import type postgres from "postgres";

/**
 * Limits far above what any suite does, for every server a test starts (test suites register
 * and sign in dozens of accounts from one address within seconds). The limits stay on;
 * rate-limits.test.ts sets its own, small ones.
 */
export const generousLimits: Record<string, string> = {
  RATE_LIMIT_SIGN_IN_PER_CLIENT: "1000000/1m",
  RATE_LIMIT_REGISTRATIONS_PER_CLIENT: "1000000/1m",
  RATE_LIMIT_INVITATIONS_PER_ACCOUNT: "1000000/1m",
  RATE_LIMIT_WRITES_PER_ACCOUNT: "1000000/1m",
  RATE_LIMIT_UPLOADS_PER_ACCOUNT: "1000000/1m",
  RATE_LIMIT_INBOX_PER_SERVER: "1000000/1m",
  SIGN_IN_FAILURES_BEFORE_LOCKOUT: "1000",
};

/**
 * Does to every limit what `seconds` of waiting would: windows and pauses end that much
 * sooner. The servers' clocks are left alone; only the counters' ends move.
 */
export async function letLimitTimePass(sql: postgres.Sql, seconds: number): Promise<void> {
  await sql`
    update rate_limit_counters set expire = expire - ${`${seconds} seconds`}::interval
    where expire is not null`;
}
