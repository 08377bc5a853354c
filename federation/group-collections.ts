import type { Federation, RequestContext } from "@fedify/fedify";
import { Announce, Person } from "@fedify/vocab";
import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import { accounts } from "../db/schema/accounts.ts";
import type { Community } from "../db/schema/communities.ts";
import { memberships } from "../db/schema/memberships.ts";
import { posts } from "../db/schema/posts.ts";
import { isActiveWithRoleAtLeast, postsReadableBy } from "../server/services/privacy.ts";
import { announceOf, createOf } from "./activities.ts";
import { communityAskedFor, mayReadCollections, signingAccount } from "./authorize.ts";
import type { FederationContext } from "./context.ts";
import { type LoadedPost, loadedPosts, personUri, postObjectOf } from "./objects.ts";

type Ctx = RequestContext<FederationContext>;

export const historyPath = "/actors/{identifier}/history";

const outboxLength = 20;
const historyPageLength = 50;

/**
 * A community's posts of every kind, newest first (oldest first from a position), as its requester may read them: a file
 * marked private is listed only for a member's signed request.
 */
async function postsFor(
  ctx: Ctx,
  community: Community,
  options: { pinnedOnly?: boolean; after?: Position | null; limit: number },
) {
  const requester = await signingAccount(ctx);
  const { after } = options;
  // The history is read oldest first, so that a page arrives after the page it sits under.
  const order = after === undefined ? desc : asc;
  return loadedPosts(ctx.data.deps.db)
    .where(
      and(
        eq(posts.communityId, community.id),
        isNull(posts.deletedAt),
        postsReadableBy(requester),
        options.pinnedOnly ? eq(posts.pinned, true) : undefined,
        after
          ? sql`(${posts.createdAt}, ${posts.id}) > (${after.createdAt}, ${after.id})`
          : undefined,
      ),
    )
    .orderBy(order(posts.createdAt), order(posts.id))
    .limit(options.limit);
}

/** Where a page of the history starts: after the post it names (`createdAt|id`). */
interface Position {
  createdAt: Date;
  id: string;
}

function positionOf(cursor: string): Position | null {
  const [at, id] = cursor.split("|");
  const createdAt = new Date(at ?? "");
  return id && /^[0-9a-f-]{36}$/i.test(id) && !Number.isNaN(createdAt.getTime())
    ? { createdAt, id }
    : null;
}

/** What the community relayed when each post was written: the Announce of its Create. */
function relayedAs(ctx: Ctx, row: LoadedPost) {
  const object = postObjectOf(ctx, row);
  const create = createOf(ctx, object, row.author, row.community);
  return announceOf(ctx, row.community, create, new URL(`${object.id?.href}#announce`));
}

export function registerGroupCollections(federation: Federation<FederationContext>): void {
  federation
    .setFeaturedDispatcher("/actors/{identifier}/featured", async (ctx, identifier) => {
      const community = await communityAskedFor(ctx, identifier);
      if (!community) return null;
      const rows = await postsFor(ctx, community, { pinnedOnly: true, limit: outboxLength });
      return { items: rows.map((row) => postObjectOf(ctx, row)) };
    })
    .authorize(mayReadCollections);

  // Lemmy reads a group's outbox, inline and unpaged, to show its latest threads: the
  // Announces it would have relayed (crates/apub/src/collections/community_outbox.rs).
  federation
    .setOutboxDispatcher("/actors/{identifier}/outbox", async (ctx, identifier) => {
      const community = await communityAskedFor(ctx, identifier);
      if (!community) return null;
      const rows = await postsFor(ctx, community, { limit: outboxLength });
      return { items: rows.map((row) => relayedAs(ctx, row)) };
    })
    .authorize(mayReadCollections);

  // Everything the community holds, page by page: a partner's server reads it for a member
  // who just joined (history.ts). Its Group names it (praxis:history).
  federation
    .setCollectionDispatcher(
      "history",
      Announce,
      historyPath,
      async (ctx, { identifier }, cursor) => {
        const community = await communityAskedFor(ctx, identifier);
        if (!community) return null;
        const after = cursor ? positionOf(cursor) : null;
        const rows = await postsFor(ctx, community, { after, limit: historyPageLength });
        const last = rows.at(-1);
        return {
          items: rows.map((row) => relayedAs(ctx, row)),
          nextCursor:
            rows.length === historyPageLength && last
              ? `${last.post.createdAt.toISOString()}|${last.post.id}`
              : null,
        };
      },
    )
    .setFirstCursor(() => "")
    .authorize((ctx, { identifier }) => mayReadCollections(ctx, identifier ?? ""));

  // Lemmy refuses a Group without `attributedTo` naming its moderators.
  federation
    .setCollectionDispatcher(
      "moderators",
      Person,
      "/actors/{identifier}/moderators",
      async (ctx, { identifier }) => {
        const community = await communityAskedFor(ctx, identifier);
        if (!community) return null;
        const moderators = await ctx.data.deps.db
          .select({ account: accounts })
          .from(memberships)
          .innerJoin(accounts, eq(accounts.id, memberships.accountId))
          .where(
            and(eq(memberships.communityId, community.id), isActiveWithRoleAtLeast("moderator")),
          );
        return {
          items: moderators.map(({ account }) => new Person({ id: personUri(ctx, account) })),
        };
      },
    )
    .authorize((ctx, { identifier }) => mayReadCollections(ctx, identifier ?? ""));
}
