import type { Federation } from "@fedify/fedify";
import { and, eq, isNotNull } from "drizzle-orm";
import type { Executor } from "../db/index.ts";
import { accounts } from "../db/schema/accounts.ts";
import { memberships } from "../db/schema/memberships.ts";
import { hostsToFederateWith } from "../server/services/domains.ts";
import { isActiveMembership } from "../server/services/privacy.ts";
import { communityAskedFor, mayReadCollections } from "./authorize.ts";
import type { FederationContext } from "./context.ts";

/** Members on other servers, which is who a community's activities are delivered to. */
async function remoteMembers(db: Executor, communityId: string) {
  return db
    .select({ uri: accounts.uri, inbox: accounts.inbox, sharedInbox: accounts.sharedInbox })
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(
      and(eq(memberships.communityId, communityId), isActiveMembership, isNotNull(accounts.inbox)),
    );
}

export function registerCollections(federation: Federation<FederationContext>): void {
  federation
    .setFollowersDispatcher("/actors/{identifier}/followers", async (ctx, identifier) => {
      const community = await communityAskedFor(ctx, identifier);
      if (!community) return null;
      const members = await remoteMembers(ctx.data.deps.db, community.id);
      // Asked once for all servers, not once per member: a community may have thousands.
      const hostOf = (uri: string | null) => (uri ? new URL(uri).host : "");
      const allowed = await hostsToFederateWith(
        ctx.data.deps,
        members.map(({ uri }) => hostOf(uri)).filter(Boolean),
      );
      return {
        items: members.flatMap(({ uri, inbox, sharedInbox }) =>
          uri && inbox && allowed.has(hostOf(uri))
            ? [
                {
                  id: new URL(uri),
                  inboxId: new URL(inbox),
                  endpoints: sharedInbox ? { sharedInbox: new URL(sharedInbox) } : null,
                },
              ]
            : [],
        ),
      };
    })
    .authorize(mayReadCollections);
}
