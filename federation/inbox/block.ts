import type { InboxContext } from "@fedify/fedify";
import { Block, type Undo } from "@fedify/vocab";
import {
  recordBlockFromElsewhere,
  removeBlockFromElsewhere,
} from "../../server/services/messages/blocks.ts";
import type { FederationContext } from "../context.ts";
import { localAccountCalled } from "../names.ts";
import { rememberAccount } from "../remote-actors.ts";
import { ignore } from "./ignored.ts";

type Ctx = InboxContext<FederationContext>;

/** The person elsewhere who blocks, and the person here they block, or null (logged). */
async function partiesOf(ctx: Ctx, block: Block) {
  const route = block.objectId ? ctx.parseUri(block.objectId) : null;
  const blocked =
    route?.type === "actor" ? await localAccountCalled(ctx.data.deps, route.identifier) : null;
  if (!blocked) return ignore(block, "it blocks no one here");
  const actor = await block.getActor(ctx);
  const blocker = actor ? await rememberAccount(ctx.data.deps, actor) : null;
  if (!blocker?.domain || blocker.uri !== block.actorId?.href) {
    return ignore(block, "its actor is no person elsewhere");
  }
  return { blocker, blocked };
}

/**
 * A person elsewhere blocks someone here (Mastodon sends a Block to the blocked person's
 * server): from then on people here cannot message them.
 */
export async function onBlock(ctx: Ctx, block: Block): Promise<void> {
  const parties = await partiesOf(ctx, block);
  if (!parties || !block.id) return;
  await recordBlockFromElsewhere(ctx.data.deps.db, parties.blocker, parties.blocked, block.id.href);
}

/** Undoing a Block lifts it; only its own actor may. */
export async function onUndoBlock(ctx: Ctx, undo: Undo): Promise<void> {
  const block = await undo.getObject(ctx);
  if (!(block instanceof Block) || block.actorId?.href !== undo.actorId?.href) {
    return ignore(undo, "only its own actor's block is lifted");
  }
  const parties = await partiesOf(ctx, block);
  if (parties) await removeBlockFromElsewhere(ctx.data.deps.db, parties.blocker, parties.blocked);
}
