import { eq } from "drizzle-orm";
import { type Account, accounts } from "../../db/schema/accounts.ts";
import { type Community, communities } from "../../db/schema/communities.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { refOf } from "../urls.ts";
import { type CommunityView, parseRef, viewCommunity } from "./communities.ts";
import { mayFederateWith } from "./domains.ts";
import type { StoredActor } from "./federation-port.ts";
import { communityNamed, findNameOwner, remoteAccountNamed } from "./names.ts";

/** `@name@host` or `name@host`; the host keeps its port, as in refs. */
export const handlePattern = /^@?[\p{L}\p{N}_.-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::\d{1,5})?$/iu;

export type LookedUp =
  | { kind: "account"; account: Account }
  | { kind: "community"; view: CommunityView };

async function localActor(deps: Deps, name: string): Promise<StoredActor | null> {
  const owner = await findNameOwner(deps.db, name);
  if (owner?.accountId) {
    const [account] = await deps.db.select().from(accounts).where(eq(accounts.id, owner.accountId));
    return account ? { kind: "account", account } : null;
  }
  if (owner?.communityId) {
    const [community] = await deps.db
      .select()
      .from(communities)
      .where(eq(communities.id, owner.communityId));
    return community ? { kind: "community", community } : null;
  }
  return null;
}

/** A copy kept here answers at once; only a name never seen is asked of its server. */
async function remoteActor(deps: Deps, name: string, domain: string): Promise<StoredActor | null> {
  if (!(await mayFederateWith(deps, domain))) return null;
  const [account] = await deps.db.select().from(accounts).where(remoteAccountNamed(name, domain));
  if (account) return { kind: "account", account };
  const [community] = await deps.db.select().from(communities).where(communityNamed(name, domain));
  if (community) return { kind: "community", community };
  return deps.federation.resolveActor(name, domain);
}

/** The community as the viewer may see it; a hidden one answers as an unknown name does. */
async function visibleCommunity(
  deps: Deps,
  community: Community,
  viewer: Account | null,
): Promise<CommunityView | null> {
  try {
    return await viewCommunity(deps, refOf(community), viewer);
  } catch (error) {
    if (error instanceof DomainError && error.code === "community_not_found") return null;
    throw error;
  }
}

/**
 * The account or community a handle names, here or on another server (through WebFinger
 * the first time). Unknown names, servers that are down or refused, accounts that are not
 * active and hidden communities all answer alike: not found.
 */
export async function lookUpHandle(
  deps: Deps,
  handle: string,
  viewer: Account | null,
): Promise<LookedUp> {
  const { slug: name, domain } = parseRef(deps, handle.replace(/^@/, ""));
  const found =
    domain === null ? await localActor(deps, name) : await remoteActor(deps, name, domain);
  if (found?.kind === "account" && found.account.state === "active") return found;
  const view =
    found?.kind === "community" ? await visibleCommunity(deps, found.community, viewer) : null;
  if (view) return { kind: "community", view };
  throw new DomainError("not_found");
}
