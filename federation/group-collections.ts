import type { Federation, RequestContext } from "@fedify/fedify";
import { Announce, Person } from "@fedify/vocab";
import { and, eq, isNull } from "drizzle-orm";
import { accounts } from "../db/schema/accounts.ts";
import type { Community } from "../db/schema/communities.ts";
import { memberships } from "../db/schema/memberships.ts";
import { posts } from "../db/schema/posts.ts";
import {
  beyondPosition,
  type CursorPosition,
  cursorOrder,
  decodeCursor,
  encodeCursor,
} from "../server/pagination.ts";
import { isActiveWithRoleAtLeast, postsReadableBy } from "../server/services/privacy.ts";
import { announceOf, createOf } from "./activities.ts";
import { findVisibleActor } from "./actors.ts";
import { communityAskedFor, mayReadCollections, signingAccount } from "./authorize.ts";
import { countPosts, outboxLength, postsOfPerson, writtenBy } from "./collections.ts";
import type { FederationContext } from "./context.ts";
import { withTranslations } from "./language-maps.ts";
import { localCommunityCalled } from "./names.ts";
import { type LoadedPost, loadedPosts, personUri, postObjectOf } from "./objects.ts";

type Ctx = RequestContext<FederationContext>;

export const historyPath = "/actors/{identifier}/history";

const historyPageLength = 50;

/**
 * A community's posts of every kind as its requester may read them (a file marked private
 * only for a member's signed request), or only those pinned.
 */
async function readableIn(ctx: Ctx, community: Community, pinnedOnly = false) {
  return and(
    eq(posts.communityId, community.id),
    isNull(posts.deletedAt),
    postsReadableBy(await signingAccount(ctx)),
    pinnedOnly ? eq(posts.pinned, true) : undefined,
  );
}

/** Those posts newest first, or from a position oldest first. */
async function postsFor(
  ctx: Ctx,
  community: Community,
  options: { pinnedOnly?: boolean; from?: { after: CursorPosition | null }; limit: number },
) {
  // The history is read oldest first, so that a page arrives after the page it sits under.
  const direction = options.from ? "oldest" : "newest";
  const after = options.from?.after;
  const readable = await readableIn(ctx, community, options.pinnedOnly);
  const rows = await loadedPosts(ctx.data.deps.db)
    .where(
      and(
        readable,
        after ? beyondPosition(posts.createdAt, posts.id, after, direction) : undefined,
      ),
    )
    .orderBy(...cursorOrder(posts.createdAt, posts.id, direction))
    .limit(options.limit);
  return withTranslations(ctx.data.deps.db, rows);
}

/** Where a page of the history starts; a cursor no page of ours gave names no page. */
function positionOf(cursor: string): { after: CursorPosition | null } | null {
  if (!cursor) return { after: null };
  try {
    return { after: decodeCursor(cursor) };
  } catch {
    return null;
  }
}

/** What the community relayed when each post was written: the Announce of its Create. */
function relayedAs(ctx: Ctx, row: LoadedPost) {
  const object = postObjectOf(ctx, row);
  const create = createOf(ctx, object, row.author, row.community);
  return announceOf(ctx, row.community, create, new URL(`${object.id?.href}#announce`));
}

/**
 * Lemmy reads a collection's size from `totalItems` (GroupOutbox and GroupFeatured,
 * crates/apub/apub/src/protocol/collections/), Mastodon a person's post count from their
 * outbox's (collection_total_items, app/services/activitypub/process_account_service.rb).
 */
export function registerGroupCollections(federation: Federation<FederationContext>): void {
  federation
    .setFeaturedDispatcher("/actors/{identifier}/featured", async (ctx, identifier) => {
      const community = await communityAskedFor(ctx, identifier);
      if (!community) return null;
      const rows = await postsFor(ctx, community, { pinnedOnly: true, limit: outboxLength });
      return { items: rows.map((row) => postObjectOf(ctx, row)) };
    })
    .setCounter(async (ctx, identifier) => {
      const community = await communityAskedFor(ctx, identifier);
      return community ? countPosts(ctx, await readableIn(ctx, community, true)) : null;
    })
    .authorize(mayReadCollections);

  // Lemmy reads a group's outbox, inline and unpaged, to show its latest threads: the
  // Announces it would have relayed (crates/apub/src/collections/community_outbox.rs). A
  // person's outbox lists their posts, each as its Create (collections.ts).
  federation
    .setOutboxDispatcher("/actors/{identifier}/outbox", async (ctx, identifier) => {
      const actor = await findVisibleActor(ctx, identifier);
      if (actor?.kind === "account") return { items: await postsOfPerson(ctx, actor.account) };
      if (actor?.kind !== "community") return null;
      const rows = await postsFor(ctx, actor.community, { limit: outboxLength });
      return { items: rows.map((row) => relayedAs(ctx, row)) };
    })
    .setCounter(async (ctx, identifier) => {
      const actor = await findVisibleActor(ctx, identifier);
      if (actor?.kind === "account") return countPosts(ctx, await writtenBy(ctx, actor.account));
      return actor ? countPosts(ctx, await readableIn(ctx, actor.community)) : null;
    })
    // A person's outbox lists, for each requester, what they may read.
    .authorize(
      async (ctx, identifier) =>
        (await localCommunityCalled(ctx.data.deps, identifier)) === null ||
        mayReadCollections(ctx, identifier),
    );

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
        const from = positionOf(cursor ?? "");
        if (!from) return null;
        const rows = await postsFor(ctx, community, { from, limit: historyPageLength });
        const last = rows.at(-1);
        return {
          items: rows.map((row) => relayedAs(ctx, row)),
          nextCursor:
            rows.length === historyPageLength && last
              ? encodeCursor({ createdAt: last.post.createdAt, id: last.post.id })
              : null,
        };
      },
    )
    .setFirstCursor(() => "")
    .authorize((ctx, { identifier }) => mayReadCollections(ctx, identifier ?? ""));

  // Lemmy refuses a Group without `attributedTo` naming its moderators, and reads them as
  // an ordered list of ids (GroupModerators, group_moderators.rs in the folder above).
  federation
    .setOrderedCollectionDispatcher(
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
        // Fedify writes a URL item as the URL itself; its types name only objects.
        const ids = moderators.map(({ account }) => personUri(ctx, account));
        return { items: ids as unknown as Person[] };
      },
    )
    .authorize((ctx, { identifier }) => mayReadCollections(ctx, identifier ?? ""));
}
