import { and, isNull, sql } from "drizzle-orm";
import { accounts } from "../../db/schema/accounts.ts";
import type { Deps } from "../deps.ts";
import { forgetFailedSignIns } from "../limits/sign-in-lockout.ts";
import { composeMail } from "../mail/compose.ts";
import {
  issueAccountLink,
  linkUrl,
  type OpenedLink,
  openAccountLink,
  spendAccountLink,
} from "./account-links.ts";
import { replacePassword, signInSubjectOf } from "./accounts.ts";
import { sendMailQuietly } from "./mail.ts";
import { assertStrongPassword, hashPassword } from "./passwords.ts";

/**
 * Mails a reset link to the local account with this address, if there is one. Whoever asks
 * learns nothing of whether there is: the answer is the same, and as quick, as the mail is
 * sent after answering.
 */
export async function requestPasswordReset(deps: Deps, email: string): Promise<void> {
  const [account] = await deps.db
    .select()
    .from(accounts)
    .where(and(isNull(accounts.domain), sql`lower(${accounts.email}) = lower(${email})`));
  if (!account) return;
  const token = await issueAccountLink(deps, deps.db, account, "password_reset");
  const mail = composeMail(
    "password_reset",
    account,
    { name: account.displayName || account.username, instance: deps.config.publicUrl.host },
    linkUrl(deps, "reset-password", token),
  );
  void sendMailQuietly(deps, mail);
}

/** What a reset link's page shows: the form, or why there is none. */
export function openPasswordReset(deps: Deps, token: string): Promise<OpenedLink> {
  return openAccountLink(deps, deps.db, "password_reset", token);
}

/**
 * Sets the password a reset link was sent for, once, and signs the account out everywhere:
 * whoever knew the old password, or held a session, is out. Failed sign-ins from `client`
 * are forgotten, so that the owner can sign in with the new password at once.
 */
export async function resetPassword(
  deps: Deps,
  token: string,
  password: string,
  client: string,
): Promise<OpenedLink> {
  const opened = await openPasswordReset(deps, token);
  if (opened.status !== "valid") return opened;
  const { account, link } = opened;
  assertStrongPassword(deps, password, { ...account, email: account.email ?? "" });
  const passwordHash = await hashPassword(password);
  const reset = await deps.db.transaction(async (tx) => {
    if (!(await spendAccountLink(tx, link))) return false;
    await replacePassword(tx, account.id, passwordHash);
    return true;
  });
  if (!reset) return { status: "used" };
  await forgetFailedSignIns(deps, signInSubjectOf(account.id), client);
  return opened;
}
