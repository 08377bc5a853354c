import type { Federation } from "@fedify/fedify";
import type { Recipient } from "@fedify/vocab";
import { and, eq, isNotNull } from "drizzle-orm";
import { accounts } from "../db/schema/accounts.ts";
import { memberships } from "../db/schema/memberships.ts";
import type { Deps } from "../server/deps.ts";
import { hostsToFederateWith } from "../server/services/domains.ts";
import { isActiveMembership } from "../server/services/privacy.ts";
import { communityAskedFor, mayReadCollections } from "./authorize.ts";
import type { FederationContext } from "./context.ts";

/**
 * A community's members on other servers, as the recipients of its activities: who it
 * delivers to, asked once for all their servers (a community may have thousands).
 */
export async function membersElsewhere(deps: Deps, communityId: string): Promise<Recipient[]> {
  const members = await deps.db
    .select({ uri: accounts.uri, inbox: accounts.inbox, sharedInbox: accounts.sharedInbox })
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(
      and(eq(memberships.communityId, communityId), isActiveMembership, isNotNull(accounts.inbox)),
    );
  const hostOf = (uri: string | null) => (uri ? new URL(uri).host : "");
  const allowed = await hostsToFederateWith(
    deps,
    members.map(({ uri }) => hostOf(uri)).filter(Boolean),
  );
  return members.flatMap(({ uri, inbox, sharedInbox }) =>
    uri && inbox && allowed.has(hostOf(uri))
      ? [
          {
            id: new URL(uri),
            inboxId: new URL(inbox),
            endpoints: sharedInbox ? { sharedInbox: new URL(sharedInbox) } : null,
          },
        ]
      : [],
  );
}

export function registerCollections(federation: Federation<FederationContext>): void {
  federation
    .setFollowersDispatcher("/actors/{identifier}/followers", async (ctx, identifier) => {
      const community = await communityAskedFor(ctx, identifier);
      if (!community) return null;
      return { items: await membersElsewhere(ctx.data.deps, community.id) };
    })
    .authorize(mayReadCollections);
}
