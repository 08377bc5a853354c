import { eq, sql } from "drizzle-orm";
import type { Executor } from "../db/index.ts";
import { preparedFor } from "../db/prepared.ts";
import { type Account, accounts } from "../db/schema/accounts.ts";
import { type Community, communities } from "../db/schema/communities.ts";
import { actorNames } from "../db/schema/names.ts";
import type { Deps } from "../server/deps.ts";

export async function localCommunityById(db: Executor, id: string): Promise<Community | null> {
  const [community] = await db.select().from(communities).where(eq(communities.id, id));
  return community ?? null;
}

/**
 * The local account or community an actor name stands for, in one prepared statement: an
 * activity to or from a community asks several times (its inbox, its audience, its
 * followers, its actor), and a person's inbox as often.
 */
const actorCalled = preparedFor((db) =>
  db
    .select({ account: accounts, community: communities })
    .from(actorNames)
    .leftJoin(accounts, eq(accounts.id, actorNames.accountId))
    .leftJoin(communities, eq(communities.id, actorNames.communityId))
    .where(eq(actorNames.name, sql.placeholder("name")))
    .prepare("local_actor_called"),
);

/** The local account or community an actor identifier names, whoever asks (no visibility check). */
export async function localActorCalled(
  deps: Deps,
  identifier: string,
): Promise<{ account: Account | null; community: Community | null }> {
  const [row] = await actorCalled(deps.db).execute({ name: identifier.toLowerCase() });
  return { account: row?.account ?? null, community: row?.community ?? null };
}

/** The local community an actor identifier names, whoever asks (no visibility check). */
export async function localCommunityCalled(
  deps: Deps,
  identifier: string,
): Promise<Community | null> {
  return (await localActorCalled(deps, identifier)).community;
}

/** The local account an actor identifier names. */
export async function localAccountCalled(deps: Deps, identifier: string): Promise<Account | null> {
  return (await localActorCalled(deps, identifier)).account;
}
