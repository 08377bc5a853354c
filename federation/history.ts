import type { Context } from "@fedify/fedify";
import { Announce, Collection, CollectionPage, Group } from "@fedify/vocab";
import type { DocumentLoader } from "@fedify/vocab-runtime";
import { getLogger } from "@logtape/logtape";
import { eq } from "drizzle-orm";
import type { Executor } from "../db/index.ts";
import { accounts } from "../db/schema/accounts.ts";
import { communities } from "../db/schema/communities.ts";
import { memberships } from "../db/schema/memberships.ts";
import { isActive } from "../server/services/privacy.ts";
import { refreshCommunity } from "./actor-copies.ts";
import type { FederationContext } from "./context.ts";
import { keepRelayedWriting } from "./inbox/announce.ts";
import { readHistoryLink } from "./praxis-terms.ts";
import { enqueueMessages, eventsQueue } from "./queue.ts";

type Ctx = Context<FederationContext>;

const logger = getLogger(["praxis", "federation", "history"]);

/** One page of a community's outbox still to be read for a member who just joined it. */
export interface HistoryPage {
  type: "history_page";
  membershipId: string;
  page: string;
}

/**
 * Where to start reading: a Praxis community's paged history, else (Lemmy, Mobilizon…) its
 * outbox, whose first page or inline items hold the latest posts.
 */
async function firstPage(
  ctx: Ctx,
  groupId: URL,
  documentLoader: DocumentLoader,
): Promise<Collection | CollectionPage | null> {
  const options = { documentLoader, contextLoader: ctx.contextLoader };
  const { document } = await documentLoader(groupId.href);
  const group = await Group.fromJsonLd(document, options);
  const history = readHistoryLink(document, groupId);
  const collection = history
    ? await ctx.lookupObject(history, options)
    : await group.getOutbox(options);
  if (!(collection instanceof Collection)) return null;
  return (await collection.getFirst(options)) ?? collection;
}

/**
 * A local person was admitted to a community elsewhere: this server fetches, as that person
 * (members-only content answers only a member's signed request), what the community already
 * holds — its outbox, page by page, each page its own queued step so that a long history never
 * outlasts a step's time limit. Items are kept by the same rules as relayed ones.
 */
export async function fetchHistory(
  ctx: Ctx,
  db: Executor,
  membershipId: string,
  pageUrl: string | null,
): Promise<void> {
  const [row] = await db
    .select({ membership: memberships, community: communities, account: accounts })
    .from(memberships)
    .innerJoin(communities, eq(communities.id, memberships.communityId))
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(eq(memberships.id, membershipId));
  const groupUri = row?.community.uri;
  if (!row || !groupUri || row.account.domain || !isActive(row.membership)) return;
  const { community, account } = row;
  const documentLoader = await ctx.getDocumentLoader({
    identifier: account.username.toLowerCase(),
  });
  const options = { documentLoader, contextLoader: ctx.contextLoader };
  const home = new URL(groupUri).origin;
  // The member count and About shown here are the home's as of this admission.
  if (!pageUrl) await refreshCommunity(ctx, new URL(groupUri));
  const page = pageUrl
    ? await ctx.lookupObject(pageUrl, options)
    : await firstPage(ctx, new URL(groupUri), documentLoader);
  if (!(page instanceof Collection || page instanceof CollectionPage)) {
    logger.warn("Could not read {page} of {community}'s history for {member}", {
      page: pageUrl ?? "the first page",
      community: groupUri,
      member: account.username,
    });
    return;
  }
  let kept = 0;
  for await (const item of page.getItems(options)) {
    // The outbox lists what the community relayed; anything else there is not its to give.
    if (!(item instanceof Announce) || item.actorId?.href !== groupUri) continue;
    try {
      await keepRelayedWriting(ctx, community, await item.getObject(options));
      kept++;
    } catch (error) {
      // One unreadable item (its author's server down) does not cost the member the rest.
      logger.info("Skipped {item} of {community}'s history: {error}", {
        item: item.id?.href,
        community: community.uri,
        error,
      });
    }
  }
  const next = page instanceof CollectionPage ? page.nextId : null;
  logger.info("Read {kept} items of {community}'s history for {member}", {
    kept,
    community: community.uri,
    member: account.username,
  });
  if (next && next.origin === home) {
    const step: HistoryPage = { type: "history_page", membershipId, page: next.href };
    await enqueueMessages(db, eventsQueue, [step]);
  }
}
