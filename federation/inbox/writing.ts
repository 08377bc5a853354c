import type { Context, InboxContext } from "@fedify/fedify";
import {
  type Activity,
  type Actor,
  Object as APObject,
  Article,
  ChatMessage,
  type Create,
  Document,
  Event,
  getTypeId,
  isActor,
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
import { languagesIn } from "../language-maps.ts";
import { localCommunityCalled } from "../names.ts";
import { kindIn } from "../praxis-terms.ts";
import { rememberAccount } from "../remote-actors.ts";
import { receiveDirectMessage } from "./direct-messages.ts";
import { ignore } from "./ignored.ts";

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

/**
 * A shared file: a Page a Praxis server tags as one (its bytes its Document attachment), or a
 * Document as other software sends one. In ActivityStreams a Page is a kind of Document too,
 * but an untagged one is a thread here.
 */
const isFile = (object: Writing): object is Document =>
  object instanceof Page ? kindIn(object.tagIds) === "file" : object instanceof Document;

/** Events and files may come without a description; threads and replies may not. */
const mayBeWordless = (object: Writing) => object instanceof Event || isFile(object);

/** The first address of a web page among `urls` (a Link's href, or a plain URL). */
const webAddressIn = (urls: readonly (URL | Link)[]) =>
  urls.map((url) => (url instanceof Link ? url.href : url)).find(isWebAddress) ?? null;

/**
 * Where a post that is only a title points: its first attachment, which Lemmy takes as the
 * post's link (crates/apub/objects/src/objects/post.rs, `from_json`), or else its `url` when
 * that is another page than the post itself (lotide sends its link posts so).
 */
async function linkOf(ctx: AnyCtx, object: Writing): Promise<URL | null> {
  const attachments = object.getAttachments({
    documentLoader: ctx.documentLoader,
    contextLoader: ctx.contextLoader,
    suppressError: true,
  });
  for await (const attachment of attachments) {
    // Only the first one, as Lemmy reads it.
    const href =
      attachment instanceof Link
        ? attachment.href
        : attachment instanceof APObject
          ? webAddressIn(attachment.urls)
          : null;
    if (isWebAddress(href)) return href;
    break;
  }
  return webAddressIn(
    object.urls.filter((url) => !(url instanceof URL && url.href === object.id?.href)),
  );
}

const escapedHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");

/**
 * The text of a post or reply. A post may be a title alone, or a title and a link or an image
 * (Lemmy asks only for a `name` or a `content`: crates/apub/objects/src/objects/post.rs,
 * `from_json`); its body is then that link, as Mastodon shows a Page or an Article it is sent
 * (`text_from_content`, app/lib/activitypub/activity/create.rb). A reply needs words.
 */
async function textOf(ctx: AnyCtx, object: Writing): Promise<IncomingText | null> {
  if (!object.id) return null;
  const titled = !object.replyTargetId && Boolean(object.name?.toString());
  if (!object.content && !titled && !mayBeWordless(object)) return null;
  const link = !object.content && titled ? await linkOf(ctx, object) : null;
  const source = object.source;
  return {
    ...languagesIn(object),
    uri: object.id.href,
    html:
      object.content?.toString() ??
      (link ? `<p><a href="${escapedHtml(link.href)}">${escapedHtml(link.href)}</a></p>` : ""),
    markdown:
      source?.mediaType === "text/markdown" ? (source.content?.toString() ?? undefined) : undefined,
    published: object.published ? new Date(object.published.epochMilliseconds) : undefined,
  };
}

/**
 * A post's title: its name (a Note's only when it has no text, as lotide's image posts), or for
 * a post that has none (a Mastodon mention) its first words.
 */
function titleOf(object: Writing, text: IncomingText): string {
  if (object.name && (!(object instanceof Note) || !object.content)) return object.name.toString();
  const words = text.html
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return words.length > 80 ? `${words.slice(0, 79)}…` : words;
}

/**
 * A text kind read back from the tag a Praxis server gives it, and for a page the page it sits
 * under (its other tag, a post on the same server); otherwise a thread.
 */
function textKindOf(object: Writing): PostDetails {
  const kind = kindIn(object.tagIds);
  if (kind === "announcement") return { kind };
  if (kind === "page") {
    const parent = object.tagIds.find(
      (other) => other.origin === object.id?.origin && other.pathname.startsWith("/posts/"),
    );
    return { kind, parent: parent?.href };
  }
  return { kind: "discussion" };
}

/** A link from another server, kept only if it leads to a web page (not javascript: or data:). */
const isWebAddress = (href: URL | null | undefined): href is URL =>
  href?.protocol === "https:" || href?.protocol === "http:";

const instantOf = (value: { epochMilliseconds: number } | null) =>
  value ? new Date(value.epochMilliseconds) : null;

/** An object's attachments that are objects or links (Mobilizon attaches PropertyValues too). */
async function attachmentsOf(ctx: AnyCtx, object: Writing) {
  const attachments: (APObject | Link)[] = [];
  const options = { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader };
  for await (const each of object.getAttachments({ ...options, suppressError: true })) {
    if (each instanceof APObject || each instanceof Link) attachments.push(each);
  }
  return attachments;
}

/**
 * What makes an Event or a file more than text: its times, place and online address (an
 * attachment Link, as Mobilizon sends it and Praxis now does, or a Link among its `url`s, as
 * Praxis did), or where its bytes are (a Page's Document attachment, or the Document's `url`).
 */
async function detailsOf(ctx: AnyCtx, object: Writing): Promise<PostDetails> {
  if (object instanceof Event) {
    const startsAt = instantOf(object.startTime);
    if (!startsAt) return null;
    const place = await object.getLocation(ctx).catch(() => null);
    const links = [...(await attachmentsOf(ctx, object)), ...object.urls].filter(
      (url): url is Link => url instanceof Link && url.href?.href !== object.id?.href,
    );
    return {
      kind: "event",
      startsAt,
      endsAt: instantOf(object.endTime) ?? startsAt,
      location: place?.name?.toString() ?? "",
      onlineUrl: webAddressIn(links)?.href ?? null,
    };
  }
  if (isFile(object)) {
    const bytes =
      object instanceof Page
        ? (await attachmentsOf(ctx, object)).find((each) => each instanceof Document)
        : object;
    const href = webAddressIn(bytes?.urls ?? []);
    if (!bytes || !href) return null;
    return {
      kind: "file",
      url: href.href,
      mediaType: bytes.mediaType ?? "application/octet-stream",
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

const alreadyHere = "it is here already";

/** What `object` says and who wrote it, or null (and why, in the log) when either is missing. */
async function textAndAuthor(ctx: AnyCtx, object: Writing, authorActor: Actor | null) {
  const text = await textOf(ctx, object);
  if (!text) return ignore(object, "it has no id, or neither a title nor words");
  const author = authorActor ? await rememberAccount(ctx.data.deps, authorActor) : null;
  if (!author) return ignore(object, "its author is no person who could be a member");
  return { text, author };
}

/** Stores what `author` wrote in `community` (or in reply to something there). */
export async function store(
  ctx: AnyCtx,
  community: Community | null,
  object: Writing,
  authorActor: Actor | null,
) {
  const written = await textAndAuthor(ctx, object, authorActor);
  if (!written) return;
  const { text, author } = written;
  const replyTo = object.replyTargetId;
  await loggingRefusals(text, author, async () => {
    if (replyTo) {
      const comment = await receiveComment(ctx.data.deps, author, {
        ...text,
        inReplyTo: replyTo.href,
      });
      if (!comment) ignore(object, alreadyHere);
    } else if (community) {
      const details = await detailsOf(ctx, object);
      if (!details) return ignore(object, "an event needs a start, and a file an address");
      const post = await receivePost(ctx.data.deps, community, author, {
        ...text,
        title: titleOf(object, text),
        details,
      });
      if (!post) ignore(object, alreadyHere);
    } else {
      ignore(object, "it answers nothing here and is addressed to no community here");
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

const privateMessage = "a private message to the community is no post in it";

/**
 * A message to the community alone, outside any thread and without an `audience`: a private
 * message. Lemmy sends those to a person only (crates/apub/objects/src/objects/private_message.rs,
 * `verify`), Mastodon calls a Note for neither the public nor followers `direct`
 * (app/lib/activitypub/activity/create.rb, `visibility_from_audience`), and Lemmy refuses a
 * post that is not public in a public community (crates/apub/objects/src/utils/functions.rs,
 * `verify_visibility`). Made a thread, it would publish what was sent privately.
 */
function isPrivateMessage(ctx: Ctx, object: Writing, author: Actor | null): boolean {
  if (!(object instanceof Note) || object.replyTargetId || object.audienceId) return false;
  const followers = author?.followersId?.href;
  const addressed = [...object.toIds, ...object.ccIds];
  return !addressed.some(
    (id) =>
      id.href === PUBLIC_COLLECTION.href ||
      id.href === followers ||
      ctx.parseUri(id)?.type === "followers",
  );
}

/**
 * A member on another server writes in a community here (FEP-1b12), or a person replies
 * to a thread here, or writes directly to people here (inbox/direct-messages.ts). Fedify has
 * checked the signature; the object must be the signer's own.
 * A private message is answered 202 all the same: the inbox took it before a worker read it.
 */
export async function onCreate(ctx: Ctx, create: Create): Promise<void> {
  const object = await ownObject(ctx, create);
  if (!object) return;
  const author = await actorOf(ctx, create);
  if (object instanceof Note && (await receiveDirectMessage(ctx, object, author))) return;
  if (isPrivateMessage(ctx, object, author)) {
    return ignore(create, privateMessage);
  }
  const community = await addressedCommunity(ctx, create, object);
  await store(ctx, community, object, author);
}

/**
 * The activity's actor as its own document has it, when the activity carries only a stub of
 * it (Prismo sends `[{ type, id }]`), which says nothing of where the person lives.
 */
async function actorOf(ctx: Ctx, activity: Create | Update): Promise<Actor | null> {
  const actor = await activity.getActor(ctx);
  if (actor?.inboxId || !activity.actorId) return actor;
  const document = await ctx.lookupObject(activity.actorId, ctx);
  return isActor(document) ? document : null;
}

/** The object of a Create or Update, if it is a post or reply written by the activity's actor. */
async function ownObject(ctx: Ctx, activity: Create | Update): Promise<Writing | null> {
  const object = await activity.getObject(ctx);
  if (object instanceof ChatMessage) {
    ignore(activity, privateMessage);
    return null;
  }
  if (!isWriting(object) || !activity.actorId) {
    const what = object ? getTypeId(object).href : "nothing it could read";
    ignore(activity, `it carries ${what}: only posts, replies, events and files are kept here`);
    return null;
  }
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
  if (object) await revise(ctx, object, await actorOf(ctx, update));
}

export async function revise(ctx: AnyCtx, object: Writing, authorActor: Actor | null) {
  const written = await textAndAuthor(ctx, object, authorActor);
  if (!written) return;
  const { text, author } = written;
  const title = object instanceof Note ? undefined : object.name?.toString();
  await loggingRefusals(text, author, () =>
    reviseWriting(ctx.data.deps, author, { ...text, title }),
  );
}
