import { createFederation, type Federation, type KvStore } from "@fedify/fedify";
import {
  Accept,
  Activity,
  Announce,
  Block,
  Create,
  Delete,
  Flag,
  Follow,
  Invite,
  Join,
  Leave,
  Like,
  Reject,
  Undo,
  Update,
} from "@fedify/vocab";
import type { Deps } from "../server/deps.ts";
import { actorPathTemplate } from "../server/urls.ts";
import { registerActors } from "./actors.ts";
import { registerCollections } from "./collections.ts";
import type { FederationContext } from "./context.ts";
import { deliveryRetryPolicy } from "./delivery.ts";
import { registerDirectory } from "./directory.ts";
import { registerGroupCollections } from "./group-collections.ts";
import { isSelfUpdate, onActorUpdate } from "./inbox/actor-update.ts";
import { onAnnounce } from "./inbox/announce.ts";
import { onBlock, onUndoBlock } from "./inbox/block.ts";
import { onDelete } from "./inbox/delete.ts";
import { onFlag } from "./inbox/flag.ts";
import { onAccept, onFollow, onLeave, onReject, onUndoFollow } from "./inbox/follow.ts";
import { ignore, onOtherActivity, settled } from "./inbox/ignored.ts";
import { onInvite } from "./inbox/invite.ts";
import { onLike, onUndoLike } from "./inbox/like.ts";
import { onCreate, onUpdate } from "./inbox/writing.ts";
import { loaders } from "./loaders.ts";
import { registerNodeInfo } from "./nodeinfo.ts";
import { registerObjects } from "./objects.ts";
import { federationPort } from "./port.ts";
import type { PraxisQueues } from "./workers.ts";

export type PraxisFederation = Federation<FederationContext>;

/**
 * Federation for this server. Whichever process serves the web only enqueues: incoming
 * activities, deliveries and domain changes wait in PostgreSQL for a worker
 * (`startFederationWorkers`), which may be the same process (role `all`).
 */
export function createPraxisFederation(
  deps: Deps,
  kv: KvStore,
  queues: PraxisQueues,
): PraxisFederation {
  const federation = createFederation<FederationContext>({
    kv,
    queue: { inbox: queues.inbox, outbox: queues.outbox, fanout: queues.fanout },
    manuallyStartQueue: true,
    outboxRetryPolicy: deliveryRetryPolicy,
    origin: deps.config.publicUrl.origin,
    ...loaders(deps, kv),
  });
  registerActors(federation);
  registerCollections(federation);
  registerGroupCollections(federation);
  registerObjects(federation);
  registerNodeInfo(federation);
  registerDirectory(federation);
  federation
    .setInboxListeners(`${actorPathTemplate}/inbox`, "/inbox")
    .on(Follow, settled(onFollow))
    .on(Join, settled(onFollow))
    .on(Leave, settled(onLeave))
    .on(
      Undo,
      settled(async (ctx, undo) => {
        const undone = await undo.getObject(ctx);
        if (undone instanceof Follow) await onUndoFollow(ctx, undo);
        else if (undone instanceof Like) await onUndoLike(ctx, undo);
        else if (undone instanceof Block) await onUndoBlock(ctx, undo);
        else ignore(undo, "only a follow, a like or a block is undone here");
      }),
    )
    .on(Accept, settled(onAccept))
    .on(Reject, settled(onReject))
    .on(Create, settled(onCreate))
    .on(
      Update,
      settled((ctx, update) =>
        isSelfUpdate(update) ? onActorUpdate(ctx, update) : onUpdate(ctx, update),
      ),
    )
    .on(Delete, settled(onDelete))
    .on(Like, settled(onLike))
    .on(Flag, settled(onFlag))
    .on(Block, settled(onBlock))
    .on(Announce, settled(onAnnounce))
    .on(Invite, settled(onInvite))
    // Fedify hands an activity to the listener of its closest class: this one gets the rest.
    .on(Activity, onOtherActivity);
  deps.federation = federationPort(federation, deps, queues);
  return federation;
}
