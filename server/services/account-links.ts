import { and, eq, gt, isNull, lt, sql } from "drizzle-orm";
import type { Executor } from "../../db/index.ts";
import {
  type Account,
  type AccountLink,
  type AccountLinkPurpose,
  accountLinks,
  accounts,
} from "../../db/schema/accounts.ts";
import type { Deps } from "../deps.ts";
import { signToken, verifyToken } from "./tokens.ts";

/** Long enough to find the mail and act on it, short enough that an old mailbox opens nothing. */
const linkLifetimeMs = 60 * 60 * 1000;
const keptAfterExpiryMs = 24 * 60 * 60 * 1000;

/** What a mailed link is when someone opens it: only a `valid` one may be acted on. */
export type OpenedLink =
  | { status: "valid"; link: AccountLink; account: Account }
  | { status: "used" }
  | { status: "expired" }
  | { status: "invalid" };

/** The path of a link's page, where its token is read. */
export function linkUrl(deps: Deps, path: "reset-password" | "confirm-email", token: string) {
  return new URL(`/${path}/${encodeURIComponent(token)}`, deps.config.publicUrl).href;
}

/** Records a link for `account` and signs the token that names it, which expires with it. */
export async function issueAccountLink(
  deps: Deps,
  db: Executor,
  account: Account,
  purpose: AccountLinkPurpose,
  newEmail: string | null = null,
): Promise<string> {
  const expiresAt = new Date(Date.now() + linkLifetimeMs);
  const [link] = await db
    .insert(accountLinks)
    .values({ accountId: account.id, purpose, newEmail, expiresAt })
    .returning({ id: accountLinks.id });
  if (!link) throw new Error("account link insert returned nothing");
  return signToken(deps.config.secretKey, purpose, { sub: account.id, sid: link.id }, expiresAt);
}

/**
 * What a token opens. The signature says it was made here for this purpose; the row says
 * whether it was used, and its own end counts as well as the token's.
 */
export async function openAccountLink(
  deps: Deps,
  db: Executor,
  purpose: AccountLinkPurpose,
  token: string,
): Promise<OpenedLink> {
  const verified = await verifyToken(deps.config.secretKey, purpose, token);
  if (verified.status === "invalid" || !verified.sid) return { status: "invalid" };
  const [row] = await db
    .select({ link: accountLinks, account: accounts })
    .from(accountLinks)
    .innerJoin(accounts, eq(accounts.id, accountLinks.accountId))
    .where(
      and(
        eq(accountLinks.id, verified.sid),
        eq(accountLinks.accountId, verified.sub),
        eq(accountLinks.purpose, purpose),
      ),
    );
  // Once swept, a link that has expired is known only by its token, which says so itself.
  if (!row) return { status: verified.status === "expired" ? "expired" : "invalid" };
  if (row.account.deletedAt) return { status: "invalid" };
  if (row.link.usedAt) return { status: "used" };
  if (verified.status === "expired" || row.link.expiresAt <= new Date()) {
    return { status: "expired" };
  }
  return { status: "valid", ...row };
}

/**
 * Spends a link, and every other unused link of its kind for the account (an older reset
 * mail must not undo a newer password). False when another request spent it first.
 */
export async function spendAccountLink(db: Executor, link: AccountLink): Promise<boolean> {
  const spent = await db
    .update(accountLinks)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(accountLinks.id, link.id),
        isNull(accountLinks.usedAt),
        gt(accountLinks.expiresAt, sql`now()`),
      ),
    )
    .returning({ id: accountLinks.id });
  if (spent.length === 0) return false;
  await db
    .update(accountLinks)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(accountLinks.accountId, link.accountId),
        eq(accountLinks.purpose, link.purpose),
        isNull(accountLinks.usedAt),
      ),
    );
  return true;
}

/**
 * A day after it expires a link's row only tells "used" from "expired", so the worker forgets
 * it (without this the table keeps every reset and address change ever asked for).
 */
export async function forgetExpiredAccountLinks(db: Executor, now = new Date()): Promise<number> {
  const gone = await db
    .delete(accountLinks)
    .where(lt(accountLinks.expiresAt, new Date(now.getTime() - keptAfterExpiryMs)))
    .returning({ id: accountLinks.id });
  return gone.length;
}

/** Forgets every link of an account, as when it is deleted. */
export async function dropAccountLinks(db: Executor, accountId: string): Promise<void> {
  await db.delete(accountLinks).where(eq(accountLinks.accountId, accountId));
}
