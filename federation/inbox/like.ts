import type { InboxContext } from "@fedify/fedify";
import { Like, type Undo } from "@fedify/vocab";
import { receiveLike } from "../../server/services/replicas.ts";
import type { FederationContext } from "../context.ts";
import { rememberAccount } from "../remote-actors.ts";

type Ctx = InboxContext<FederationContext>;

async function setLike(ctx: Ctx, like: Like, liked: boolean) {
  if (!like.objectId || !like.actorId) return;
  const actor = await like.getActor(ctx);
  const liker = actor ? await rememberAccount(ctx.data.deps, actor) : null;
  if (liker?.uri === like.actorId.href) {
    await receiveLike(ctx.data.deps, liker, like.objectId.href, liked);
  }
}

export const onLike = (ctx: Ctx, like: Like) => setLike(ctx, like, true);

/** Undoing a Like withdraws it; only its own actor may. */
export async function onUndoLike(ctx: Ctx, undo: Undo): Promise<void> {
  const like = await undo.getObject(ctx);
  if (like instanceof Like && like.actorId?.href === undo.actorId?.href) {
    await setLike(ctx, like, false);
  }
}

/** A like or its withdrawal, relayed by the community it happened in. */
export async function likeRelayed(ctx: Ctx, activity: Like | Undo): Promise<void> {
  if (activity instanceof Like) await setLike(ctx, activity, true);
  else await onUndoLike(ctx, activity);
}
