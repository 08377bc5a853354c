import type { Context, RequestContext } from "@fedify/fedify";
import type { Account } from "../db/schema/accounts.ts";
import type { Community } from "../db/schema/communities.ts";
import type { FileDetails } from "../db/schema/files.ts";
import { relationOf } from "../server/services/communities.ts";
import { isInvitedByHandle } from "../server/services/membership.ts";
import {
  canReadContent,
  canReadFile,
  canSeeCommunity,
  type Relation,
} from "../server/services/privacy.ts";
import type { FederationContext } from "./context.ts";
import { localCommunityCalled } from "./names.ts";
import { findRemoteAccount } from "./remote-actors.ts";

type Ctx = RequestContext<FederationContext>;

/**
 * Whether the signer of the request passes `rule` in `community`, per person rather than per
 * server. What anyone passes is answered without looking at the signature.
 */
async function signerPasses(
  ctx: Ctx,
  community: Community,
  rule: (relation: Relation) => boolean,
): Promise<boolean> {
  if (rule(null)) return true;
  const account = await signingAccount(ctx);
  return account !== null && rule(await relationOf(ctx.data.deps.db, community.id, account.id));
}

/** The person on another server who signed the request, as kept here; null for anyone else. */
export async function signingAccount(ctx: Ctx): Promise<Account | null> {
  const signer = await ctx.getSignedKeyOwner();
  return signer?.id ? findRemoteAccount(ctx.data.deps, signer.id.href) : null;
}

/** Members-only content and member lists answer only requests signed by those who may read them. */
export function maySeeMembersOnly(ctx: Ctx, community: Community): Promise<boolean> {
  return signerPasses(ctx, community, (relation) => canReadContent(community, relation));
}

/** A post, and a file marked private even in an open community, for those who may read it. */
export function mayReadFile(
  ctx: Ctx,
  community: Community,
  file: FileDetails | null,
): Promise<boolean> {
  return signerPasses(ctx, community, (relation) => canReadFile(community, file, relation));
}

/**
 * Whether the signer goes by a handle the community invited before this server knew them (no
 * server answered for it then): their own server's document names them so. A namesake kept
 * here without the handle is not who was invited.
 */
async function signerInvitedByHandle(ctx: Ctx, community: Community): Promise<boolean> {
  const signer = await ctx.getSignedKeyOwner();
  if (!signer?.id || !signer.preferredUsername) return false;
  const kept = await findRemoteAccount(ctx.data.deps, signer.id.href);
  if (kept && !kept.holdsHandle) return false;
  const handle = `${signer.preferredUsername.toString()}@${signer.id.host}`;
  return isInvitedByHandle(ctx.data.deps.db, community, handle);
}

/**
 * A hidden community exists only for the people it knows of, the people it invited by handle
 * among them: for anyone else its actor, collections and objects answer as a name or id
 * nobody holds does (404), never with a refusal (401) that would tell them it is there.
 */
export async function isHiddenFrom(ctx: Ctx, community: Community): Promise<boolean> {
  if (await signerPasses(ctx, community, (relation) => canSeeCommunity(community, relation))) {
    return false;
  }
  return !(await signerInvitedByHandle(ctx, community));
}

/** Fedify reads a community's followers to answer a request, and also to deliver to them. */
export function answersRequest(ctx: Context<FederationContext>): ctx is Ctx {
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
