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
  postColumns,
  posts,
} from "../db/schema/posts.ts";
import type { PostTranslation } from "../db/schema/translations.ts";
import { downloadUrlOf } from "../server/services/media-links.ts";
import { postUrl } from "../server/services/notifications.ts";
import { isPublicToEveryone } from "../server/services/privacy.ts";
import { actorUriOf } from "../server/urls.ts";
import { isHiddenFrom, mayReadFile, maySeeMembersOnly } from "./authorize.ts";
import type { FederationContext } from "./context.ts";
import { languageMapsOf, withTranslations } from "./language-maps.ts";
import { kindTagOf } from "./praxis-terms.ts";

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
 * The shape is Lemmy's own (generate_to, crates/apub/objects/src/utils/functions.rs, and
 * AnnounceActivity::new, crates/apub/activities/src/community/announce.rs): `to` holds two
 * addresses, so it is always written as a list, which Mobilizon needs (it adds addresses up
 * with `++`: get_recipients, lib/federation/activity_pub/utils.ex); `cc`, the followers, is
 * never empty, which Lemmy needs on every Create, Update and Announce.
 */
export function audienceOf(ctx: Ctx, community: Community, file: FileDetails | null = null) {
  const followers = community.domain
    ? community.followers
      ? new URL(community.followers)
      : null
    : ctx.getFollowersUri(community.slug.toLowerCase());
  const group = groupUri(ctx, community);
  const members = followers ? [followers] : [];
  return {
    tos: isPublicToEveryone(community, file) ? [PUBLIC_COLLECTION, group] : [group, ...members],
    ccs: members,
    audience: group,
  };
}

function markdownSource(source: string) {
  return new Source({ content: source, mediaType: "text/markdown" });
}

function common(
  ctx: Ctx,
  { post, author, community, translations }: PostParts,
  file: FileDetails | null = null,
) {
  return {
    id: postUri(ctx, post),
    attribution: personUri(ctx, author),
    ...languageMapsOf(post, translations),
    source: markdownSource(post.source),
    published: Temporal.Instant.from(post.createdAt.toISOString()),
    updated: post.editedAt ? Temporal.Instant.from(post.editedAt.toISOString()) : null,
    ...audienceOf(ctx, community, file),
    // FEP-7888: each thread is a context of its own, named by its first post, so that NodeBB
    // and Discourse, which group by context, keep threads apart. One string: Lemmy reads no
    // list (`context: Option<String>`, crates/apub/objects/src/protocol/page.rs).
    contexts: [postUri(ctx, post)],
  };
}

/**
 * A discussion, announcement or page, as Lemmy shows a thread: a Page with a name, tagged with
 * its kind. A resource page is also tagged with the page it sits under: its place in the tree.
 */
export function pageOf(ctx: Ctx, parts: PostParts): Page {
  const { post } = parts;
  const shared = common(ctx, parts);
  return new Page({
    ...shared,
    url: shared.id,
    tags: [
      kindTagOf(post.kind),
      ...(post.parentPageId
        ? [new Page({ id: new URL(postUrl(ctx.data.deps, post.parentPageId)) })]
        : []),
    ],
  });
}

/**
 * Mobilizon's name for an event's online address, an attachment Link it reads by this name
 * only (`@online_address_name`, get_online_address, lib/federation/activity_stream/converter/event.ex).
 */
const onlineAddressName = "Website";

/**
 * A calendar entry as Mobilizon shapes one: instants, a place, and the online address as a
 * Link attachment (Lemmy takes the first attachment as the post's link). It stays attributed
 * to its author: Mobilizon would file an event attributed to the group under that group, but
 * Lemmy refuses a post whose creator is a Group (verify_person_in_community,
 * crates/apub/objects/src/utils/functions.rs) and Mastodon would show it as the group's; so on
 * Mobilizon it is the author's event, not the group's (maybe_fetch_actor_and_attributed_to_id,
 * lib/federation/activity_stream/converter/utils.ex; Mobilizon reads no `audience`).
 */
function eventOf(ctx: Ctx, parts: PostParts, details: EventDetails): Event {
  const { post } = parts;
  return new Event({
    ...common(ctx, parts),
    startTime: Temporal.Instant.from(details.startsAt.toISOString()),
    endTime: Temporal.Instant.from(details.endsAt.toISOString()),
    location: details.location ? new Place({ name: details.location }) : null,
    url: postUri(ctx, post),
    attachments: details.onlineUrl
      ? [
          new Link({
            href: new URL(details.onlineUrl),
            mediaType: "text/html",
            name: onlineAddressName,
          }),
        ]
      : [],
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

/**
 * A shared file, as Lemmy carries a link post: a Page with its description, tagged as a file,
 * whose bytes are its Document attachment. A Document itself is neither a post type Lemmy
 * takes (PageType, crates/apub/objects/src/protocol/page.rs) nor a status Mastodon shows
 * (CONVERTED_TYPES, app/lib/activitypub/activity.rb), and Mobilizon files one as a group
 * resource (transmogrifier.ex, handle_incoming of a Create of a Document).
 */
function filePageOf(ctx: Ctx, parts: PostParts, file: FileDetails): Page {
  const { post, community } = parts;
  const shared = common(ctx, parts, file);
  return new Page({
    ...shared,
    url: shared.id,
    tags: [kindTagOf("file")],
    attachments: [
      new Document({
        url: fileDownloadUrl(ctx, post, file, community),
        mediaType: file.mediaType,
        name: post.title,
      }),
    ],
  });
}

/** What every kind of post is made of as an object; translations, where it has any. */
interface PostParts {
  post: Post;
  author: Account;
  community: Community;
  translations?: readonly PostTranslation[] | undefined;
}

/** Any post as the object other servers see. */
export function postObjectOf(ctx: Ctx, row: LoadedPost): APObject {
  if (row.post.kind === "event" && row.event) return eventOf(ctx, row, row.event);
  if (row.post.kind === "file" && row.file) return filePageOf(ctx, row, row.file);
  return pageOf(ctx, row);
}

/** A comment, in the context of its thread (FEP-7888), as its post has it. */
export function noteOf(ctx: Ctx, row: LoadedComment): Note {
  const { comment, author, inReplyTo, thread } = row;
  return new Note({
    id: commentUri(ctx, comment),
    attribution: personUri(ctx, author),
    replyTarget: inReplyTo,
    content: comment.content,
    source: markdownSource(comment.source),
    published: Temporal.Instant.from(comment.createdAt.toISOString()),
    ...audienceOf(ctx, row.post.community),
    contexts: [thread],
  });
}

/**
 * A served document with every `attachment` written as a list. Fedify writes a lone one as an
 * object in what it serves (it wraps it only in what it sends), and Lemmy refuses a post whose
 * attachment is no list (`attachment: Vec<Attachment>`, crates/apub/objects/src/protocol/page.rs),
 * as Mobilizon fails on an event's (get_metdata, lib/federation/activity_stream/converter/event.ex).
 */
export function withAttachmentLists(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withAttachmentLists);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([field, item]) => [
      field,
      field === "attachment" && !Array.isArray(item)
        ? [withAttachmentLists(item)]
        : field === "@context"
          ? item
          : withAttachmentLists(item),
    ]),
  );
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

/** A post with everything needed to show it as an object, its translations too, if it exists. */
export async function loadPost(db: Executor, postId: string) {
  const [row] = await withTranslations(db, await loadedPosts(db).where(eq(posts.id, postId)));
  return row;
}

/** A post as loadedPosts reads it, with its translations where the caller loaded them. */
export type LoadedPost = Awaited<ReturnType<ReturnType<typeof loadedPosts>["execute"]>>[number] & {
  translations?: readonly PostTranslation[] | undefined;
};

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
  const thread = postUri(ctx, post.post);
  return { ...row, post, inReplyTo: parent ? commentUri(ctx, parent) : thread, thread };
}

export type LoadedComment = NonNullable<Awaited<ReturnType<typeof loadComment>>>;

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
      return noteOf(ctx, row);
    })
    .authorize(async (ctx, { id }) => {
      const row = isUuid(id) ? await loadComment(ctx, ctx.data.deps.db, id) : undefined;
      return !row || maySeeMembersOnly(ctx, row.post.community);
    });
}
