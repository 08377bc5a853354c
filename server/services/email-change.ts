import { and, desc, eq, gt, isNull, ne, sql } from "drizzle-orm";
import type { Executor } from "../../db/index.ts";
import { type Account, accountLinks, accounts } from "../../db/schema/accounts.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { composeMail } from "../mail/compose.ts";
import {
  issueAccountLink,
  linkUrl,
  type OpenedLink,
  openAccountLink,
  spendAccountLink,
} from "./account-links.ts";
import { confirmPassword } from "./accounts.ts";
import { sendMailQuietly } from "./mail.ts";

async function assertEmailFree(db: Executor, email: string, accountId: string): Promise<void> {
  const [holder] = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(sql`lower(${accounts.email}) = lower(${email})`, ne(accounts.id, accountId)));
  if (holder) throw new DomainError("email_taken");
}

const mailParams = (deps: Deps, account: Account, email: string) => ({
  name: account.displayName || account.username,
  instance: deps.config.publicUrl.host,
  email,
});

/**
 * Asks to move the account to another address: nothing changes until a link mailed there is
 * opened, so that no one moves an account to an address they cannot read.
 */
export async function requestEmailChange(
  deps: Deps,
  account: Account,
  change: { email: string; password: string },
  client: string,
): Promise<void> {
  await confirmPassword(deps, account, change.password, client);
  if (account.email?.toLowerCase() === change.email.toLowerCase()) {
    throw new DomainError("email_unchanged");
  }
  await assertEmailFree(deps.db, change.email, account.id);
  const token = await issueAccountLink(deps, deps.db, account, "email_change", change.email);
  await sendMailQuietly(
    deps,
    composeMail(
      "email_change",
      { email: change.email, locale: account.locale },
      mailParams(deps, account, change.email),
      linkUrl(deps, "confirm-email", token),
    ),
  );
}

/** The address the account asked to move to, while the link mailed there is still open. */
export async function pendingEmailOf(db: Executor, account: Account): Promise<string | null> {
  const [link] = await db
    .select({ newEmail: accountLinks.newEmail })
    .from(accountLinks)
    .where(
      and(
        eq(accountLinks.accountId, account.id),
        eq(accountLinks.purpose, "email_change"),
        isNull(accountLinks.usedAt),
        gt(accountLinks.expiresAt, new Date()),
      ),
    )
    .orderBy(desc(accountLinks.createdAt))
    .limit(1);
  return link?.newEmail ?? null;
}

export function openEmailChange(deps: Deps, token: string): Promise<OpenedLink> {
  return openAccountLink(deps, deps.db, "email_change", token);
}

/**
 * Moves the account to the address the link was sent to, once, if no one took it in the
 * meantime, and tells the old address, whose owner may not be the one who asked.
 */
export async function confirmEmailChange(deps: Deps, token: string): Promise<OpenedLink> {
  const opened = await openEmailChange(deps, token);
  if (opened.status !== "valid" || !opened.link.newEmail) return opened;
  const { account, link } = opened;
  const email = link.newEmail as string;
  const changed = await deps.db.transaction(async (tx) => {
    // Serialises with registrations, which take addresses under the same lock.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('praxis.registration'))`);
    if (!(await spendAccountLink(tx, link))) return false;
    await assertEmailFree(tx, email, account.id);
    await tx
      .update(accounts)
      .set({ email, updatedAt: new Date() })
      .where(eq(accounts.id, account.id));
    return true;
  });
  if (!changed) return { status: "used" };
  await sendMailQuietly(
    deps,
    composeMail("email_changed", account, mailParams(deps, account, email)),
  );
  return opened;
}
