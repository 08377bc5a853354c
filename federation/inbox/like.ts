import type { InboxContext } from "@fedify/fedify";
import { Like, type Undo } from "@fedify/vocab";
import type { Community } from "../../db/schema/communities.ts";
import { receiveLike } from "../../server/services/replicas.ts";
import type { FederationContext } from "../context.ts";
import { rememberAccount } from "../remote-actors.ts";
import { ignore } from "./ignored.ts";

type Ctx = InboxContext<FederationContext>;

async function setLike(ctx: Ctx, like: Like, liked: boolean) {
  if (!like.objectId || !like.actorId) return ignore(like, "it names no actor or nothing liked");
  const actor = await like.getActor(ctx);
  const liker = actor ? await rememberAccount(ctx.data.deps, actor) : null;
  if (liker?.uri !== like.actorId.href) {
    return ignore(like, "its actor is no person who could be a member");
  }
  await receiveLike(ctx.data.deps, liker, like.objectId.href, liked);
}

export const onLike = (ctx: Ctx, like: Like) => setLike(ctx, like, true);

/** Undoing a Like withdraws it; only its own actor may. */
export async function onUndoLike(ctx: Ctx, undo: Undo): Promise<void> {
  const like = await undo.getObject(ctx);
  if (like instanceof Like && like.actorId?.href === undo.actorId?.href) {
    await setLike(ctx, like, false);
  } else {
    ignore(undo, "only its own actor's like is withdrawn");
  }
}

/**
 * The relayed activity itself, when it can be believed: a community's server answers for
 * its own people; anyone else's like is fetched from where its actor lives (through the
 * strict document loader: same origin, id as fetched) and must say the same.
 */
async function believedRelay<T extends Like | Undo>(
  ctx: Ctx,
  activity: T,
  community: Community,
): Promise<T | null> {
  const actor = activity.actorId;
  if (!actor || !activity.id) {
    ignore(activity, `relayed by ${community.uri} without an id or an actor`);
    return null;
  }
  if (community.uri && actor.origin === new URL(community.uri).origin) return activity;
  if (activity.id.origin !== actor.origin) {
    ignore(activity, `relayed by ${community.uri}, and not from its actor's server`);
    return null;
  }
  const fetched = await ctx.lookupObject(activity.id, ctx).catch(() => null);
  const same =
    fetched?.constructor === activity.constructor &&
    (fetched as Like | Undo).actorId?.href === actor.href &&
    (fetched as Like | Undo).objectId?.href === activity.objectId?.href;
  if (!same) {
    ignore(activity, `relayed by ${community.uri}, and its own server does not confirm it`);
    return null;
  }
  return activity;
}

/** A like or its withdrawal, relayed by the community it happened in. */
export async function likeRelayed(ctx: Ctx, activity: Like | Undo, community: Community) {
  const believed = await believedRelay(ctx, activity, community);
  if (believed instanceof Like) await setLike(ctx, believed, true);
  else if (believed) await onUndoLike(ctx, believed);
}
