import type { InboxContext } from "@fedify/fedify";
import {
  type Activity,
  type Announce,
  type Object as APObject,
  Article,
  Create,
  Note,
  Page,
} from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { and, eq, isNull } from "drizzle-orm";
import { accounts } from "../../db/schema/accounts.ts";
import type { Community } from "../../db/schema/communities.ts";
import { memberships } from "../../db/schema/memberships.ts";
import { DomainError } from "../../server/errors.ts";
import { type IncomingText, receiveComment, receivePost } from "../../server/services/replicas.ts";
import type { FederationContext } from "../context.ts";
import { localCommunityCalled } from "../names.ts";
import { findRemoteCommunity, rememberAccount } from "../remote-actors.ts";

type Ctx = InboxContext<FederationContext>;

const logger = getLogger(["praxis", "federation", "inbox", "create"]);

type Writing = Page | Article | Note;

function isWriting(object: APObject | null): object is Writing {
  return object instanceof Page || object instanceof Article || object instanceof Note;
}

function textOf(object: Writing): IncomingText | null {
  if (!object.id || !object.content) return null;
  const source = object.source;
  return {
    uri: object.id.href,
    html: object.content.toString(),
    markdown:
      source?.mediaType === "text/markdown" ? (source.content?.toString() ?? undefined) : undefined,
    published: object.published ? new Date(object.published.epochMilliseconds) : undefined,
  };
}

/** A title for a post that has none (a Mastodon mention): its first words. */
function titleOf(object: Writing, text: IncomingText): string {
  if (!(object instanceof Note) && object.name) return object.name.toString();
  const words = text.html
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return words.length > 80 ? `${words.slice(0, 79)}…` : words;
}

/** Stores what `author` wrote in `community` (or in reply to something there). */
async function store(ctx: Ctx, community: Community | null, object: Writing, authorActor: unknown) {
  const text = textOf(object);
  const author = authorActor ? await rememberAccount(ctx.data.deps, authorActor as never) : null;
  if (!text || !author) return;
  const replyTo = object.replyTargetId;
  try {
    if (replyTo) {
      await receiveComment(ctx.data.deps, author, { ...text, inReplyTo: replyTo.href });
    } else if (community) {
      await receivePost(ctx.data.deps, community, author, {
        ...text,
        title: titleOf(object, text),
      });
    }
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    logger.info("Refused {uri} from {author}: {code}", {
      uri: text.uri,
      author: author.uri,
      code: error.code,
    });
  }
}

/** The local community a Create is meant for: the inbox it came to, or its audience. */
async function addressedCommunity(ctx: Ctx, activity: Activity, object: Writing) {
  const candidates = [
    ...(ctx.recipient ? [ctx.getActorUri(ctx.recipient)] : []),
    object.audienceId,
    activity.audienceId,
    ...object.toIds,
    ...object.ccIds,
  ];
  for (const id of candidates) {
    const route = id ? ctx.parseUri(id) : null;
    if (route?.type !== "actor") continue;
    const community = await localCommunityCalled(ctx.data.deps, route.identifier);
    if (community) return community;
  }
  return null;
}

/**
 * A member on another server writes in a community here (FEP-1b12), or a person replies
 * to a thread here. Fedify has checked the signature; the object must be the signer's own.
 */
export async function onCreate(ctx: Ctx, create: Create): Promise<void> {
  const object = await create.getObject(ctx);
  if (!isWriting(object) || !create.actorId) return;
  if (
    object.attributionId?.href !== create.actorId.href ||
    object.id?.origin !== create.actorId.origin
  ) {
    logger.warn("Create by {actor} of an object it does not own", { actor: create.actorId.href });
    return;
  }
  const community = await addressedCommunity(ctx, create, object);
  await store(ctx, community, object, await create.getActor(ctx));
}

/** Someone here who is an active member of `community`, to fetch its members-only objects as. */
async function localMemberOf(ctx: Ctx, community: Community): Promise<string | null> {
  const [member] = await ctx.data.deps.db
    .select({ username: accounts.username })
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(
      and(
        eq(memberships.communityId, community.id),
        eq(memberships.state, "active"),
        isNull(accounts.domain),
      ),
    )
    .limit(1);
  return member?.username.toLowerCase() ?? null;
}

/**
 * An object relayed by a community elsewhere is trusted only when it comes from that
 * community's own server; otherwise it is fetched again from where it lives.
 */
async function trustedObject(ctx: Ctx, community: Community, announce: Announce, object: Writing) {
  if (object.id?.origin === announce.actorId?.origin) return object;
  if (!object.id) return null;
  const member = await localMemberOf(ctx, community);
  const documentLoader = member ? await ctx.getDocumentLoader({ identifier: member }) : undefined;
  const fetched = await ctx.lookupObject(object.id, { documentLoader }).catch(() => null);
  return isWriting(fetched) ? fetched : null;
}

/** A community elsewhere relays what its members wrote: keep a copy for local members. */
export async function onAnnounce(ctx: Ctx, announce: Announce): Promise<void> {
  if (!announce.actorId) return;
  const community = await findRemoteCommunity(ctx.data.deps, announce.actorId.href);
  if (!community) return;
  const inner = await announce.getObject(ctx);
  const relayed = inner instanceof Create ? await inner.getObject(ctx) : inner;
  if (!isWriting(relayed) || relayed.id?.origin === ctx.origin) return;
  const object = await trustedObject(ctx, community, announce, relayed);
  if (!object) return;
  await store(ctx, community, object, await object.getAttribution(ctx));
}
