import { eq } from "drizzle-orm";
import type { Executor } from "../../db/index.ts";
import { type Account, accounts } from "../../db/schema/accounts.ts";
import { DomainError } from "../errors.ts";
import { assertInstanceAdmin } from "./accounts.ts";
import { recordDecision } from "./audit.ts";
import { closeOtherSessions } from "./sessions.ts";

/**
 * The instance administrator suspends an account: it can no longer sign in, its sessions end
 * at once, and the decision is kept, with its reason, in the instance's log (the whole instance is
 * concerned) and in the log of the community it came up in.
 */
export async function suspendAccount(
  tx: Executor,
  viewer: Account,
  accountId: string,
  context: { communityId: string; reason: string },
): Promise<void> {
  assertInstanceAdmin(viewer);
  if (accountId === viewer.id) throw new DomainError("cannot_manage_self");
  await tx.update(accounts).set({ state: "suspended" }).where(eq(accounts.id, accountId));
  await closeOtherSessions(tx, accountId);
  const decision = {
    actorId: viewer.id,
    action: "account_suspended",
    targetAccountId: accountId,
    details: { reason: context.reason },
  } as const;
  for (const communityId of [null, context.communityId]) {
    await recordDecision(tx, { ...decision, communityId });
  }
}
