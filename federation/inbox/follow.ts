import type { InboxContext } from "@fedify/fedify";
import type { Accept, Follow, Join, Leave, Reject, Undo } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { DomainError } from "../../server/errors.ts";
import {
  endMembership,
  requestMembership,
  settleRemoteRequest,
} from "../../server/services/membership.ts";
import { refreshAccount } from "../actor-copies.ts";
import type { FederationContext } from "../context.ts";
import { localAccountCalled, localCommunityCalled } from "../names.ts";
import { answerFollow } from "../outbox.ts";
import { findRemoteAccount, findRemoteCommunity, plain } from "../remote-actors.ts";
import { ignore } from "./ignored.ts";

type Ctx = InboxContext<FederationContext>;

const logger = getLogger(["praxis", "federation", "inbox", "follow"]);

/** The local community an activity's object names, if it names one. */
async function targetCommunity(ctx: Ctx, object: URL | null) {
  const route = object ? ctx.parseUri(object) : null;
  return route?.type === "actor" ? localCommunityCalled(ctx.data.deps, route.identifier) : null;
}

/**
 * A Follow of a Group (or Mobilizon's Join) is a request to join, decided by the same rules
 * as a local one: accepted at once, left pending for the admins, or refused with a Reject.
 */
export async function onFollow(ctx: Ctx, follow: Follow | Join): Promise<void> {
  const community = await targetCommunity(ctx, follow.objectId);
  if (!community || !follow.id) return;
  // Read afresh: the admins deciding see the requester's profile as it is now.
  const account = follow.actorId ? await refreshAccount(ctx, follow.actorId) : null;
  if (!account) return;
  try {
    await requestMembership(ctx.data.deps, community, account, {
      followUri: follow.id.href,
      // A Praxis server sends the requester's message as the Follow's content.
      message: plain(follow.content, "", 2000),
    });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    logger.info("Refused {actor} in {community}: {code}", {
      actor: account.uri,
      community: community.slug,
      code: error.code,
    });
    await answerFollow(ctx, community, account, follow.id.href, false);
  }
}

/** Undoing a Follow of a Group is leaving it. */
export async function onUndoFollow(ctx: Ctx, undo: Undo): Promise<void> {
  const follow = await undo.getObject(ctx);
  await leave(ctx, undo.actorId, (follow as Follow | null)?.objectId ?? null);
}

/** Mobilizon's Leave names the group it leaves. */
export const onLeave = (ctx: Ctx, leaving: Leave) => leave(ctx, leaving.actorId, leaving.objectId);

async function leave(ctx: Ctx, actorId: URL | null, groupId: URL | null): Promise<void> {
  const community = await targetCommunity(ctx, groupId);
  const account = actorId ? await findRemoteAccount(ctx.data.deps, actorId.href) : null;
  if (!community || !account) return;
  try {
    await endMembership(ctx.data.deps, community, account);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
  }
}

/**
 * The local person whose Follow `followId` is: this server's Follow ids are fragments of the
 * follower's own id (outbox.ts, newFollowId), so the id alone says whose it is.
 */
async function localFollower(ctx: Ctx, followId: URL) {
  const route = ctx.parseUri(new URL(followId.href.replace(/#.*$/, "")));
  return route?.type === "actor" ? localAccountCalled(ctx.data.deps, route.identifier) : null;
}

/**
 * A remote community's answer to a local person's Follow, which it carries or names by id.
 * Nothing is fetched: a Follow that is not one of this server's, or that it no longer
 * serves, is none it is waiting an answer for, and asking again would not change that.
 */
async function settle(ctx: Ctx, answer: Accept | Reject, accepted: boolean): Promise<void> {
  const community = answer.actorId
    ? await findRemoteCommunity(ctx.data.deps, answer.actorId.href)
    : null;
  const account = answer.objectId ? await localFollower(ctx, answer.objectId) : null;
  if (!community || !account) {
    return ignore(answer, "it answers no Follow this server sent to its actor");
  }
  await settleRemoteRequest(ctx.data.deps, community, account, accepted);
}

export const onAccept = (ctx: Ctx, accept: Accept) => settle(ctx, accept, true);
export const onReject = (ctx: Ctx, reject: Reject) => settle(ctx, reject, false);
