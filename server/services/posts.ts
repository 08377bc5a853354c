import { and, eq, isNull, type SQL, sql } from "drizzle-orm";
import type { Database, Executor } from "../../db/index.ts";
import { preparedFor } from "../../db/prepared.ts";
import { type Account, type Author, accounts, authorColumns } from "../../db/schema/accounts.ts";
import { type Community, communities } from "../../db/schema/communities.ts";
import { attachments, fileDetails } from "../../db/schema/files.ts";
import { memberships } from "../../db/schema/memberships.ts";
import { type Post, type PostKind, postColumns, posts } from "../../db/schema/posts.ts";
import { isAppointedTranslatorOf, postTranslations } from "../../db/schema/translations.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import {
  beyondPosition,
  cursorOrder,
  decodeCursor,
  type Page,
  type PageRequest,
  toPage,
} from "../pagination.ts";
import { type Attachment, attachFiles, attachmentsOf } from "./attachments.ts";
import { viewCommunity } from "./communities.ts";
import { languageOf } from "./language.ts";
import { renderMarkdown } from "./markdown.ts";
import { mailAnnouncement, noticeOfAnnouncement } from "./notifications.ts";
import {
  canReadContent,
  canReadFile,
  isActive,
  mayAnnounceIn,
  mayDeleteItem,
  mayModeratePost,
  mayWriteIn,
  type Relation,
  relationFrom,
} from "./privacy.ts";
import { forgetTranslations, type Reading } from "./translations.ts";

export interface PostView {
  post: Post;
  author: Author | null;
  community: Community;
  relation: Relation;
  /** The files attached, as this viewer may see them. */
  attachments?: Attachment[];
  /** Its translations, and the one this reader sees (services/translations.ts). */
  reading?: Reading;
  /** False when the post is known to have no translations: they are not looked up then. */
  translated?: boolean;
  /** Whether the viewer is an appointed translator of its community, when already known. */
  appointedTranslator?: boolean;
}

export interface NewPost {
  title: string;
  content: string;
  language?: string | undefined;
  parent?: string | undefined;
  position?: number | undefined;
  /** Ids of files shared in the same community. */
  attachments?: string[] | undefined;
}

export interface PostChanges {
  title?: string | undefined;
  content?: string | undefined;
  language?: string | undefined;
  locked?: boolean | undefined;
  pinned?: boolean | undefined;
  position?: number | undefined;
  attachments?: string[] | undefined;
}

/** Only active members write; announcements only from moderators up; nothing in archives. */
export function assertMayWrite(community: Community, relation: Relation, kind?: PostKind): void {
  if (!mayWriteIn(community, relation)) {
    throw new DomainError(isActive(relation) ? "community_archived" : "members_only");
  }
  if (kind === "announcement" && !mayAnnounceIn(community, relation)) {
    throw new DomainError("moderators_only");
  }
}

/** Refuses reading where the viewer may not: 404 when even the community is hidden from them. */
export function assertMayRead(
  community: Community,
  relation: Relation,
  viewer: Account | null,
): void {
  if (canReadContent(community, relation)) return;
  throw new DomainError(viewer ? "members_only" : "not_signed_in");
}

async function parentPageId(db: Executor, community: Community, parent: string | undefined) {
  if (!parent) return null;
  const [page] = await db
    .select({ id: posts.id })
    .from(posts)
    .where(
      and(
        sql`${posts.id}::text = ${parent}`,
        eq(posts.communityId, community.id),
        eq(posts.kind, "page"),
        isNull(posts.deletedAt),
      ),
    );
  if (!page) throw new DomainError("parent_page_invalid");
  return page.id;
}

/**
 * Publishes a post. `addDetails` runs in the same transaction, for kinds that keep more
 * than text (an event's times, a file's bytes), so nothing is ever half-written.
 */
export async function createPost(
  deps: Deps,
  ref: string,
  viewer: Account,
  kind: PostKind,
  input: NewPost,
  addDetails?: (tx: Executor, post: Post) => Promise<void>,
): Promise<PostView> {
  const { community, relation } = await viewCommunity(deps, ref, viewer);
  assertMayWrite(community, relation, kind);
  const post = await deps.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(posts)
      .values({
        communityId: community.id,
        authorId: viewer.id,
        kind,
        title: input.title,
        source: input.content,
        content: renderMarkdown(input.content),
        language: languageOf(input.content, input.language, input.title),
        parentPageId: kind === "page" ? await parentPageId(tx, community, input.parent) : null,
        position: input.position ?? 0,
      })
      .returning(postColumns);
    if (!created) throw new Error("post insert returned nothing");
    await addDetails?.(tx, created);
    if (input.attachments) await attachFiles(tx, created, input.attachments);
    await deps.federation.publish(tx, { type: "post_created", postId: created.id });
    if (kind === "announcement") await noticeOfAnnouncement(tx, community, created, viewer);
    return created;
  });
  if (kind === "announcement") await mailAnnouncement(deps, community, post, viewer);
  return withAttachments(deps.db, { post, author: viewer, community, relation });
}

/** Whether a post has files attached: only then are they looked up. */
const hasAttachments = sql<boolean>`exists (
  select 1 from ${attachments} where ${attachments.postId} = ${posts.id}
)`;

/** Whether a post has translations: most have none, and then none are looked up. */
const hasTranslations = sql<boolean>`exists (
  select 1 from ${postTranslations} where ${postTranslations.postId} = ${posts.id}
)`;

function feedQuery(db: Database, after?: SQL) {
  return db
    .select({
      post: postColumns,
      author: authorColumns,
      attached: hasAttachments,
      translated: hasTranslations,
    })
    .from(posts)
    .leftJoin(accounts, eq(accounts.id, posts.authorId))
    .where(
      and(
        eq(posts.communityId, sql.placeholder("community")),
        eq(posts.kind, sql.placeholder("kind")),
        isNull(posts.deletedAt),
        after,
      ),
    )
    .orderBy(...cursorOrder(posts.createdAt, posts.id))
    .limit(sql.placeholder("limit"));
}

const feedFirstPage = preparedFor((db) => feedQuery(db).prepare("feed_first_page"));
const feedLaterPage = preparedFor((db) =>
  feedQuery(
    db,
    beyondPosition(posts.createdAt, posts.id, {
      createdAt: sql.placeholder("createdAt"),
      id: sql.placeholder("id"),
    }),
  ).prepare("feed_later_page"),
);

export async function listPosts(
  deps: Deps,
  ref: string,
  viewer: Account | null,
  kind: PostKind,
  page: PageRequest,
): Promise<Page<PostView>> {
  const { community, relation, appointedTranslator } = await viewCommunity(deps, ref, viewer);
  assertMayRead(community, relation, viewer);
  const values = { community: community.id, kind, limit: page.limit + 1 };
  const after = page.cursor ? decodeCursor(page.cursor) : undefined;
  // Placeholders skip the column's encoding, and Drizzle has postgres.js send timestamps as
  // text: the cursor's time goes as ISO text.
  const rows = after
    ? await feedLaterPage(deps.db).execute({
        ...values,
        createdAt: after.createdAt.toISOString(),
        id: after.id,
      })
    : await feedFirstPage(deps.db).execute(values);
  const result = toPage(rows, page.limit, (row) => row.post);
  const attached = await attachmentsOf(
    deps.db,
    result.items.filter((row) => row.attached).map((row) => row.post.id),
    mayReadPrivateFiles(community, relation),
  );
  return {
    items: result.items.map(({ post, author, translated }) => ({
      post,
      author,
      community,
      relation,
      attachments: attached.get(post.id) ?? [],
      translated,
      appointedTranslator,
    })),
    next: result.next,
  };
}

/** Whether the viewer may read the files of a community that are marked private. */
function mayReadPrivateFiles(community: Community, relation: Relation): boolean {
  return canReadFile(community, { private: true }, relation);
}

async function withAttachments(db: Executor, view: PostView): Promise<PostView> {
  const attached = await attachmentsOf(
    db,
    [view.post.id],
    mayReadPrivateFiles(view.community, view.relation),
  );
  return { ...view, attachments: attached.get(view.post.id) ?? [] };
}

/** A post, its author and community, and the viewer's membership there, in one statement. */
const postView = preparedFor((db) =>
  db
    .select({
      post: postColumns,
      author: authorColumns,
      community: communities,
      state: memberships.state,
      role: memberships.role,
      privateFile: sql<boolean>`coalesce(${fileDetails.private}, false)`,
      attached: hasAttachments,
      translated: hasTranslations,
      appointedTranslator: isAppointedTranslatorOf(posts.communityId, sql.placeholder("viewer")),
    })
    .from(posts)
    .innerJoin(communities, eq(communities.id, posts.communityId))
    .leftJoin(accounts, eq(accounts.id, posts.authorId))
    .leftJoin(fileDetails, eq(fileDetails.postId, posts.id))
    .leftJoin(
      memberships,
      and(
        eq(memberships.communityId, posts.communityId),
        eq(memberships.accountId, sql.placeholder("viewer")),
      ),
    )
    .where(eq(posts.id, sql.placeholder("post")))
    .prepare("post_view"),
);

/** A post with its community, if the viewer may read it; otherwise it does not exist. */
export async function viewPost(deps: Deps, id: string, viewer: Account | null): Promise<PostView> {
  const [row] = await postView(deps.db).execute({ post: id, viewer: viewer?.id ?? null });
  if (!row) throw new DomainError("post_not_found");
  const relation = relationFrom(row);
  if (!canReadFile(row.community, { private: row.privateFile }, relation)) {
    throw new DomainError("post_not_found");
  }
  const { post, author, community, translated, appointedTranslator } = row;
  const view = { post, author, community, relation, translated, appointedTranslator };
  return row.attached ? withAttachments(deps.db, view) : { ...view, attachments: [] };
}

export async function updatePost(
  deps: Deps,
  id: string,
  viewer: Account,
  changes: PostChanges,
): Promise<PostView> {
  const view = await viewPost(deps, id, viewer);
  const { post, community, relation } = view;
  if (post.deletedAt) throw new DomainError("post_deleted");
  assertMayWrite(community, relation);
  const moderates = mayModeratePost(post, community, relation);
  const editsText =
    changes.title !== undefined ||
    changes.content !== undefined ||
    changes.language !== undefined ||
    changes.attachments !== undefined;
  if (editsText && post.authorId !== viewer.id) throw new DomainError("not_author");
  if ((changes.locked !== undefined || changes.pinned !== undefined) && !moderates) {
    throw new DomainError("moderators_only");
  }
  if (changes.position !== undefined && post.authorId !== viewer.id && !moderates) {
    throw new DomainError("moderators_only");
  }
  const title = changes.title ?? post.title;
  const source = changes.content ?? post.source;
  const now = new Date();
  const updated = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(posts)
      .set({
        title,
        source,
        content: changes.content !== undefined ? renderMarkdown(source) : post.content,
        language: editsText ? languageOf(source, changes.language, title) : post.language,
        locked: changes.locked ?? post.locked,
        pinned: changes.pinned ?? post.pinned,
        position: changes.position ?? post.position,
        editedAt: editsText ? now : post.editedAt,
        updatedAt: now,
      })
      .where(eq(posts.id, id))
      .returning(postColumns);
    if (row && changes.attachments) await attachFiles(tx, row, changes.attachments);
    if (editsText) await deps.federation.publish(tx, { type: "post_updated", postId: id });
    return row;
  });
  return withAttachments(deps.db, { ...view, post: updated ?? post });
}

/** Deletes as a tombstone, so a thread keeps its shape: authors their own, moderators any. */
export async function deletePost(deps: Deps, id: string, viewer: Account): Promise<void> {
  const { post, relation } = await viewPost(deps, id, viewer);
  if (post.deletedAt) return;
  if (!mayDeleteItem(post, viewer, relation)) {
    throw new DomainError(isActive(relation) ? "not_author" : "members_only");
  }
  await deps.db.transaction((tx) => tombstonePost(deps, tx, id, viewer.id));
}

/** Empties a post into its tombstone and tells other servers, once the caller may do it. */
export async function tombstonePost(deps: Deps, tx: Executor, id: string, deletedById: string) {
  const now = new Date();
  await tx
    .update(posts)
    .set({ title: "", source: "", content: "", deletedAt: now, updatedAt: now })
    .where(eq(posts.id, id));
  await forgetTranslations(tx, id);
  await deps.federation.publish(tx, { type: "post_deleted", postId: id, deletedById });
}
