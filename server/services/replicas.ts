import { eq } from "drizzle-orm";
import type { Executor } from "../../db/index.ts";
import type { Account } from "../../db/schema/accounts.ts";
import { type Community, communities } from "../../db/schema/communities.ts";
import { eventDetails } from "../../db/schema/events.ts";
import { fileDetails } from "../../db/schema/files.ts";
import {
  type Comment,
  comments,
  type Post,
  type PostKind,
  postColumns,
  posts,
} from "../../db/schema/posts.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { insertComment } from "./comments.ts";
import { relationOf } from "./communities.ts";
import { languageOf } from "./language.ts";
import { recordLike } from "./likes.ts";
import { renderMarkdown } from "./markdown.ts";
import { mailAnnouncement, noticeOfAnnouncement } from "./notifications.ts";
import { assertMayWrite } from "./posts.ts";
import { isActive } from "./privacy.ts";
import { sanitize } from "./sanitize.ts";
import { assertNotBuried } from "./tombstones.ts";
import {
  forgetTranslations,
  type IncomingTranslation,
  receiveTranslations,
} from "./translations.ts";

/** Text written on another server: Markdown when it sent its source, else its HTML. */
export interface IncomingText {
  uri: string;
  html: string;
  markdown?: string | undefined;
  language?: string | undefined;
  published?: Date | undefined;
  /** A post's versions in other languages, from its `contentMap` and `nameMap`. */
  translations?: IncomingTranslation[] | undefined;
}

/** What a post is beyond its text: a kind, and for events and files their particulars. */
export type PostDetails =
  | { kind: Exclude<PostKind, "event" | "file" | "page"> }
  /** `parent`: the id of the page it sits under, on its home server. */
  | { kind: "page"; parent?: string | undefined }
  | { kind: "event"; startsAt: Date; endsAt: Date; location: string; onlineUrl: string | null }
  | { kind: "file"; url: string; mediaType: string; private: boolean }
  | null;

export interface IncomingPost extends IncomingText {
  title: string;
  details: NonNullable<PostDetails>;
}

export interface IncomingComment extends IncomingText {
  /** The id of the post or comment it answers. */
  inReplyTo: string;
}

function textOf(incoming: IncomingText, title = "") {
  const source =
    incoming.markdown ??
    sanitize(incoming.html)
      .replace(/<[^>]*>/g, " ")
      .trim();
  return {
    uri: incoming.uri,
    source,
    content: incoming.markdown ? renderMarkdown(incoming.markdown) : sanitize(incoming.html),
    language: languageOf(source, incoming.language, title),
    ...(incoming.published ? { createdAt: incoming.published } : {}),
  };
}

/** The local id inside one of this server's own URLs (`/posts/{id}`), if it is one. */
function localIdIn(deps: Deps, uri: string, folder: "posts" | "comments"): string | null {
  const prefix = new URL(`/${folder}/`, deps.config.publicUrl).href;
  const id = uri.startsWith(prefix) ? uri.slice(prefix.length) : "";
  return /^[0-9a-f-]{36}$/i.test(id) ? id : null;
}

const byUri = (
  deps: Deps,
  uri: string,
  folder: "posts" | "comments",
  table: typeof posts | typeof comments,
) => {
  const id = localIdIn(deps, uri, folder);
  return id ? eq(table.id, id) : eq(table.uri, uri);
};

export async function findPostByUri(deps: Deps, db: Executor, uri: string) {
  const [post] = await db
    .select()
    .from(posts)
    .where(byUri(deps, uri, "posts", posts));
  return post;
}

async function findCommentByUri(deps: Deps, db: Executor, uri: string) {
  const [comment] = await db
    .select()
    .from(comments)
    .where(byUri(deps, uri, "comments", comments));
  return comment;
}

/** The calendar or file record that goes with a post received from elsewhere. */
async function storeDetails(
  tx: Executor,
  community: Community,
  post: Post,
  details: IncomingPost["details"],
) {
  if (details.kind === "event") {
    const { kind: _, ...times } = details;
    if (times.endsAt < times.startsAt) throw new DomainError("event_ends_before_start");
    // ActivityPub carries instants without the organiser's zone; UTC until one is sent.
    await tx.insert(eventDetails).values({ postId: post.id, timezone: "UTC", ...times });
  } else if (details.kind === "file") {
    // A copy's bytes stay on their home server: its storage key is their address there.
    await tx.insert(fileDetails).values({
      postId: post.id,
      filename: post.title,
      mediaType: details.mediaType,
      size: 0,
      storageKey: details.url,
      // Whether a copy is members-only is its home's decision, read from its addressing; a
      // file a member elsewhere shares here follows this community's own rules.
      private: community.domain !== null && details.private,
    });
  }
}

/** The page a page received from elsewhere sits under, when that page is here in the same community. */
async function parentPageOf(
  deps: Deps,
  tx: Executor,
  community: Community,
  details: IncomingPost["details"],
): Promise<string | null> {
  if (details.kind !== "page" || !details.parent) return null;
  const parent = await findPostByUri(deps, tx, details.parent);
  return parent?.communityId === community.id && parent.kind === "page" ? parent.id : null;
}

/**
 * A community here receives a post from a member on another server: the same rules as for
 * its own people, and the community relays it to its other members' servers.
 * A copy from a community elsewhere is kept as it comes, its home server having checked it.
 */
export async function receivePost(
  deps: Deps,
  community: Community,
  author: Account,
  incoming: IncomingPost,
): Promise<Post | null> {
  const { kind } = incoming.details;
  if (!community.domain) {
    assertMayWrite(community, await relationOf(deps.db, community.id, author.id), kind);
  }
  const post = await deps.db.transaction(async (tx) => {
    await assertNotBuried(tx, incoming.uri, community);
    const [created] = await tx
      .insert(posts)
      .values({
        communityId: community.id,
        authorId: author.id,
        kind,
        title: incoming.title.slice(0, 300) || "—",
        ...textOf(incoming, incoming.title),
        parentPageId: await parentPageOf(deps, tx, community, incoming.details),
      })
      .onConflictDoNothing()
      .returning(postColumns);
    if (!created) return null;
    await storeDetails(tx, community, created, incoming.details);
    await receiveTranslations(tx, created, incoming.translations ?? []);
    if (!community.domain) {
      await deps.federation.publish(tx, { type: "post_created", postId: created.id });
    }
    // Each server tells its own members of an announcement, wherever it was written.
    if (kind === "announcement") await noticeOfAnnouncement(tx, community, created, author);
    return created;
  });
  if (post && kind === "announcement") await mailAnnouncement(deps, community, post, author);
  return post;
}

/** A reply from another server, to a thread here or to a copy of one from elsewhere. */
export async function receiveComment(
  deps: Deps,
  author: Account,
  incoming: IncomingComment,
): Promise<Comment | null> {
  return deps.db.transaction(async (tx) => {
    const parent = await findCommentByUri(deps, tx, incoming.inReplyTo);
    const post = parent
      ? (await tx.select(postColumns).from(posts).where(eq(posts.id, parent.postId)))[0]
      : await findPostByUri(deps, tx, incoming.inReplyTo);
    if (!post) throw new DomainError("reply_target_invalid");
    const [community] = await tx
      .select()
      .from(communities)
      .where(eq(communities.id, post.communityId));
    if (!community) throw new DomainError("community_not_found");
    await assertNotBuried(tx, incoming.uri, community);
    const local = community.domain === null;
    if (local) {
      assertMayWrite(community, await relationOf(tx, post.communityId, author.id));
      if (post.deletedAt) throw new DomainError("post_deleted");
      if (post.locked) throw new DomainError("thread_locked");
    }
    const created = await insertComment(tx, post, parent, author.id, textOf(incoming));
    if (!created) return null;
    if (local)
      await deps.federation.publish(tx, { type: "comment_created", commentId: created.id });
    return created;
  });
}

export async function findWriting(deps: Deps, db: Executor, uri: string) {
  const post = await findPostByUri(deps, db, uri);
  if (post) return { kind: "post" as const, row: post, postId: post.id };
  const comment = await findCommentByUri(deps, db, uri);
  return comment ? { kind: "comment" as const, row: comment, postId: comment.postId } : null;
}

export async function communityOfPost(db: Executor, postId: string): Promise<Community> {
  const [row] = await db
    .select({ community: communities })
    .from(posts)
    .innerJoin(communities, eq(communities.id, posts.communityId))
    .where(eq(posts.id, postId));
  if (!row) throw new DomainError("post_not_found");
  return row.community;
}

/** An author on another server edited what they wrote; only they may, and not once deleted. */
export async function reviseWriting(
  deps: Deps,
  author: Account,
  incoming: IncomingText & { title?: string | undefined },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const found = await findWriting(deps, tx, incoming.uri);
    if (!found) throw new DomainError("post_not_found");
    if (found.row.authorId !== author.id) throw new DomainError("not_author");
    if (found.row.deletedAt) throw new DomainError("post_deleted");
    const community = await communityOfPost(tx, found.postId);
    await assertNotBuried(tx, incoming.uri, community);
    const { uri: _, createdAt: __, ...text } = textOf(incoming, incoming.title);
    const changes = { ...text, editedAt: new Date(), updatedAt: new Date() };
    if (found.kind === "post") {
      const title = incoming.title ? incoming.title.slice(0, 300) : found.row.title;
      await tx
        .update(posts)
        .set({ ...changes, title })
        .where(eq(posts.id, found.row.id));
      await receiveTranslations(
        tx,
        { id: found.row.id, language: text.language, title },
        incoming.translations ?? [],
      );
      if (!community.domain) {
        await deps.federation.publish(tx, { type: "post_updated", postId: found.row.id });
      }
    } else {
      await tx.update(comments).set(changes).where(eq(comments.id, found.row.id));
      if (!community.domain) {
        await deps.federation.publish(tx, { type: "comment_updated", commentId: found.row.id });
      }
    }
  });
}

/**
 * Removes a post or comment written elsewhere: by its author, or — for a copy of a
 * community elsewhere — because that community (its moderators) says so.
 */
export async function removeWriting(
  deps: Deps,
  actor: Account,
  uri: string,
  relayedBy: Community | null,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const found = await findWriting(deps, tx, uri);
    if (!found) throw new DomainError("post_not_found");
    if (found.row.deletedAt) throw new DomainError("post_deleted");
    const community = await communityOfPost(tx, found.postId);
    const vouched =
      relayedBy !== null && relayedBy.id === community.id && community.domain !== null;
    if (found.row.authorId !== actor.id && !vouched) throw new DomainError("not_author");
    const now = new Date();
    const tombstone = { source: "", content: "", deletedAt: now, updatedAt: now };
    if (found.kind === "post") {
      await tx
        .update(posts)
        .set({ ...tombstone, title: "" })
        .where(eq(posts.id, found.row.id));
      await forgetTranslations(tx, found.row.id);
    } else {
      await tx.update(comments).set(tombstone).where(eq(comments.id, found.row.id));
    }
    if (community.domain) return;
    await deps.federation.publish(
      tx,
      found.kind === "post"
        ? { type: "post_deleted", postId: found.row.id, deletedById: actor.id }
        : { type: "comment_deleted", commentId: found.row.id, deletedById: actor.id },
    );
  });
}

/** A like from another server, counted once, from members only where this server decides. */
export async function receiveLike(
  deps: Deps,
  liker: Account,
  uri: string,
  liked: boolean,
): Promise<void> {
  const found = await findWriting(deps, deps.db, uri);
  if (!found) throw new DomainError("post_not_found");
  const community = await communityOfPost(deps.db, found.postId);
  if (!community.domain) {
    if (!isActive(await relationOf(deps.db, community.id, liker.id))) {
      throw new DomainError("members_only");
    }
    if (community.archived) throw new DomainError("community_archived");
  }
  await recordLike(deps, { kind: found.kind, id: found.row.id }, liker, liked);
}
