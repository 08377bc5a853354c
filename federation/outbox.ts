import type { Context } from "@fedify/fedify";
import {
  Accept,
  Announce,
  Create,
  Follow,
  type Note,
  type Page,
  Reject,
  Undo,
} from "@fedify/vocab";
import { eq } from "drizzle-orm";
import type { Executor } from "../db/index.ts";
import { type Account, accounts } from "../db/schema/accounts.ts";
import { type Community, communities } from "../db/schema/communities.ts";
import { memberships } from "../db/schema/memberships.ts";
import type { FederationEvent } from "../server/services/federation-port.ts";
import type { FederationContext } from "./context.ts";
import { groupUri, loadComment, loadPost, noteOf, pageOf, personUri } from "./objects.ts";

type Ctx = Context<FederationContext>;

/** The identifier Fedify routes a local actor by. */
const identifierOf = (name: string) => name.toLowerCase();

function inboxOf(actor: Pick<Account | Community, "uri" | "inbox" | "sharedInbox">) {
  if (!actor.uri || !actor.inbox) throw new Error("a remote actor without an inbox");
  return {
    id: new URL(actor.uri),
    inboxId: new URL(actor.inbox),
    endpoints: actor.sharedInbox ? { sharedInbox: new URL(actor.sharedInbox) } : null,
  };
}

/** One Follow per person and community, so leaving can name the Follow it undoes. */
function followId(ctx: Ctx, account: Account, community: Community): URL {
  return new URL(`#follows/${community.id}`, ctx.getActorUri(identifierOf(account.username)));
}

function followOf(ctx: Ctx, account: Account, community: Community): Follow {
  return new Follow({
    id: followId(ctx, account, community),
    actor: ctx.getActorUri(identifierOf(account.username)),
    object: new URL(community.uri ?? ""),
  });
}

/** A local community's answer to a Follow from a person on another server. */
export async function answerFollow(
  ctx: Ctx,
  community: Community,
  account: Account,
  followUri: string | null,
  accepted: boolean,
): Promise<void> {
  const group = ctx.getActorUri(identifierOf(community.slug));
  const follow = new Follow({
    id: followUri ? new URL(followUri) : null,
    actor: new URL(account.uri ?? ""),
    object: group,
  });
  const Answer = accepted ? Accept : Reject;
  const answer = new Answer({
    id: new URL(`#${accepted ? "accept" : "reject"}/${crypto.randomUUID()}`, group),
    actor: group,
    object: follow,
    to: new URL(account.uri ?? ""),
  });
  await ctx.sendActivity({ identifier: identifierOf(community.slug) }, inboxOf(account), answer);
}

async function load(db: Executor, communityId: string, accountId: string) {
  const [community] = await db.select().from(communities).where(eq(communities.id, communityId));
  const [account] = await db.select().from(accounts).where(eq(accounts.id, accountId));
  if (!community || !account) throw new Error("a federation event about a vanished record");
  return { community, account };
}

async function loadMembership(db: Executor, membershipId: string) {
  const [membership] = await db.select().from(memberships).where(eq(memberships.id, membershipId));
  if (!membership) throw new Error("a federation event about a vanished membership");
  return { membership, ...(await load(db, membership.communityId, membership.accountId)) };
}

/** Files and events wait for their own object shapes (Document, Event). */
const federatedKinds = new Set(["discussion", "announcement", "page"]);

/**
 * FEP-1b12: a member's post goes to its community's inbox; a community here wraps it in an
 * Announce for the servers of its members, the author's own server included.
 */
async function relay(ctx: Ctx, community: Community, author: Account, object: Page | Note) {
  const objectId = object.id ?? new URL(ctx.origin);
  const create = new Create({
    id: new URL(`${objectId.href}#create`),
    actor: personUri(ctx, author),
    object,
    tos: object.toIds,
    ccs: object.ccIds,
    audience: groupUri(ctx, community),
  });
  if (community.domain) {
    if (author.domain) return;
    await ctx.sendActivity(
      { identifier: identifierOf(author.username) },
      inboxOf(community),
      create,
    );
    return;
  }
  const group = identifierOf(community.slug);
  const announce = new Announce({
    id: new URL(`${objectId.href}#announce`),
    actor: ctx.getActorUri(group),
    object: create,
    tos: object.toIds,
    ccs: object.ccIds,
  });
  await ctx.sendActivity({ identifier: group }, "followers", announce, { preferSharedInbox: true });
}

/** What a domain change means on the wire, sent through Fedify's queue. */
export async function publishEvent(ctx: Ctx, db: Executor, event: FederationEvent) {
  switch (event.type) {
    case "join_requested": {
      const { community, account } = await loadMembership(db, event.membershipId);
      const sender = { identifier: identifierOf(account.username) };
      await ctx.sendActivity(sender, inboxOf(community), followOf(ctx, account, community));
      return;
    }
    case "left": {
      const { community, account } = await load(db, event.communityId, event.accountId);
      const actor = ctx.getActorUri(identifierOf(account.username));
      const undo = new Undo({
        id: new URL(`#undo/${crypto.randomUUID()}`, actor),
        actor,
        object: followOf(ctx, account, community),
      });
      await ctx.sendActivity(
        { identifier: identifierOf(account.username) },
        inboxOf(community),
        undo,
      );
      return;
    }
    case "join_decided": {
      const { membership, community, account } = await loadMembership(db, event.membershipId);
      if (membership.state !== "active" && membership.state !== "rejected") return;
      await answerFollow(
        ctx,
        community,
        account,
        membership.followUri,
        membership.state === "active",
      );
      return;
    }
    case "post_created": {
      const row = await loadPost(db, event.postId);
      if (!row || !federatedKinds.has(row.post.kind)) return;
      await relay(ctx, row.community, row.author, pageOf(ctx, row.post, row.author, row.community));
      return;
    }
    case "comment_created": {
      const row = await loadComment(ctx, db, event.commentId);
      if (!row) return;
      const { community } = row.post;
      await relay(
        ctx,
        community,
        row.author,
        noteOf(ctx, row.comment, row.inReplyTo, row.author, community),
      );
      return;
    }
    case "member_dropped": {
      const { community, account } = await load(db, event.communityId, event.accountId);
      await answerFollow(ctx, community, account, event.followUri, false);
      return;
    }
  }
}
