import { and, eq, gt, ne, sql } from "drizzle-orm";
import type { Executor } from "../../db/index.ts";
import { preparedFor } from "../../db/prepared.ts";
import { type Account, accounts } from "../../db/schema/accounts.ts";
import { sessions } from "../../db/schema/sessions.ts";
import type { Deps } from "../deps.ts";
import { signToken, verifyToken } from "./tokens.ts";

const sessionLifetimeMs = 30 * 24 * 60 * 60 * 1000;

export interface Session {
  id: string;
  account: Account;
}

export async function openSession(
  deps: Deps,
  accountId: string,
): Promise<{ token: string; expiresAt: Date }> {
  const expiresAt = new Date(Date.now() + sessionLifetimeMs);
  const [session] = await deps.db.insert(sessions).values({ accountId, expiresAt }).returning();
  if (!session) throw new Error("session insert returned nothing");
  const token = await signToken(
    deps.config.secretKey,
    "session",
    { sub: accountId, sid: session.id },
    expiresAt,
  );
  return { token, expiresAt };
}

const liveSession = preparedFor((db) =>
  db
    .select({ id: sessions.id, account: accounts })
    .from(sessions)
    .innerJoin(accounts, eq(accounts.id, sessions.accountId))
    .where(
      and(
        eq(sessions.id, sql.placeholder("session")),
        eq(sessions.accountId, sql.placeholder("account")),
        gt(sessions.expiresAt, sql`now()`),
      ),
    )
    .prepare("live_session"),
);

/** The live session a token names, or null when it is forged, expired or revoked. */
export async function resolveSession(deps: Deps, token: string): Promise<Session | null> {
  const verified = await verifyToken(deps.config.secretKey, "session", token);
  if (verified.status !== "valid" || !verified.sid) return null;
  const [row] = await liveSession(deps.db).execute({
    session: verified.sid,
    account: verified.sub,
  });
  return row ?? null;
}

export async function closeSession(deps: Deps, sessionId: string): Promise<void> {
  await deps.db.delete(sessions).where(eq(sessions.id, sessionId));
}

/**
 * Ends every session of an account but `keep`, the one asking when it stays signed in: after
 * its password changes, a device someone else signed in on is signed out.
 */
export async function closeOtherSessions(
  db: Executor,
  accountId: string,
  keep?: string,
): Promise<void> {
  await db
    .delete(sessions)
    .where(and(eq(sessions.accountId, accountId), keep ? ne(sessions.id, keep) : undefined));
}
