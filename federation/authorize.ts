import type { RequestContext } from "@fedify/fedify";
import type { Community } from "../db/schema/communities.ts";
import { relationOf } from "../server/services/communities.ts";
import { isActive } from "../server/services/privacy.ts";
import type { FederationContext } from "./context.ts";
import { localCommunityCalled } from "./names.ts";
import { findRemoteAccount } from "./remote-actors.ts";

type Ctx = RequestContext<FederationContext>;

/**
 * Only an open community shows its members to anyone; for the others the request must be
 * signed by someone who is an active member, per person rather than per server.
 */
export async function maySeeMembersOnly(ctx: Ctx, community: Community): Promise<boolean> {
  if (community.privacy === "open" && !community.hidden) return true;
  const signer = await ctx.getSignedKeyOwner();
  const account = signer?.id ? await findRemoteAccount(ctx.data.deps, signer.id.href) : null;
  return account !== null && isActive(await relationOf(ctx.data.deps.db, community.id, account.id));
}

/** Members-only collections answer only members' signed requests; unknown names are 404. */
export async function mayReadCollections(ctx: Ctx, identifier: string): Promise<boolean> {
  const community = await localCommunityCalled(ctx.data.deps, identifier);
  return community === null || maySeeMembersOnly(ctx, community);
}
