import type { Context, Federation } from "@fedify/fedify";
import {
  Object as APObject,
  Document,
  Event,
  Link,
  Note,
  Page,
  Place,
  PUBLIC_COLLECTION,
  Source,
} from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import { eq } from "drizzle-orm";
import type { Executor } from "../db/index.ts";
import { type Account, accounts } from "../db/schema/accounts.ts";
import { type Community, communities } from "../db/schema/communities.ts";
import { type EventDetails, eventDetails } from "../db/schema/events.ts";
import { type FileDetails, fileDetails } from "../db/schema/files.ts";
import {
  type Comment,
  commentColumns,
  comments,
  type Post,
  type PostKind,
  postColumns,
  posts,
} from "../db/schema/posts.ts";
import { downloadUrlOf } from "../server/services/media-links.ts";
import { postUrl } from "../server/services/notifications.ts";
import { isPublicToEveryone } from "../server/services/privacy.ts";
import { actorUriOf } from "../server/urls.ts";
import { isHiddenFrom, mayReadFile, maySeeMembersOnly } from "./authorize.ts";
import type { FederationContext } from "./context.ts";

type Ctx = Context<FederationContext>;

export function groupUri(ctx: Ctx, community: Community): URL {
  return new URL(
    actorUriOf(ctx.data.deps.config.publicUrl, community.slug.toLowerCase(), community),
  );
}

export function personUri(ctx: Ctx, account: Account): URL {
  return new URL(
    actorUriOf(ctx.data.deps.config.publicUrl, account.username.toLowerCase(), account),
  );
}

export function postUri(ctx: Ctx, post: Post): URL {
  return new URL(post.uri ?? postUrl(ctx.data.deps, post.id));
}

export function commentUri(ctx: Ctx, comment: Comment): URL {
  return new URL(comment.uri ?? new URL(`/comments/${comment.id}`, ctx.data.deps.config.publicUrl));
}

/**
 * Who an activity of `community` is for: what is public to everyone is addressed to
 * `as:Public`, anything else (a file marked private included) only to the followers, its members.
 */
export function audienceOf(ctx: Ctx, community: Community, file: FileDetails | null = null) {
  const followers = community.domain
    ? community.followers
      ? new URL(community.followers)
      : null
    : ctx.getFollowersUri(community.slug.toLowerCase());
  const group = groupUri(ctx, community);
  return {
    tos: isPublicToEveryone(community, file) ? [PUBLIC_COLLECTION, group] : [group],
    ccs: followers ? [followers] : [],
    audience: group,
  };
}

function markdownSource(source: string) {
  return new Source({ content: source, mediaType: "text/markdown" });
}

/**
 * Which of a community's text kinds a Page is: Lemmy shows each as a thread, and Praxis
 * reads the kind back from this context, a fragment of the community's own id.
 */
export function kindContext(group: URL, kind: PostKind): URL {
  return new URL(`#${kind}`, group);
}

function common(
  ctx: Ctx,
  post: Post,
  author: Account,
  community: Community,
  file: FileDetails | null = null,
) {
  return {
    id: postUri(ctx, post),
    attribution: personUri(ctx, author),
    name: post.title,
    content: post.content,
    source: markdownSource(post.source),
    published: Temporal.Instant.from(post.createdAt.toISOString()),
    updated: post.editedAt ? Temporal.Instant.from(post.editedAt.toISOString()) : null,
    ...audienceOf(ctx, community, file),
  };
}

/** A discussion, announcement or page, as Lemmy shows a thread: a Page with a name. */
export function pageOf(ctx: Ctx, post: Post, author: Account, community: Community): Page {
  const shared = common(ctx, post, author, community);
  return new Page({
    ...shared,
    url: shared.id,
    // A resource page names the page it sits under as a second context: its place in the tree.
    contexts: [
      kindContext(shared.audience, post.kind),
      ...(post.parentPageId ? [new URL(postUrl(ctx.data.deps, post.parentPageId))] : []),
    ],
  });
}

/** A calendar entry as Mobilizon shapes one: instants, a place or an online link. */
function eventOf(
  ctx: Ctx,
  post: Post,
  details: EventDetails,
  author: Account,
  community: Community,
): Event {
  return new Event({
    ...common(ctx, post, author, community),
    startTime: Temporal.Instant.from(details.startsAt.toISOString()),
    endTime: Temporal.Instant.from(details.endsAt.toISOString()),
    location: details.location ? new Place({ name: details.location }) : null,
    urls: [
      postUri(ctx, post),
      ...(details.onlineUrl ? [new Link({ href: new URL(details.onlineUrl) })] : []),
    ],
  });
}

export function fileDownloadUrl(
  ctx: Ctx,
  post: Post,
  file: FileDetails,
  community: Community,
): URL {
  const config = ctx.data.deps.config;
  return new URL(downloadUrlOf(config, { id: post.id, private: file.private }, community));
}

/** A shared file: its description, and where its bytes are. */
function documentOf(
  ctx: Ctx,
  post: Post,
  file: FileDetails,
  author: Account,
  community: Community,
): Document {
  return new Document({
    ...common(ctx, post, author, community, file),
    mediaType: file.mediaType,
    urls: [
      new Link({ href: fileDownloadUrl(ctx, post, file, community), mediaType: file.mediaType }),
    ],
  });
}

/** Any post as the object other servers see. */
export function postObjectOf(ctx: Ctx, row: LoadedPost): APObject {
  const { post, author, community } = row;
  if (post.kind === "event" && row.event) return eventOf(ctx, post, row.event, author, community);
  if (post.kind === "file" && row.file) return documentOf(ctx, post, row.file, author, community);
  return pageOf(ctx, post, author, community);
}

export function noteOf(
  ctx: Ctx,
  comment: Comment,
  inReplyTo: URL,
  author: Account,
  community: Community,
): Note {
  return new Note({
    id: commentUri(ctx, comment),
    attribution: personUri(ctx, author),
    replyTarget: inReplyTo,
    content: comment.content,
    source: markdownSource(comment.source),
    published: Temporal.Instant.from(comment.createdAt.toISOString()),
    ...audienceOf(ctx, community),
  });
}

/** Posts with everything needed to show each as an object; callers add the conditions. */
export function loadedPosts(db: Executor) {
  return db
    .select({
      post: postColumns,
      author: accounts,
      community: communities,
      file: fileDetails,
      event: eventDetails,
    })
    .from(posts)
    .innerJoin(communities, eq(communities.id, posts.communityId))
    .innerJoin(accounts, eq(accounts.id, posts.authorId))
    .leftJoin(fileDetails, eq(fileDetails.postId, posts.id))
    .leftJoin(eventDetails, eq(eventDetails.postId, posts.id));
}

/** A post with everything needed to show it as an object, if it exists. */
export async function loadPost(db: Executor, postId: string) {
  const [row] = await loadedPosts(db).where(eq(posts.id, postId));
  return row;
}

export type LoadedPost = NonNullable<Awaited<ReturnType<typeof loadPost>>>;

export async function loadComment(ctx: Ctx, db: Executor, commentId: string) {
  const [row] = await db
    .select({ comment: commentColumns, author: accounts })
    .from(comments)
    .innerJoin(accounts, eq(accounts.id, comments.authorId))
    .where(eq(comments.id, commentId));
  if (!row) return undefined;
  const post = await loadPost(db, row.comment.postId);
  if (!post) return undefined;
  const [parent] = row.comment.inReplyToId
    ? await db.select(commentColumns).from(comments).where(eq(comments.id, row.comment.inReplyToId))
    : [];
  const inReplyTo = parent ? commentUri(ctx, parent) : postUri(ctx, post.post);
  return { ...row, post, inReplyTo };
}

const isUuid = (id: string) => /^[0-9a-f-]{36}$/i.test(id);

export function registerObjects(federation: Federation<FederationContext>): void {
  federation
    // Posts of every kind share one path; each answers with its own type.
    .setObjectDispatcher(APObject, "/posts/{id}", async (ctx, { id }) => {
      const row = isUuid(id) ? await loadPost(ctx.data.deps.db, id) : undefined;
      if (!row || row.post.uri || row.post.deletedAt) return null;
      if (await isHiddenFrom(ctx, row.community)) return null;
      return postObjectOf(ctx, row);
    })
    .authorize(async (ctx, { id }) => {
      const row = isUuid(id) ? await loadPost(ctx.data.deps.db, id) : undefined;
      return !row || mayReadFile(ctx, row.community, row.file);
    });
  federation
    .setObjectDispatcher(Note, "/comments/{id}", async (ctx, { id }) => {
      const row = isUuid(id) ? await loadComment(ctx, ctx.data.deps.db, id) : undefined;
      if (!row || row.comment.uri || row.comment.deletedAt) return null;
      if (await isHiddenFrom(ctx, row.post.community)) return null;
      return noteOf(ctx, row.comment, row.inReplyTo, row.author, row.post.community);
    })
    .authorize(async (ctx, { id }) => {
      const row = isUuid(id) ? await loadComment(ctx, ctx.data.deps.db, id) : undefined;
      return !row || maySeeMembersOnly(ctx, row.post.community);
    });
}
