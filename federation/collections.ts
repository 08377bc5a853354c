import type { Federation, RequestContext } from "@fedify/fedify";
import type { Recipient } from "@fedify/vocab";
import { and, count, eq, isNotNull, isNull, type SQL } from "drizzle-orm";
import { type Account, accounts } from "../db/schema/accounts.ts";
import { communities } from "../db/schema/communities.ts";
import { memberships } from "../db/schema/memberships.ts";
import { posts } from "../db/schema/posts.ts";
import type { Deps } from "../server/deps.ts";
import { cursorOrder } from "../server/pagination.ts";
import { hostsToFederateWith } from "../server/services/domains.ts";
import { isActiveMembership, postsReadableBy } from "../server/services/privacy.ts";
import { createOf } from "./activities.ts";
import { communityAskedFor, mayReadCollections, signingAccount } from "./authorize.ts";
import type { FederationContext } from "./context.ts";
import { withTranslations } from "./language-maps.ts";
import { loadedPosts, postObjectOf } from "./objects.ts";

type Ctx = RequestContext<FederationContext>;

/** How many posts an outbox or featured collection lists inline, newest first. */
export const outboxLength = 20;

/** How many posts meet `condition` (on posts and their communities): a collection's size. */
export async function countPosts(ctx: Ctx, condition: SQL | undefined): Promise<number> {
  const [row] = await ctx.data.deps.db
    .select({ total: count() })
    .from(posts)
    .innerJoin(communities, eq(communities.id, posts.communityId))
    .where(condition);
  return row?.total ?? 0;
}

/** A person's posts that the requester may read, by the rule every listing follows. */
export async function writtenBy(ctx: Ctx, account: Account) {
  return and(
    eq(posts.authorId, account.id),
    isNull(posts.deletedAt),
    postsReadableBy(await signingAccount(ctx)),
  );
}

/** The latest of those posts, each as the Create its author sent. */
export async function postsOfPerson(ctx: Ctx, account: Account) {
  const rows = await loadedPosts(ctx.data.deps.db)
    .where(await writtenBy(ctx, account))
    .orderBy(...cursorOrder(posts.createdAt, posts.id, "newest"))
    .limit(outboxLength);
  return (await withTranslations(ctx.data.deps.db, rows)).map((row) =>
    createOf(ctx, postObjectOf(ctx, row), row.author, row.community),
  );
}

/** A member on another server, as a recipient, and whether their server is a Praxis one. */
export interface MemberElsewhere extends Recipient {
  id: URL;
  handle: string;
  speaksPraxis: boolean;
}

/**
 * A community's members on other servers, as the recipients of its activities: who it
 * delivers to, asked once for all their servers (a community may have thousands).
 */
export async function membersElsewhere(
  deps: Deps,
  communityId: string,
): Promise<MemberElsewhere[]> {
  const members = await deps.db
    .select({
      uri: accounts.uri,
      inbox: accounts.inbox,
      sharedInbox: accounts.sharedInbox,
      username: accounts.username,
      domain: accounts.domain,
      speaksPraxis: accounts.speaksPraxis,
    })
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
  return members.flatMap(({ uri, inbox, sharedInbox, username, domain, speaksPraxis }) =>
    uri && inbox && allowed.has(hostOf(uri))
      ? [
          {
            id: new URL(uri),
            inboxId: new URL(inbox),
            endpoints: sharedInbox ? { sharedInbox: new URL(sharedInbox) } : null,
            handle: `@${username}@${domain}`,
            speaksPraxis,
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
    // Mastodon and Lemmy show a community's follower count from it.
    .setCounter(async (ctx, identifier) => {
      const community = await communityAskedFor(ctx, identifier);
      return community ? (await membersElsewhere(ctx.data.deps, community.id)).length : null;
    })
    .authorize(mayReadCollections);
}
