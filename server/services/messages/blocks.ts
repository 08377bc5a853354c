import { and, desc, eq } from "drizzle-orm";
import type { Executor } from "../../../db/index.ts";
import { type Account, accounts } from "../../../db/schema/accounts.ts";
import { blocks } from "../../../db/schema/messages.ts";
import type { Deps } from "../../deps.ts";
import { DomainError } from "../../errors.ts";
import { actorUrl } from "../../urls.ts";
import { lookUpHandle } from "../lookup.ts";
import { blocksBetween, mayMessage } from "../privacy.ts";

/** The person a handle names, here or elsewhere; a community or no one is refused. */
export async function personNamed(deps: Deps, handle: string, viewer: Account): Promise<Account> {
  const found = await lookUpHandle(deps, handle, viewer);
  if (found.kind !== "account") throw new DomainError("recipient_invalid", { handle });
  return found.account;
}

/** Refuses (403 `blocked`) when a block stands between the sender and any recipient. */
export async function assertNoBlockBetween(
  db: Executor,
  senderId: string,
  recipientIds: readonly string[],
): Promise<void> {
  const between = await db.select().from(blocks).where(blocksBetween(senderId, recipientIds));
  if (!mayMessage(senderId, recipientIds, between)) throw new DomainError("blocked");
}

/**
 * `blocker` blocks `blocked`: they can no longer message each other, and nothing of the blocked
 * person reaches the blocker. A person on another server hears of it as a Block, as Mastodon
 * sends one (app/services/block_service.rb), so that their server stops delivering to us.
 */
export async function blockPerson(deps: Deps, blocker: Account, handle: string): Promise<Account> {
  const blocked = await personNamed(deps, handle, blocker);
  if (blocked.id === blocker.id) throw new DomainError("recipient_invalid", { handle });
  await deps.db.transaction(async (tx) => {
    const uri = `${actorUrl(deps.config.publicUrl, blocker.username)}#blocks/${crypto.randomUUID()}`;
    const [added] = await tx
      .insert(blocks)
      .values({ blockerId: blocker.id, blockedId: blocked.id, uri })
      .onConflictDoNothing()
      .returning();
    if (added && blocked.domain) {
      await deps.federation.publish(tx, {
        type: "blocked",
        blockerId: blocker.id,
        blockedId: blocked.id,
        uri,
      });
    }
  });
  return blocked;
}

/** Ends `blocker`'s block of the person `handle` names, if there was one; an Undo tells their server. */
export async function unblockPerson(deps: Deps, blocker: Account, handle: string): Promise<void> {
  const blocked = await personNamed(deps, handle, blocker);
  await deps.db.transaction(async (tx) => {
    const [removed] = await tx
      .delete(blocks)
      .where(and(eq(blocks.blockerId, blocker.id), eq(blocks.blockedId, blocked.id)))
      .returning();
    if (removed?.uri && blocked.domain) {
      await deps.federation.publish(tx, {
        type: "unblocked",
        blockerId: blocker.id,
        blockedId: blocked.id,
        uri: removed.uri,
      });
    }
  });
}

/** The people `viewer` blocks, latest first. */
export async function listBlocks(deps: Deps, viewer: Account) {
  return deps.db
    .select({ account: accounts, since: blocks.createdAt })
    .from(blocks)
    .innerJoin(accounts, eq(accounts.id, blocks.blockedId))
    .where(eq(blocks.blockerId, viewer.id))
    .orderBy(desc(blocks.createdAt));
}

/** A person on another server blocked someone here (their `Block`, whose id is `uri`). */
export async function recordBlockFromElsewhere(
  db: Executor,
  blocker: Account,
  blocked: Account,
  uri: string,
): Promise<void> {
  await db
    .insert(blocks)
    .values({ blockerId: blocker.id, blockedId: blocked.id, uri })
    .onConflictDoNothing();
}

/** A person on another server undid their block of someone here. */
export async function removeBlockFromElsewhere(
  db: Executor,
  blocker: Account,
  blocked: Account,
): Promise<void> {
  await db
    .delete(blocks)
    .where(and(eq(blocks.blockerId, blocker.id), eq(blocks.blockedId, blocked.id)));
}
