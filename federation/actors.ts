import type { Context, Federation } from "@fedify/fedify";
import { Application, Endpoints, Group, Person } from "@fedify/vocab";
import { eq } from "drizzle-orm";
import type { Executor } from "../db/index.ts";
import { accounts } from "../db/schema/accounts.ts";
import { communities } from "../db/schema/communities.ts";
import { escapeHtml } from "../server/html.ts";
import { relationOf } from "../server/services/communities.ts";
import { findNameOwner } from "../server/services/names.ts";
import { canSeeCommunity } from "../server/services/privacy.ts";
import { actorPathTemplate } from "../server/urls.ts";
import type { FederationContext } from "./context.ts";
import { actorKeyPairs } from "./keys.ts";
import { localCommunityById } from "./names.ts";

type ActorRecord =
  | { kind: "account"; account: typeof accounts.$inferSelect }
  | { kind: "community"; community: typeof communities.$inferSelect };

/**
 * The local account or community an identifier names, if the requester may know of it:
 * accounts that are not active, and hidden communities outside their membership, do not exist.
 */
export async function findVisibleActor(
  ctx: Context<FederationContext>,
  identifier: string,
): Promise<ActorRecord | null> {
  const { db } = ctx.data.deps;
  const owner = await findNameOwner(db, identifier);
  if (owner?.accountId) {
    const [account] = await db.select().from(accounts).where(eq(accounts.id, owner.accountId));
    return account?.state === "active" ? { kind: "account", account } : null;
  }
  if (owner?.communityId) {
    const [community] = await db
      .select()
      .from(communities)
      .where(eq(communities.id, owner.communityId));
    if (!community) return null;
    if (community.hidden) {
      const viewer = await ctx.data.viewer();
      if (!canSeeCommunity(community, await relationOf(db, community.id, viewer?.id))) return null;
    }
    return { kind: "community", community };
  }
  return null;
}

/**
 * The server itself, as an actor: it signs the fetches made for no one in particular
 * (looking up a community, re-fetching a relayed post), which servers in secure mode require.
 */
export const instanceIdentifier = "instance";
// Keys are stored by owner; the instance's owner id is one no account or community can have.
const instanceKeyOwner = "00000000-0000-0000-0000-000000000000";

export const instanceKeyPairs = (db: Executor) => actorKeyPairs(db, instanceKeyOwner);

export function registerActors(federation: Federation<FederationContext>): void {
  federation
    .setActorDispatcher(actorPathTemplate, async (ctx, identifier) => {
      const keys = await ctx.getActorKeyPairs(identifier);
      const common = {
        id: ctx.getActorUri(identifier),
        url: ctx.getActorUri(identifier),
        inbox: ctx.getInboxUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        publicKey: keys[0]?.cryptographicKey ?? null,
        assertionMethods: keys.map((key) => key.multikey),
      };
      if (identifier === instanceIdentifier) {
        return new Application({
          ...common,
          preferredUsername: ctx.hostname,
          name: `Praxis (${ctx.host})`,
          manuallyApprovesFollowers: true,
          discoverable: false,
        });
      }
      const actor = await findVisibleActor(ctx, identifier);
      if (!actor) return null;
      if (actor.kind === "account") {
        const { account } = actor;
        return new Person({
          ...common,
          preferredUsername: account.username,
          name: account.displayName || account.username,
          manuallyApprovesFollowers: false,
          discoverable: true,
        });
      }
      const { community } = actor;
      const parent = community.parentId
        ? await localCommunityById(ctx.data.deps.db, community.parentId)
        : null;
      return new Group({
        ...common,
        preferredUsername: community.slug,
        name: community.name,
        summary: community.summary ? `<p>${escapeHtml(community.summary)}</p>` : null,
        // Lemmy reads this flag as "members only", so every level but open sets it.
        manuallyApprovesFollowers: community.privacy !== "open",
        followers: ctx.getFollowersUri(identifier),
        outbox: ctx.getOutboxUri(identifier),
        featured: ctx.getFeaturedUri(identifier),
        attribution: ctx.getCollectionUri("moderators", { identifier }),
        discoverable: !community.hidden,
        // A working group names the community it belongs to, as the context it exists in.
        contexts: parent ? [ctx.getActorUri(parent.slug.toLowerCase())] : [],
      });
    })
    .mapHandle(async (ctx, username) =>
      (await findVisibleActor(ctx, username)) ? username.toLowerCase() : null,
    )
    .setKeyPairsDispatcher(async (ctx, identifier) => {
      if (identifier === instanceIdentifier) return instanceKeyPairs(ctx.data.deps.db);
      const owner = await findNameOwner(ctx.data.deps.db, identifier);
      const ownerId = owner?.accountId ?? owner?.communityId;
      return ownerId ? actorKeyPairs(ctx.data.deps.db, ownerId) : [];
    });
}
