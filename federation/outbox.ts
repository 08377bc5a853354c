import type { Context } from "@fedify/fedify";
import {
  Accept,
  type Activity,
  Create,
  Delete,
  Follow,
  Invite,
  Like,
  Reject,
  Tombstone,
  Undo,
  Update,
} from "@fedify/vocab";
import { eq } from "drizzle-orm";
import type { Executor } from "../db/index.ts";
import { type Account, accounts } from "../db/schema/accounts.ts";
import { type Community, communities } from "../db/schema/communities.ts";
import { memberships } from "../db/schema/memberships.ts";
import type { FederationEvent } from "../server/services/federation-port.ts";
import { recordFollowUri } from "../server/services/membership.ts";
import { sendAccountDeletion } from "./account-deletion.ts";
import { announceOf, boostOf, createOf } from "./activities.ts";
import { groupOf } from "./actors.ts";
import { membersElsewhere } from "./collections.ts";
import type { FederationContext } from "./context.ts";
import { sendBlock, sendDirectMessage } from "./direct-messages.ts";
import { fetchHistory, type HistoryPage } from "./history.ts";
import {
  audienceOf,
  groupUri,
  loadComment,
  loadPost,
  noteOf,
  personUri,
  postObjectOf,
} from "./objects.ts";
import { sendReport } from "./outgoing-reports.ts";
import { mentionMembersPrivately } from "./private-mentions.ts";
import { inboxOf } from "./recipients.ts";

type Ctx = Context<FederationContext>;

/** The identifier Fedify routes a local actor by. */
const identifierOf = (name: string) => name.toLowerCase();

/**
 * Each request to join is its own Follow: receivers do an activity id only once, and a
 * person may ask again after leaving or being turned down.
 */
function newFollowId(ctx: Ctx, account: Account, community: Community): URL {
  const actor = ctx.getActorUri(identifierOf(account.username));
  return new URL(`#follows/${community.id}/${crypto.randomUUID()}`, actor);
}

/** A request to join; Praxis homes show its `content`, the requester's message, to admins. */
function followOf(ctx: Ctx, account: Account, community: Community, id: URL, message = ""): Follow {
  return new Follow({
    id,
    actor: ctx.getActorUri(identifierOf(account.username)),
    object: new URL(community.uri ?? ""),
    content: message || null,
  });
}

/**
 * Activities about one thing reach each server in the order they were sent: a post's
 * Create, Update and Delete by its id, one person's joining and leaving by the pair.
 */
const membershipOrder = (account: Pick<Account, "id">, community: Pick<Community, "id">) => ({
  orderingKey: `membership:${community.id}:${account.id}`,
});
const objectOrder = (object: { id: URL | null }) => ({ orderingKey: object.id?.href });

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
  await ctx.sendActivity(
    { identifier: identifierOf(community.slug) },
    inboxOf(account),
    answer,
    membershipOrder(account, community),
  );
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

/**
 * FEP-1b12: a member's activity goes to its community's inbox; a community here wraps it
 * in an Announce for the servers of its members, the author's own server included.
 */
async function relay(
  ctx: Ctx,
  community: Community,
  actor: Account,
  activity: Activity,
  about: { id: URL | null },
) {
  const order = objectOrder(about);
  if (community.domain) {
    if (actor.domain) return;
    await ctx.sendActivity(
      { identifier: identifierOf(actor.username) },
      inboxOf(community),
      activity,
      order,
    );
    return;
  }
  const sender = { identifier: identifierOf(community.slug) };
  const options = { preferSharedInbox: true, ...order };
  await ctx.sendActivity(sender, "followers", announceOf(ctx, community, activity), options);
  // A new post is also boosted as itself, as Lemmy does: Mastodon and GoToSocial fetch an
  // Announce's object by its id and drop a Create, whose id is not the post's. Praxis
  // servers take the Create, so that a network of partners is sent each post once.
  const created = activity instanceof Create ? await activity.getObject(ctx) : null;
  if (!created) return;
  const microblogs = (await membersElsewhere(ctx.data.deps, community.id)).filter(
    (member) => !member.speaksPraxis,
  );
  if (microblogs.length > 0) {
    const keys = await rsaKeysOf(ctx, sender.identifier);
    await ctx.sendActivity(keys, microblogs, boostOf(ctx, community, created), options);
  }
}

/**
 * An actor's RSA keys alone, for an activity sent only to servers that speak no Praxis.
 * Mastodon, GoToSocial and Lemmy check the HTTP signature (Mastodon also the RSA Linked Data
 * Signature) and read no Object Integrity Proof; a server that does still has the HTTP
 * signature. Fedify makes a proof for every Ed25519 key it is given, and for an Announce
 * that costs ~10 ms of the worker's CPU against ~3 ms for the rest of its signing.
 */
async function rsaKeysOf(ctx: Ctx, identifier: string) {
  const pairs = await ctx.getActorKeyPairs(identifier);
  return pairs.filter((pair) => pair.privateKey.algorithm.name === "RSASSA-PKCS1-v1_5");
}

/**
 * An edit or deletion of a local author's writing also goes, unwrapped and signed by its
 * author, to the servers of the community's members: Mastodon and GoToSocial take an
 * Update or Delete of a status only from its author and drop an Announce of one
 * (GoToSocial internal/federation/federatingdb/delete.go, deleteStatus: a Delete by anyone
 * else is dropped; update.go, updateStatusable; Mastodon app/lib/activitypub/activity/
 * delete.rb and update.rb). A moderator's removal goes as the author's Delete too, as
 * Mastodon sends an administrator's (app/services/remove_status_service.rb). Members-only
 * writing reaches members on other kinds of servers as private mentions (private-mentions.ts);
 * with `privateMentionsOnly` (a new post, which the Group's Announce carries) nothing else goes.
 */
async function sendAsAuthor(
  ctx: Ctx,
  community: Community,
  author: Account,
  activity: Activity,
  { privateMentionsOnly = false } = {},
) {
  if (community.domain || author.domain) return;
  const members = await membersElsewhere(ctx.data.deps, community.id);
  if (members.length === 0) return;
  const sender = { identifier: identifierOf(author.username) };
  const order = objectOrder({ id: activity.objectId });
  const others = await mentionMembersPrivately(ctx, sender, community, activity, members, order);
  if (privateMentionsOnly || others.length === 0) return;
  await ctx.sendActivity(sender, [...others], activity, { preferSharedInbox: true, ...order });
}

/** A local community's new settings, sent to its members' servers, which re-read its actor. */
async function announceCommunityChange(ctx: Ctx, db: Executor, communityId: string) {
  const [community] = await db.select().from(communities).where(eq(communities.id, communityId));
  if (!community || community.domain) return;
  const group = await groupOf(ctx, community);
  const { tos, ccs } = audienceOf(ctx, community);
  const update = new Update({
    id: new URL(`#update/${crypto.randomUUID()}`, group.id ?? undefined),
    actor: group.id,
    object: group,
    tos,
    ccs,
  });
  await ctx.sendActivity({ identifier: identifierOf(community.slug) }, "followers", update, {
    preferSharedInbox: true,
    ...objectOrder(group),
  });
}

/** A post or comment as an ActivityStreams object, with who wrote it and where. */
async function writingOf(ctx: Ctx, db: Executor, target: "post" | "comment", id: string) {
  if (target === "post") {
    const row = await loadPost(db, id);
    return row ? { ...row, object: postObjectOf(ctx, row) } : null;
  }
  const row = await loadComment(ctx, db, id);
  if (!row) return null;
  const { community } = row.post;
  const object = noteOf(ctx, row);
  return { community, author: row.author, object };
}

async function accountById(db: Executor, id: string): Promise<Account> {
  const [account] = await db.select().from(accounts).where(eq(accounts.id, id));
  if (!account) throw new Error("a federation event about a vanished account");
  return account;
}

async function relayWriting(
  ctx: Ctx,
  db: Executor,
  target: "post" | "comment",
  id: string,
  kind: "create" | "update",
) {
  const writing = await writingOf(ctx, db, target, id);
  if (!writing) return;
  const { object, community, author } = writing;
  const activity =
    kind === "create"
      ? createOf(ctx, object, author, community)
      : new Update({
          id: new URL(`${object.id?.href}#update/${crypto.randomUUID()}`),
          actor: personUri(ctx, author),
          object,
          tos: object.toIds,
          ccs: object.ccIds,
          audience: groupUri(ctx, community),
        });
  // The private mentions first, in the same order as the Announce: GoToSocial refuses (401)
  // an author's signature while it is still fetching that author for the Group's boost.
  await sendAsAuthor(ctx, community, author, activity, { privateMentionsOnly: kind === "create" });
  await relay(ctx, community, author, activity, object);
}

async function relayDeletion(
  ctx: Ctx,
  db: Executor,
  target: "post" | "comment",
  id: string,
  deletedById: string,
) {
  const writing = await writingOf(ctx, db, target, id);
  if (!writing) return;
  const { object, community, author } = writing;
  const deleter = await accountById(db, deletedById);
  const deletion = (by: Account, id: string) => {
    const { tos, ccs, audience } = audienceOf(ctx, community);
    return new Delete({
      id: new URL(id, object.id ?? undefined),
      actor: personUri(ctx, by),
      object: new Tombstone({ id: object.id }),
      tos,
      ccs,
      audience,
    });
  };
  const activity = deletion(deleter, "#delete");
  await relay(ctx, community, deleter, activity, object);
  const byAuthor = deleter.id === author.id ? activity : deletion(author, "#delete/author");
  await sendAsAuthor(ctx, community, author, byAuthor);
}

async function relayLike(
  ctx: Ctx,
  db: Executor,
  event: Extract<FederationEvent, { type: "liked" }>,
) {
  const writing = await writingOf(ctx, db, event.target, event.targetId);
  if (!writing) return;
  const liker = await accountById(db, event.accountId);
  const actor = personUri(ctx, liker);
  const { tos, ccs, audience } = audienceOf(ctx, writing.community);
  const like = new Like({
    id: new URL(`#likes/${event.targetId}`, actor),
    actor,
    object: writing.object.id,
    tos,
    ccs,
    audience,
  });
  const activity = event.liked
    ? like
    : new Undo({
        id: new URL(`#likes/${event.targetId}/undo/${crypto.randomUUID()}`, actor),
        actor,
        object: like,
        tos,
        ccs,
        audience,
      });
  await relay(ctx, writing.community, liker, activity, writing.object);
}

/** What a domain change means on the wire, sent through Fedify's queue. */
export async function publishEvent(ctx: Ctx, db: Executor, event: FederationEvent | HistoryPage) {
  switch (event.type) {
    case "admitted_elsewhere":
      return fetchHistory(ctx, db, event.membershipId, null);
    case "history_page":
      return fetchHistory(ctx, db, event.membershipId, event.page);
    case "join_requested": {
      const { membership, community, account } = await loadMembership(db, event.membershipId);
      const id = newFollowId(ctx, account, community);
      await recordFollowUri(db, event.membershipId, id.href);
      const sender = { identifier: identifierOf(account.username) };
      await ctx.sendActivity(
        sender,
        inboxOf(community),
        followOf(ctx, account, community, id, membership.message),
        membershipOrder(account, community),
      );
      return;
    }
    case "left": {
      const { community, account } = await load(db, event.communityId, event.accountId);
      const actor = ctx.getActorUri(identifierOf(account.username));
      const undo = new Undo({
        id: new URL(`#undo/${crypto.randomUUID()}`, actor),
        actor,
        object: followOf(
          ctx,
          account,
          community,
          event.followUri ? new URL(event.followUri) : newFollowId(ctx, account, community),
        ),
      });
      await ctx.sendActivity(
        { identifier: identifierOf(account.username) },
        inboxOf(community),
        undo,
        membershipOrder(account, community),
      );
      return;
    }
    case "invited_elsewhere": {
      const { community, account } = await loadMembership(db, event.membershipId);
      const group = groupUri(ctx, community);
      const invite = new Invite({
        id: new URL(`#invite/${crypto.randomUUID()}`, group),
        actor: group,
        object: group,
        target: new URL(account.uri ?? ""),
        to: new URL(account.uri ?? ""),
      });
      await ctx.sendActivity(
        { identifier: identifierOf(community.slug) },
        inboxOf(account),
        invite,
        membershipOrder(account, community),
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
    case "post_created":
      return relayWriting(ctx, db, "post", event.postId, "create");
    case "comment_created":
      return relayWriting(ctx, db, "comment", event.commentId, "create");
    case "post_updated":
      return relayWriting(ctx, db, "post", event.postId, "update");
    case "comment_updated":
      return relayWriting(ctx, db, "comment", event.commentId, "update");
    case "post_deleted":
      return relayDeletion(ctx, db, "post", event.postId, event.deletedById);
    case "comment_deleted":
      return relayDeletion(ctx, db, "comment", event.commentId, event.deletedById);
    case "liked":
      return relayLike(ctx, db, event);
    case "community_updated":
      return announceCommunityChange(ctx, db, event.communityId);
    case "account_deleted":
      return sendAccountDeletion(ctx, db, event);
    case "report_filed":
      return sendReport(ctx, db, event.reportId);
    case "message_sent":
      return sendDirectMessage(ctx, db, event.messageId);
    case "blocked":
    case "unblocked":
      return sendBlock(ctx, db, event);
    case "member_dropped": {
      const { community, account } = await load(db, event.communityId, event.accountId);
      await answerFollow(ctx, community, account, event.followUri, false);
      return;
    }
  }
}
