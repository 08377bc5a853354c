import { Group } from "@fedify/vocab";
import type { Deps } from "../server/deps.ts";
import { mayFederateWith } from "../server/services/domains.ts";
import type { FederationPort } from "../server/services/federation-port.ts";
import { refreshAccount, refreshCommunity } from "./actor-copies.ts";
import { readPartnerDirectory } from "./directory.ts";
import { orderingKeyOf } from "./event-order.ts";
import type { PraxisFederation } from "./index.ts";
import { lookupActor } from "./lookup.ts";
import { fetchFileAs, signerOf } from "./member-requests.ts";
import { enqueueMessages } from "./queue.ts";
import type { PraxisQueues } from "./workers.ts";

/** Federation as the services see it: look-ups of remote actors and outgoing changes. */
export function federationPort(
  federation: PraxisFederation,
  deps: Deps,
  queues: PraxisQueues,
): FederationPort {
  const context = () =>
    federation.createContext(deps.config.publicUrl, { deps, viewer: async () => null });
  const resolveActor: FederationPort["resolveActor"] = async (name, domain) => {
    if (!(await mayFederateWith(deps, domain))) return null;
    const ctx = context();
    const actor = await lookupActor(ctx, name, domain);
    // WebFinger may name an actor on another server: nothing of a refused one is kept.
    if (!actor?.id || !(await mayFederateWith(deps, actor.id.host))) return null;
    if (actor instanceof Group) {
      const community = await refreshCommunity(ctx, actor.id);
      return community && { kind: "community", community };
    }
    const account = await refreshAccount(ctx, actor.id);
    return account && { kind: "account", account };
  };
  return {
    resolveActor,
    async resolveCommunity(slug, domain) {
      const found = await resolveActor(slug, domain);
      return found?.kind === "community" ? found.community : null;
    },
    signerOf: (request) => signerOf(context(), request),
    fetchFileAs: (member, url) => fetchFileAs(context(), member, url),
    readDirectoryOf: (host) => readPartnerDirectory(context(), host),
    // Into the change's own transaction: it reaches other servers if, and only if, it commits.
    publish: async (tx, event) =>
      enqueueMessages(tx, queues.events.name, [event], {
        orderingKey: await orderingKeyOf(tx, event),
      }),
  };
}
