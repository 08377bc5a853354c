import { Group } from "@fedify/vocab";
import type { Deps } from "../server/deps.ts";
import { mayFederateWith } from "../server/services/domains.ts";
import type { FederationPort } from "../server/services/federation-port.ts";
import type { PraxisFederation } from "./index.ts";
import { lookupActor } from "./lookup.ts";
import { publishEvent } from "./outbox.ts";
import { rememberCommunity } from "./remote-actors.ts";

/** Federation as the services see it: look-ups of remote communities and outgoing changes. */
export function federationPort(federation: PraxisFederation, deps: Deps): FederationPort {
  const context = () =>
    federation.createContext(deps.config.publicUrl, { deps, viewer: async () => null });
  return {
    async resolveCommunity(slug, domain) {
      if (!(await mayFederateWith(deps, domain))) return null;
      const actor = await lookupActor(context(), slug, domain);
      return actor instanceof Group ? rememberCommunity(deps, actor) : null;
    },
    publish: (tx, event) => publishEvent(context(), tx, event),
  };
}
