import type { Context, InboxContext } from "@fedify/fedify";
import {
  type Announce,
  type Object as APObject,
  Create,
  Delete,
  Like,
  Undo,
  Update,
} from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { Community } from "../../db/schema/communities.ts";
import { readerFor } from "../actor-copies.ts";
import type { FederationContext } from "../context.ts";
import { findRemoteCommunity } from "../remote-actors.ts";
import { removeRelayed } from "./delete.ts";
import { ignore } from "./ignored.ts";
import { likeRelayed } from "./like.ts";
import { isWriting, revise, store, type Writing } from "./writing.ts";

type Ctx = InboxContext<FederationContext>;
type AnyCtx = Context<FederationContext>;

const logger = getLogger(["praxis", "federation", "inbox"]);

/**
 * An object relayed by a community elsewhere is trusted only when it comes from that
 * community's own server; otherwise it is fetched again from where it lives.
 */
async function trustedObject(ctx: AnyCtx, community: Community, object: Writing) {
  if (object.id?.origin === new URL(community.uri ?? "").origin) return object;
  if (!object.id) return null;
  const documentLoader = await readerFor(ctx, community);
  const fetched = await ctx.lookupObject(object.id, { documentLoader }).catch(() => null);
  return isWriting(fetched) ? fetched : null;
}

/**
 * A community elsewhere relays what its members did (FEP-1b12): keep copies for the local
 * members. What this server itself sent comes back too, and is already here.
 */
export async function onAnnounce(ctx: Ctx, announce: Announce): Promise<void> {
  const community = announce.actorId
    ? await findRemoteCommunity(ctx.data.deps, announce.actorId.href)
    : null;
  // A boost by a person, or a relay by a community nobody here follows, is not for this
  // server to keep: Mastodon too takes a boost only of what its people follow or wrote
  // (app/lib/activitypub/activity/announce.rb, `related_to_local_activity?`).
  if (!community) return ignore(announce, "it is no relay of a community followed here");
  // The community vouches for removals and likes in it; posts are checked below.
  const inner = await announce.getObject({
    documentLoader: ctx.documentLoader,
    contextLoader: ctx.contextLoader,
    crossOrigin: "trust",
  });
  if (!inner) return ignore(announce, "what it relays could not be read");
  if (inner instanceof Delete) return removeRelayed(ctx, inner, community);
  if (inner instanceof Like || inner instanceof Undo) return likeRelayed(ctx, inner, community);
  await keepRelayedWriting(ctx, community, inner);
}

/**
 * A post or reply a community elsewhere relays (or lists in its outbox, for a member who just
 * joined), kept here once it is proven to be its author's own.
 */
export async function keepRelayedWriting(
  ctx: AnyCtx,
  community: Community,
  inner: APObject | null,
): Promise<void> {
  const relayed =
    inner instanceof Create || inner instanceof Update ? await inner.getObject(ctx) : inner;
  if (!relayed) {
    if (inner) ignore(inner, "what it carries could not be read");
    return;
  }
  if (relayed.id?.origin === ctx.origin) return ignore(relayed, "it was written here");
  if (!isWriting(relayed)) {
    return ignore(relayed, "only posts, replies, likes and removals are kept from a relay");
  }
  const object = await trustedObject(ctx, community, relayed);
  if (!object) return ignore(relayed, "its own server does not give it as relayed");
  // A server speaks only for its own people: a Group cannot relay its own Page as written
  // by someone elsewhere (Mastodon's trustworthy_attribution?, app/lib/activitypub/activity.rb).
  if (object.attributionId?.origin !== object.id?.origin) {
    logger.warn("{group} relayed {object} attributed to {author} on another server", {
      group: community.uri,
      object: object.id?.href,
      author: object.attributionId?.href,
    });
    return;
  }
  const author = await object.getAttribution(ctx);
  if (inner instanceof Update) await revise(ctx, object, author);
  else await store(ctx, community, object, author);
}
