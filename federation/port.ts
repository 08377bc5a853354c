import { Group } from "@fedify/vocab";
import type { Deps } from "../server/deps.ts";
import { mayFederateWith } from "../server/services/domains.ts";
import type { FederationPort } from "../server/services/federation-port.ts";
import type { PraxisFederation } from "./index.ts";
import { lookupActor } from "./lookup.ts";
import { enqueueMessages } from "./queue.ts";
import { rememberCommunity } from "./remote-actors.ts";
import type { PraxisQueues } from "./workers.ts";

/** Federation as the services see it: look-ups of remote communities and outgoing changes. */
export function federationPort(
  federation: PraxisFederation,
  deps: Deps,
  queues: PraxisQueues,
): FederationPort {
  const context = () =>
    federation.createContext(deps.config.publicUrl, { deps, viewer: async () => null });
  return {
    async resolveCommunity(slug, domain) {
      if (!(await mayFederateWith(deps, domain))) return null;
      const actor = await lookupActor(context(), slug, domain);
      return actor instanceof Group ? rememberCommunity(deps, actor) : null;
    },
    // Into the change's own transaction: it reaches other servers if, and only if, it commits.
    publish: (tx, event) => enqueueMessages(tx, queues.events.name, [event]),
  };
}
