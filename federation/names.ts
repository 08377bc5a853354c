import { eq } from "drizzle-orm";
import type { Executor } from "../db/index.ts";
import { type Account, accounts } from "../db/schema/accounts.ts";
import { type Community, communities } from "../db/schema/communities.ts";
import type { Deps } from "../server/deps.ts";
import { findNameOwner } from "../server/services/names.ts";

export async function localCommunityById(db: Executor, id: string): Promise<Community | null> {
  const [community] = await db.select().from(communities).where(eq(communities.id, id));
  return community ?? null;
}

/** The local community an actor identifier names, whoever asks (no visibility check). */
export async function localCommunityCalled(
  deps: Deps,
  identifier: string,
): Promise<Community | null> {
  const owner = await findNameOwner(deps.db, identifier);
  return owner?.communityId ? localCommunityById(deps.db, owner.communityId) : null;
}

/** The local account an actor identifier names. */
export async function localAccountCalled(deps: Deps, identifier: string): Promise<Account | null> {
  const owner = await findNameOwner(deps.db, identifier);
  if (!owner?.accountId) return null;
  const [account] = await deps.db.select().from(accounts).where(eq(accounts.id, owner.accountId));
  return account ?? null;
}
