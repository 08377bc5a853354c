import { and, eq, or, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../../db/index.ts";
import { type Account, accounts, type ProfileAudience } from "../../db/schema/accounts.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import {
  assertSignInNotPaused,
  forgetFailedSignIns,
  recordFailedSignIn,
} from "../limits/sign-in-lockout.ts";
import { composeMail } from "../mail/compose.ts";
import { afterCursor, cursorOrder, type Page, type PageRequest, toPage } from "../pagination.ts";
import { recordDecision } from "./audit.ts";
import { effectiveRegistrationMode } from "./instance-settings.ts";
import { redeemInvitationForRegistration } from "./invitations.ts";
import { sendMailQuietly } from "./mail.ts";
import { claimName, localAccountNamed } from "./names.ts";
import { assertStrongPassword, hashPassword, verifyPassword } from "./passwords.ts";
import { isInstanceAdmin } from "./privacy.ts";
import { closeOtherSessions, type Session } from "./sessions.ts";

export interface Registration
  extends Partial<Pick<Account, "bio" | "languages" | "expertise" | "resourcePerson">> {
  username: string;
  email: string;
  password: string;
  displayName?: string | undefined;
  locale?: string | undefined;
  profession?: string | undefined;
  country?: string | undefined;
  organisation?: string | undefined;
  profileAudience?: ProfileAudience | undefined;
  invitation?: string | undefined;
}

export type ProfileChanges = Partial<
  Pick<
    Account,
    | "displayName"
    | "locale"
    | "profession"
    | "country"
    | "organisation"
    | "emailNotifications"
    | "profileAudience"
    | "bio"
    | "languages"
    | "expertise"
    | "resourcePerson"
  >
>;

/** Whom failed sign-ins of an account are counted against, whichever login named it. */
export const signInSubjectOf = (accountId: string) => `account:${accountId}`;

function byLogin(login: string): SQL | undefined {
  return or(localAccountNamed(login), sql`lower(${accounts.email}) = lower(${login})`);
}

/**
 * Creates an account. The first account of an instance becomes its administrator;
 * later ones follow the registration mode (open, approval, or invitation only).
 */
export async function registerAccount(deps: Deps, input: Registration): Promise<Account> {
  assertStrongPassword(deps, input.password, input);
  const passwordHash = await hashPassword(input.password);
  return deps.db.transaction(async (tx) => {
    // Serialises registrations so that exactly one account can be the first.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('praxis.registration'))`);
    const isFirst = (await tx.$count(accounts)) === 0;
    const mode = await effectiveRegistrationMode(deps, tx);
    if (!isFirst && mode === "invite" && !input.invitation) {
      throw new DomainError("registration_closed");
    }
    const [account] = await tx
      .insert(accounts)
      .values({
        username: input.username,
        email: input.email,
        passwordHash,
        displayName: input.displayName ?? input.username,
        locale: input.locale ?? "en",
        profession: input.profession ?? "",
        country: input.country ?? "",
        organisation: input.organisation ?? "",
        ...(input.profileAudience ? { profileAudience: input.profileAudience } : {}),
        bio: input.bio ?? "",
        languages: input.languages ?? [],
        expertise: input.expertise ?? [],
        resourcePerson: input.resourcePerson ?? false,
        isAdmin: isFirst,
        state: isFirst || mode !== "approval" || input.invitation ? "active" : "pending",
      })
      .onConflictDoNothing()
      .returning();
    if (!account) {
      const [sameName] = await tx
        .select({ id: accounts.id })
        .from(accounts)
        .where(localAccountNamed(input.username));
      throw sameName
        ? new DomainError("name_taken", { name: input.username })
        : new DomainError("email_taken");
    }
    await claimName(tx, account.username, { accountId: account.id });
    if (input.invitation && !isFirst)
      await redeemInvitationForRegistration(tx, deps, input.invitation, account);
    return account;
  });
}

/**
 * The account behind a username-or-email and password, if it may sign in. `client` names
 * who is asking (their address): failures in a row from one client pause its sign-ins.
 */
export async function authenticate(
  deps: Deps,
  login: string,
  password: string,
  client: string,
): Promise<Account> {
  const [account] = await deps.db.select().from(accounts).where(byLogin(login)).limit(1);
  // Both spellings of one account (name, e-mail) share its failures; unknown logins their own.
  const who = account ? signInSubjectOf(account.id) : `login:${login.toLowerCase()}`;
  await assertSignInNotPaused(deps, who, client);
  const valid = await passwordMatches(account, password);
  if (!account || !valid) {
    await recordFailedSignIn(deps, who, client);
    throw new DomainError("invalid_credentials");
  }
  await forgetFailedSignIns(deps, who, client);
  assertMaySignIn(account);
  return account;
}

let dummy: Promise<string> | undefined;
function dummyHash(): Promise<string> {
  dummy ??= hashPassword("not a real password, only a timing shield");
  return dummy;
}

/**
 * Whether `password` is the account's. Without an account, or one with no password (a
 * deleted one), it is checked against a throwaway hash, so that those answers take as long
 * as a wrong password, and never match, whatever is typed.
 */
async function passwordMatches(account: Account | undefined, password: string): Promise<boolean> {
  if (account?.passwordHash) return verifyPassword(account.passwordHash, password);
  await verifyPassword(await dummyHash(), password);
  return false;
}

/**
 * Refuses a change to a signed-in account unless its owner typed its password again. Wrong
 * ones count as failed sign-ins of the account from `client`, so that a stolen session
 * cannot be used to guess the password either.
 */
export async function confirmPassword(
  deps: Deps,
  account: Account,
  password: string,
  client: string,
): Promise<void> {
  const who = signInSubjectOf(account.id);
  await assertSignInNotPaused(deps, who, client);
  if (!(await passwordMatches(account, password))) {
    await recordFailedSignIn(deps, who, client);
    throw new DomainError("wrong_password");
  }
  await forgetFailedSignIns(deps, who, client);
}

/** Sets a new password, already checked for strength, and signs out every device but `keepSession`. */
export async function replacePassword(
  db: Executor,
  accountId: string,
  passwordHash: string,
  keepSession?: string,
): Promise<void> {
  await db
    .update(accounts)
    .set({ passwordHash, updatedAt: new Date() })
    .where(eq(accounts.id, accountId));
  await closeOtherSessions(db, accountId, keepSession);
}

/** The signed-in person changes their password; the session they do it from stays. */
export async function changePassword(
  deps: Deps,
  session: Session,
  change: { current: string; password: string },
  client: string,
): Promise<void> {
  const { account } = session;
  await confirmPassword(deps, account, change.current, client);
  assertStrongPassword(deps, change.password, { ...account, email: account.email ?? "" });
  const passwordHash = await hashPassword(change.password);
  await deps.db.transaction((tx) => replacePassword(tx, account.id, passwordHash, session.id));
}

export function assertMaySignIn(account: Account): void {
  if (account.state === "pending") throw new DomainError("account_pending");
  if (account.state === "rejected") throw new DomainError("account_rejected");
  if (account.state === "suspended") throw new DomainError("account_suspended");
}

export async function updateProfile(
  deps: Deps,
  accountId: string,
  changes: ProfileChanges,
): Promise<Account> {
  const [account] = await deps.db
    .update(accounts)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(accounts.id, accountId))
    .returning();
  if (!account) throw new DomainError("account_not_found");
  return account;
}

export async function findAccountByUsername(
  deps: Deps,
  username: string,
): Promise<Account | undefined> {
  const [account] = await deps.db.select().from(accounts).where(localAccountNamed(username));
  return account;
}

export function assertInstanceAdmin(viewer: Account): void {
  if (!isInstanceAdmin(viewer)) throw new DomainError("admin_only");
}

/** Accounts waiting for (or refused) the instance administrator's approval, oldest first. */
export async function listAccountsByState(
  deps: Deps,
  viewer: Account,
  state: Account["state"],
  page: PageRequest,
): Promise<Page<Account>> {
  assertInstanceAdmin(viewer);
  const rows = await deps.db
    .select()
    .from(accounts)
    .where(
      and(
        eq(accounts.state, state),
        afterCursor(accounts.createdAt, accounts.id, page.cursor, "oldest"),
      ),
    )
    .orderBy(...cursorOrder(accounts.createdAt, accounts.id, "oldest"))
    .limit(page.limit + 1);
  return toPage(rows, page.limit, (account) => account);
}

export async function decideRegistration(
  deps: Deps,
  viewer: Account,
  accountId: string,
  decision: "approve" | "reject",
): Promise<Account> {
  assertInstanceAdmin(viewer);
  const account = await deps.db.transaction(async (tx) => {
    const [decided] = await tx
      .update(accounts)
      .set({ state: decision === "approve" ? "active" : "rejected", updatedAt: new Date() })
      .where(and(eq(accounts.id, accountId), eq(accounts.state, "pending")))
      .returning();
    if (!decided) {
      const [existing] = await tx.select().from(accounts).where(eq(accounts.id, accountId));
      throw new DomainError(existing ? "already_decided" : "account_not_found");
    }
    await recordDecision(tx, {
      communityId: null,
      actorId: viewer.id,
      action: decision === "approve" ? "registration_approved" : "registration_rejected",
      targetAccountId: decided.id,
    });
    return decided;
  });
  if (decision === "approve") {
    await sendMailQuietly(
      deps,
      composeMail(
        "account_approved",
        account,
        { name: account.displayName, instance: deps.config.publicUrl.host },
        deps.config.publicUrl.href,
      ),
    );
  }
  return account;
}
