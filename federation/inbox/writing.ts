import type { Context, InboxContext } from "@fedify/fedify";
import {
  type Activity,
  type Actor,
  type Object as APObject,
  Article,
  type Create,
  Document,
  Event,
  Link,
  Note,
  Page,
  PUBLIC_COLLECTION,
  type Update,
} from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { Account } from "../../db/schema/accounts.ts";
import type { Community } from "../../db/schema/communities.ts";
import { DomainError } from "../../server/errors.ts";
import {
  type IncomingText,
  type PostDetails,
  receiveComment,
  receivePost,
  reviseWriting,
} from "../../server/services/replicas.ts";
import type { FederationContext } from "../context.ts";
import { localCommunityCalled } from "../names.ts";
import { rememberAccount } from "../remote-actors.ts";

type Ctx = InboxContext<FederationContext>;
/** Storing and revising need no inbox: a community's history is fetched, not delivered. */
type AnyCtx = Context<FederationContext>;

const logger = getLogger(["praxis", "federation", "inbox", "create"]);

export type Writing = Page | Article | Note | Event | Document;

export function isWriting(object: APObject | null): object is Writing {
  return (
    object instanceof Page ||
    object instanceof Article ||
    object instanceof Note ||
    object instanceof Event ||
    object instanceof Document
  );
}

/** A shared file; in ActivityStreams a Page is a kind of Document too, but a thread here. */
const isFile = (object: Writing): object is Document =>
  object instanceof Document && !(object instanceof Page);

/** Events and files may come without a description; threads and replies may not. */
const mayBeWordless = (object: Writing) => object instanceof Event || isFile(object);

function textOf(object: Writing): IncomingText | null {
  if (!object.id || (!object.content && !mayBeWordless(object))) return null;
  const source = object.source;
  return {
    uri: object.id.href,
    html: object.content?.toString() ?? "",
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

/**
 * A text kind read back from the context a Praxis server gives it, and for a page the page it
 * sits under (its other context on the same server); otherwise a thread.
 */
function textKindOf(object: Writing): PostDetails {
  for (const context of object.contextIds) {
    const kind = context.hash.slice(1);
    if (kind === "announcement") return { kind };
    if (kind === "page") {
      const parent = object.contextIds.find(
        (other) => other.origin === object.id?.origin && other.pathname.startsWith("/posts/"),
      );
      return { kind, parent: parent?.href };
    }
  }
  return { kind: "discussion" };
}

/** A link from another server, kept only if it leads to a web page (not javascript: or data:). */
const isWebAddress = (href: URL | null | undefined): href is URL =>
  href?.protocol === "https:" || href?.protocol === "http:";

const instantOf = (value: { epochMilliseconds: number } | null) =>
  value ? new Date(value.epochMilliseconds) : null;

/** What makes an Event or a Document more than text: its times and place, or its bytes. */
async function detailsOf(ctx: AnyCtx, object: Writing): Promise<PostDetails> {
  if (object instanceof Event) {
    const startsAt = instantOf(object.startTime);
    if (!startsAt) return null;
    const place = await object.getLocation(ctx).catch(() => null);
    const online = object.urls.find(
      (url): url is Link =>
        url instanceof Link && isWebAddress(url.href) && url.href.href !== object.id?.href,
    );
    return {
      kind: "event",
      startsAt,
      endsAt: instantOf(object.endTime) ?? startsAt,
      location: place?.name?.toString() ?? "",
      onlineUrl: online?.href?.href ?? null,
    };
  }
  if (isFile(object)) {
    const href = [
      ...object.urls.flatMap((url) => (url instanceof Link ? [url.href] : [])),
      ...object.urls.filter((url) => url instanceof URL),
    ].find(isWebAddress);
    if (!href) return null;
    return {
      kind: "file",
      url: href.href,
      mediaType: object.mediaType ?? "application/octet-stream",
      // A file not addressed to everyone is for members only here as at its home.
      private: ![...object.toIds, ...object.ccIds].some((id) => id.href === PUBLIC_COLLECTION.href),
    };
  }
  return textKindOf(object);
}

/**
 * A refusal by the rules (not a member, deleted already…) is the end of that activity: it is
 * logged, not retried.
 */
async function loggingRefusals(text: IncomingText, author: Account, work: () => Promise<unknown>) {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    logger.info("Refused {uri} from {author}: {code}", {
      uri: text.uri,
      author: author.uri,
      code: error.code,
    });
  }
}

/** Stores what `author` wrote in `community` (or in reply to something there). */
export async function store(
  ctx: AnyCtx,
  community: Community | null,
  object: Writing,
  authorActor: Actor | null,
) {
  const text = textOf(object);
  const author = authorActor ? await rememberAccount(ctx.data.deps, authorActor) : null;
  if (!text || !author) return;
  const replyTo = object.replyTargetId;
  await loggingRefusals(text, author, async () => {
    if (replyTo) {
      await receiveComment(ctx.data.deps, author, { ...text, inReplyTo: replyTo.href });
    } else if (community) {
      const details = await detailsOf(ctx, object);
      if (!details) return;
      await receivePost(ctx.data.deps, community, author, {
        ...text,
        title: titleOf(object, text),
        details,
      });
    }
  });
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
  const object = await ownObject(ctx, create);
  if (!object) return;
  const community = await addressedCommunity(ctx, create, object);
  await store(ctx, community, object, await create.getActor(ctx));
}

/** The object of a Create or Update, if it is a post or reply written by the activity's actor. */
async function ownObject(ctx: Ctx, activity: Create | Update): Promise<Writing | null> {
  const object = await activity.getObject(ctx);
  if (!isWriting(object) || !activity.actorId) return null;
  const own =
    object.attributionId?.href === activity.actorId.href &&
    object.id?.origin === activity.actorId.origin;
  if (!own) {
    logger.warn("{actor} sent an object it does not own", { actor: activity.actorId.href });
    return null;
  }
  return object;
}

/** An author on another server edited a post or reply. */
export async function onUpdate(ctx: Ctx, update: Update): Promise<void> {
  const object = await ownObject(ctx, update);
  if (object) await revise(ctx, object, await update.getActor(ctx));
}

export async function revise(ctx: AnyCtx, object: Writing, authorActor: Actor | null) {
  const text = textOf(object);
  const author = authorActor ? await rememberAccount(ctx.data.deps, authorActor) : null;
  if (!text || !author) return;
  const title = object instanceof Note ? undefined : object.name?.toString();
  await loggingRefusals(text, author, () =>
    reviseWriting(ctx.data.deps, author, { ...text, title }),
  );
}
