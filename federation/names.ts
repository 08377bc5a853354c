import { eq, sql } from "drizzle-orm";
import type { Executor } from "../db/index.ts";
import { preparedFor } from "../db/prepared.ts";
import { type Account, accounts } from "../db/schema/accounts.ts";
import { type Community, communities } from "../db/schema/communities.ts";
import { actorNames } from "../db/schema/names.ts";
import type { Deps } from "../server/deps.ts";
import { findNameOwner } from "../server/services/names.ts";

export async function localCommunityById(db: Executor, id: string): Promise<Community | null> {
  const [community] = await db.select().from(communities).where(eq(communities.id, id));
  return community ?? null;
}

/**
 * A community's row by its actor name, in one prepared statement: an activity to or from a
 * community asks for it several times (its inbox, its audience, its followers, its keys).
 */
const communityCalled = preparedFor((db) =>
  db
    .select({ community: communities })
    .from(actorNames)
    .innerJoin(communities, eq(communities.id, actorNames.communityId))
    .where(eq(actorNames.name, sql.placeholder("name")))
    .prepare("local_community_called"),
);

/** The local community an actor identifier names, whoever asks (no visibility check). */
export async function localCommunityCalled(
  deps: Deps,
  identifier: string,
): Promise<Community | null> {
  const [row] = await communityCalled(deps.db).execute({ name: identifier.toLowerCase() });
  return row?.community ?? null;
}

/** The local account an actor identifier names. */
export async function localAccountCalled(deps: Deps, identifier: string): Promise<Account | null> {
  const owner = await findNameOwner(deps.db, identifier);
  if (!owner?.accountId) return null;
  const [account] = await deps.db.select().from(accounts).where(eq(accounts.id, owner.accountId));
  return account ?? null;
}
