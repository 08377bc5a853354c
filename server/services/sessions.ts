import { and, eq, gt } from "drizzle-orm";
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

/** The live session a token names, or null when it is forged, expired or revoked. */
export async function resolveSession(deps: Deps, token: string): Promise<Session | null> {
  const verified = await verifyToken(deps.config.secretKey, "session", token);
  if (verified.status !== "valid" || !verified.sid) return null;
  const [row] = await deps.db
    .select({ id: sessions.id, account: accounts })
    .from(sessions)
    .innerJoin(accounts, eq(accounts.id, sessions.accountId))
    .where(
      and(
        eq(sessions.id, verified.sid),
        eq(sessions.accountId, verified.sub),
        gt(sessions.expiresAt, new Date()),
      ),
    );
  return row ?? null;
}

export async function closeSession(deps: Deps, sessionId: string): Promise<void> {
  await deps.db.delete(sessions).where(eq(sessions.id, sessionId));
}
