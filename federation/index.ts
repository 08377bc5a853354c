import {
  createFederation,
  type Federation,
  InProcessMessageQueue,
  type KvStore,
} from "@fedify/fedify";
import { Accept, Announce, Create, Follow, Reject, Undo } from "@fedify/vocab";
import type { Deps } from "../server/deps.ts";
import { actorPathTemplate } from "../server/urls.ts";
import { registerActors } from "./actors.ts";
import { registerCollections } from "./collections.ts";
import type { FederationContext } from "./context.ts";
import { onAnnounce, onCreate } from "./inbox/create.ts";
import { onAccept, onFollow, onReject, onUndoFollow } from "./inbox/follow.ts";
import { registerNodeInfo } from "./nodeinfo.ts";
import { registerObjects } from "./objects.ts";
import { federationPort } from "./port.ts";

export type PraxisFederation = Federation<FederationContext>;

export function createPraxisFederation(deps: Deps, kv: KvStore): PraxisFederation {
  const federation = createFederation<FederationContext>({
    kv,
    queue: new InProcessMessageQueue(),
    origin: deps.config.publicUrl.origin,
    allowPrivateAddress: deps.config.allowPrivateAddresses,
    userAgent: { software: "Praxis", url: deps.config.publicUrl },
  });
  registerActors(federation);
  registerCollections(federation);
  registerObjects(federation);
  registerNodeInfo(federation);
  federation
    .setInboxListeners(`${actorPathTemplate}/inbox`, "/inbox")
    .on(Follow, onFollow)
    .on(Undo, async (ctx, undo) => {
      if ((await undo.getObject(ctx)) instanceof Follow) await onUndoFollow(ctx, undo);
    })
    .on(Accept, onAccept)
    .on(Reject, onReject)
    .on(Create, onCreate)
    .on(Announce, onAnnounce);
  deps.federation = federationPort(federation, deps);
  return federation;
}
