import { eq } from "drizzle-orm";
import { type Account, accounts } from "../db/schema/accounts.ts";
import { type Community, communities } from "../db/schema/communities.ts";
import type { Deps } from "../server/deps.ts";
import { findNameOwner } from "../server/services/names.ts";

/** The local community an actor identifier names, whoever asks (no visibility check). */
export async function localCommunityCalled(
  deps: Deps,
  identifier: string,
): Promise<Community | null> {
  const owner = await findNameOwner(deps.db, identifier);
  if (!owner?.communityId) return null;
  const [community] = await deps.db
    .select()
    .from(communities)
    .where(eq(communities.id, owner.communityId));
  return community ?? null;
}

/** The local account an actor identifier names. */
export async function localAccountCalled(deps: Deps, identifier: string): Promise<Account | null> {
  const owner = await findNameOwner(deps.db, identifier);
  if (!owner?.accountId) return null;
  const [account] = await deps.db.select().from(accounts).where(eq(accounts.id, owner.accountId));
  return account ?? null;
}
