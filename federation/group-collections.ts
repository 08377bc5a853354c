import type { Federation, RequestContext } from "@fedify/fedify";
import { Person } from "@fedify/vocab";
import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import { accounts } from "../db/schema/accounts.ts";
import { memberships } from "../db/schema/memberships.ts";
import { postColumns, posts } from "../db/schema/posts.ts";
import { isActiveWithRoleAtLeast } from "../server/services/privacy.ts";
import { announceOf, createOf } from "./activities.ts";
import { communityAskedFor, mayReadCollections } from "./authorize.ts";
import type { FederationContext } from "./context.ts";
import { pageOf, personUri } from "./objects.ts";

type Ctx = RequestContext<FederationContext>;

const outboxLength = 20;
const federatedKinds = ["discussion", "announcement", "page"] as const;

/** A community's latest threads (or only its pinned ones), with their authors. */
async function threads(ctx: Ctx, identifier: string, pinnedOnly: boolean) {
  const community = await communityAskedFor(ctx, identifier);
  if (!community) return null;
  const rows = await ctx.data.deps.db
    .select({ post: postColumns, author: accounts })
    .from(posts)
    .innerJoin(accounts, eq(accounts.id, posts.authorId))
    .where(
      and(
        eq(posts.communityId, community.id),
        inArray(posts.kind, federatedKinds),
        isNull(posts.deletedAt),
        pinnedOnly ? eq(posts.pinned, true) : undefined,
      ),
    )
    .orderBy(desc(posts.createdAt))
    .limit(outboxLength);
  return { community, rows };
}

export function registerGroupCollections(federation: Federation<FederationContext>): void {
  federation
    .setFeaturedDispatcher("/actors/{identifier}/featured", async (ctx, identifier) => {
      const found = await threads(ctx, identifier, true);
      if (!found) return null;
      return {
        items: found.rows.map(({ post, author }) => pageOf(ctx, post, author, found.community)),
      };
    })
    .authorize(mayReadCollections);

  // Lemmy reads a group's outbox to show its latest threads: the Announces it would relay.
  federation
    .setOutboxDispatcher("/actors/{identifier}/outbox", async (ctx, identifier) => {
      const found = await threads(ctx, identifier, false);
      if (!found) return null;
      return {
        items: found.rows.map(({ post, author }) => {
          const page = pageOf(ctx, post, author, found.community);
          const create = createOf(ctx, page, author, found.community);
          return announceOf(ctx, found.community, create, new URL(`${page.id?.href}#announce`));
        }),
      };
    })
    .authorize(mayReadCollections);

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
