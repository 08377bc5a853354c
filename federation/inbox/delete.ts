import type { InboxContext } from "@fedify/fedify";
import type { Delete } from "@fedify/vocab";
import type { Community } from "../../db/schema/communities.ts";
import { removeWriting } from "../../server/services/replicas.ts";
import { buryObject } from "../../server/services/tombstones.ts";
import type { FederationContext } from "../context.ts";
import { findRemoteAccount } from "../remote-actors.ts";
import { ignore } from "./ignored.ts";

type Ctx = InboxContext<FederationContext>;

/**
 * Who answers for an object from elsewhere staying deleted, even if it has not arrived yet:
 * the community relaying the Delete (it moderates what it relays), or else the Delete's
 * actor when it lives on the object's own server. Anyone else could bury what is not theirs.
 */
function deleterOf(ctx: Ctx, deletion: Delete, objectId: URL, relayedBy: Community | null) {
  // What this server wrote is never received from elsewhere: nothing to keep out.
  if (objectId.origin === ctx.origin) return null;
  if (relayedBy) return relayedBy.uri;
  return deletion.actorId?.origin === objectId.origin ? deletion.actorId.href : null;
}

async function remove(ctx: Ctx, deletion: Delete, relayedBy: Community | null) {
  const objectId = deletion.objectId;
  if (!deletion.actorId || !objectId) {
    return ignore(deletion, "it names no actor or nothing deleted");
  }
  // What this server wrote goes only when its author did it here, or its community says so.
  if (objectId.origin === ctx.origin && !relayedBy) {
    return ignore(deletion, "what was written here is deleted here");
  }
  const deleter = deleterOf(ctx, deletion, objectId, relayedBy);
  if (deleter) await buryObject(ctx.data.deps, objectId.href, deleter);
  const actor = await findRemoteAccount(ctx.data.deps, deletion.actorId.href);
  if (actor) await removeWriting(ctx.data.deps, actor, objectId.href, relayedBy);
  else if (!deleter) ignore(deletion, "its actor is not known here and may not bury what it names");
}

/** An author on another server deleted what they wrote. */
export const onDelete = (ctx: Ctx, deletion: Delete) => remove(ctx, deletion, null);

/** A community elsewhere says a post or reply is gone (its author or its moderators). */
export const removeRelayed = (ctx: Ctx, deletion: Delete, community: Community) =>
  remove(ctx, deletion, community);
