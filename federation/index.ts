import { createFederation, type Federation, type KvStore } from "@fedify/fedify";
import type { Deps } from "../server/deps.ts";
import { actorPathTemplate } from "../server/urls.ts";
import { registerActors } from "./actors.ts";
import type { FederationContext } from "./context.ts";
import { registerNodeInfo } from "./nodeinfo.ts";

export type PraxisFederation = Federation<FederationContext>;

export function createPraxisFederation(deps: Deps, kv: KvStore): PraxisFederation {
  const federation = createFederation<FederationContext>({
    kv,
    origin: deps.config.publicUrl.origin,
    allowPrivateAddress: deps.config.allowPrivateAddresses,
    userAgent: { software: "Praxis", url: deps.config.publicUrl },
  });
  registerActors(federation);
  registerNodeInfo(federation);
  federation.setInboxListeners(`${actorPathTemplate}/inbox`, "/inbox");
  return federation;
}
