import type { Context, RequestContext } from "@fedify/fedify";
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

/**
 * A hidden community exists only for the members who may read it: for anyone else its
 * actor, collections and objects answer as a name or id nobody holds does (404), never with
 * a refusal (401) that would tell them it is there.
 */
export async function isHiddenFrom(ctx: Ctx, community: Community): Promise<boolean> {
  return community.hidden && !(await maySeeMembersOnly(ctx, community));
}

/** Fedify reads a community's followers to answer a request, and also to deliver to them. */
function answersRequest(ctx: Context<FederationContext>): ctx is Ctx {
  return "request" in ctx && ctx.request instanceof Request;
}

/**
 * The local community whose collection is asked for, or null when there is none as far as
 * the requester may know. A delivery to the followers is asked for by no one: it reaches
 * the members of a hidden community too.
 */
export async function communityAskedFor(
  ctx: Context<FederationContext>,
  identifier: string,
): Promise<Community | null> {
  const community = await localCommunityCalled(ctx.data.deps, identifier);
  if (!community || !answersRequest(ctx)) return community;
  return (await isHiddenFrom(ctx, community)) ? null : community;
}

/**
 * Members-only collections answer only members' signed requests. Names that are no
 * community, or a community hidden from the requester, never get here: their dispatchers
 * answer 404 first.
 */
export async function mayReadCollections(ctx: Ctx, identifier: string): Promise<boolean> {
  const community = await localCommunityCalled(ctx.data.deps, identifier);
  return community !== null && maySeeMembersOnly(ctx, community);
}
