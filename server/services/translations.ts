import { and, eq, inArray, notInArray, sql } from "drizzle-orm";
import type { Database, Executor } from "../../db/index.ts";
import { preparedFor } from "../../db/prepared.ts";
import { type Account, type Author, accounts, authorColumns } from "../../db/schema/accounts.ts";
import type { Community } from "../../db/schema/communities.ts";
import { memberships } from "../../db/schema/memberships.ts";
import { type Post, posts } from "../../db/schema/posts.ts";
import {
  communityTranslators,
  type PostTranslation,
  postTranslations,
  type TranslationOrigin,
  translationColumns,
} from "../../db/schema/translations.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { recordDecision } from "./audit.ts";
import { viewCommunity } from "./communities.ts";
import { renderMarkdown } from "./markdown.ts";
import { type PostView, viewPost } from "./posts.ts";
import {
  isActiveMembership,
  mayAppointTranslators,
  mayTranslate,
  type Relation,
} from "./privacy.ts";
import { sanitize } from "./sanitize.ts";

/** A translation with the person who made it, if a person did and is known here. */
export interface TranslationView {
  translation: PostTranslation;
  translator: Author | null;
}

export interface NewTranslation {
  title: string;
  content: string;
}

/** A translation as another server sends it, in a post's `contentMap` and `nameMap`. */
export interface IncomingTranslation {
  language: string;
  title: string;
  html: string;
}

/** How many translations of one post another server may have stored here. */
export const receivedTranslationLimit = 10;

/**
 * The language a tag names, as posts are labelled (ISO 639, two or three letters): `pt-BR`
 * is `pt`. Anything else (`x y`, `und`, a script) names none.
 */
export function languageOfTag(tag: string): string | null {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0] ?? "";
  return /^[a-z]{2,3}$/.test(primary) && primary !== "und" ? primary : null;
}

/** Text without markup, what search reads of a translation that came as HTML. */
const plainTextOf = (html: string) =>
  html
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();

/** Translations with their translators, oldest first, of the posts `$posts` (uuid[]) names. */
const translationRows = (db: Executor) =>
  db
    .select({ translation: translationColumns, translator: authorColumns })
    .from(postTranslations)
    .leftJoin(accounts, eq(accounts.id, postTranslations.translatorId))
    .where(sql`${postTranslations.postId} = any(${sql.placeholder("posts")}::uuid[])`)
    .orderBy(postTranslations.createdAt);

/*
 * Every read of a post asks for its translations and whether its reader translates there:
 * prepared, as the post itself is, these two cost a third of what building them each time did.
 */
const preparedTranslationRows = preparedFor((db) =>
  translationRows(db).prepare("translation_rows"),
);

const appointedTranslator = preparedFor((db) =>
  db
    .select({ accountId: communityTranslators.accountId })
    .from(communityTranslators)
    .where(
      and(
        eq(communityTranslators.communityId, sql.placeholder("community")),
        eq(communityTranslators.accountId, sql.placeholder("account")),
      ),
    )
    .prepare("appointed_translator"),
);

type TranslationRow = Awaited<ReturnType<ReturnType<typeof translationRows>["execute"]>>[number];

function byPost(rows: readonly TranslationRow[]): Map<string, TranslationView[]> {
  const found = new Map<string, TranslationView[]>();
  for (const row of rows) {
    const list = found.get(row.translation.postId) ?? [];
    list.push({
      translation: row.translation,
      translator: row.translator?.id ? row.translator : null,
    });
    found.set(row.translation.postId, list);
  }
  return found;
}

/** The translations of each post, by post id, oldest first. */
export async function translationsOf(
  db: Executor,
  postIds: readonly string[],
): Promise<Map<string, TranslationView[]>> {
  if (postIds.length === 0) return new Map();
  return byPost(await translationRows(db).execute({ posts: [...postIds] }));
}

async function isAppointedTranslator(db: Database, communityId: string, accountId: string) {
  const [row] = await appointedTranslator(db).execute({
    community: communityId,
    account: accountId,
  });
  return Boolean(row);
}

/** Whether the viewer may translate the post, as privacy.ts rules. */
async function viewerMayTranslate(
  db: Database,
  post: Pick<Post, "authorId" | "uri" | "communityId">,
  viewer: Account | null,
  relation: Relation,
): Promise<boolean> {
  if (!viewer) return false;
  return mayTranslate(
    post,
    viewer,
    relation,
    await isAppointedTranslator(db, post.communityId, viewer.id),
  );
}

/** A post the viewer may translate, refused as clearly as the rule allows. */
async function translatablePost(deps: Deps, postId: string, viewer: Account): Promise<PostView> {
  const view = await viewPost(deps, postId, viewer);
  if (view.post.deletedAt) throw new DomainError("post_deleted");
  if (!(await viewerMayTranslate(deps.db, view.post, viewer, view.relation))) {
    throw new DomainError("not_translator");
  }
  return view;
}

export async function listTranslations(
  deps: Deps,
  postId: string,
  viewer: Account | null,
): Promise<TranslationView[]> {
  const { post } = await viewPost(deps, postId, viewer);
  return (await translationsOf(deps.db, [post.id])).get(post.id) ?? [];
}

type TranslationValues = Pick<
  PostTranslation,
  "language" | "title" | "source" | "content" | "origin" | "translatorId"
>;

/** Writes a post's translation into a language, over the one there was. */
async function upsertTranslation(tx: Executor, postId: string, values: TranslationValues) {
  await tx
    .insert(postTranslations)
    .values({ postId, ...values })
    .onConflictDoUpdate({
      target: [postTranslations.postId, postTranslations.language],
      set: { ...values, updatedAt: sql`now()` },
    });
}

/** Stores one translation of a post, replacing the one in that language, and tells other servers. */
async function storeTranslation(deps: Deps, post: Post, values: TranslationValues): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await upsertTranslation(tx, post.id, values);
    // Machine translations stay here: a peer could not tell them from a person's.
    if (values.origin === "human") await announceTranslations(deps, tx, post);
  });
}

/** A post's translations changed: other servers get it again, as after an edit. */
async function announceTranslations(deps: Deps, tx: Executor, post: Post) {
  await tx.update(posts).set({ updatedAt: new Date() }).where(eq(posts.id, post.id));
  await deps.federation.publish(tx, { type: "post_updated", postId: post.id });
}

async function translationIn(deps: Deps, postId: string, language: string) {
  const found = (await translationsOf(deps.db, [postId])).get(postId) ?? [];
  const view = found.find((each) => each.translation.language === language);
  if (!view) throw new DomainError("translation_not_found");
  return view;
}

/** Adds or replaces the viewer's translation of a post into `language`. */
export async function saveTranslation(
  deps: Deps,
  postId: string,
  viewer: Account,
  language: string,
  input: NewTranslation,
): Promise<TranslationView> {
  const { post } = await translatablePost(deps, postId, viewer);
  if (language === post.language) throw new DomainError("translation_in_original_language");
  await storeTranslation(deps, post, {
    language,
    title: input.title,
    source: input.content,
    content: renderMarkdown(input.content),
    origin: "human",
    translatorId: viewer.id,
  });
  return translationIn(deps, post.id, language);
}

export async function removeTranslation(
  deps: Deps,
  postId: string,
  viewer: Account,
  language: string,
): Promise<void> {
  const { post } = await translatablePost(deps, postId, viewer);
  await deps.db.transaction(async (tx) => {
    const removed = await tx
      .delete(postTranslations)
      .where(and(eq(postTranslations.postId, post.id), eq(postTranslations.language, language)))
      .returning({ origin: postTranslations.origin });
    if (removed.length === 0) throw new DomainError("translation_not_found");
    if (removed[0]?.origin === "human") await announceTranslations(deps, tx, post);
  });
}

/** A deleted post keeps no text in any language. */
export async function forgetTranslations(tx: Executor, postId: string): Promise<void> {
  await tx.delete(postTranslations).where(eq(postTranslations.postId, postId));
}

/** Keeps a machine's translation of a post, for every reader after the one who asked. */
export async function saveMachineTranslation(
  deps: Deps,
  post: Post,
  language: string,
  translated: { title: string; html: string },
): Promise<TranslationView> {
  const content = sanitize(translated.html);
  await storeTranslation(deps, post, {
    language,
    title: plainTextOf(translated.title).slice(0, 300) || post.title,
    source: plainTextOf(content),
    content,
    origin: "machine",
    translatorId: null,
  });
  return translationIn(deps, post.id, language);
}

/**
 * A post from another server comes with the translations its home server holds: those replace
 * what people translated before (a machine's translations stay, unless a person's now exists).
 * Junk language tags, the post's own language and any beyond the limit are left out.
 */
export async function receiveTranslations(
  tx: Executor,
  post: Pick<Post, "id" | "language" | "title">,
  incoming: readonly IncomingTranslation[],
): Promise<void> {
  const kept = new Map<string, IncomingTranslation>();
  for (const each of incoming) {
    const language = languageOfTag(each.language);
    if (!language || language === post.language || kept.has(language)) continue;
    if (kept.size >= receivedTranslationLimit) break;
    kept.set(language, each);
  }
  const languages = [...kept.keys()];
  await tx
    .delete(postTranslations)
    .where(
      and(
        eq(postTranslations.postId, post.id),
        eq(postTranslations.origin, "human"),
        languages.length > 0 ? notInArray(postTranslations.language, languages) : undefined,
      ),
    );
  for (const [language, each] of kept) {
    const content = sanitize(each.html);
    const values = {
      title: plainTextOf(each.title).slice(0, 300) || post.title,
      source: plainTextOf(content),
      content,
      origin: "human" as TranslationOrigin,
      translatorId: null,
    };
    await upsertTranslation(tx, post.id, { language, ...values });
  }
}

/**
 * The member a community's admins appoint as translator, or no longer; the community's log
 * keeps who did it to whom, when it changed anything.
 */
export async function setTranslator(
  deps: Deps,
  ref: string,
  viewer: Account,
  membershipId: string,
  appointed: boolean,
): Promise<void> {
  const { community, relation } = await viewCommunity(deps, ref, viewer);
  if (!mayAppointTranslators(relation)) throw new DomainError("insufficient_role");
  await deps.db.transaction(async (tx) => {
    const member = await activeMemberCalled(tx, community, membershipId);
    const changed = appointed
      ? await tx
          .insert(communityTranslators)
          .values({ communityId: community.id, accountId: member, appointedById: viewer.id })
          .onConflictDoNothing()
          .returning({ accountId: communityTranslators.accountId })
      : await tx
          .delete(communityTranslators)
          .where(
            and(
              eq(communityTranslators.communityId, community.id),
              eq(communityTranslators.accountId, member),
            ),
          )
          .returning({ accountId: communityTranslators.accountId });
    if (changed.length === 0) return;
    await recordDecision(tx, {
      communityId: community.id,
      actorId: viewer.id,
      action: appointed ? "translator_appointed" : "translator_removed",
      targetAccountId: member,
    });
  });
}

/** Which of these accounts the community's admins appointed as translators. */
export async function translatorsAmong(
  db: Executor,
  communityId: string,
  accountIds: readonly string[],
): Promise<Set<string>> {
  if (accountIds.length === 0) return new Set();
  const rows = await db
    .select({ accountId: communityTranslators.accountId })
    .from(communityTranslators)
    .where(
      and(
        eq(communityTranslators.communityId, communityId),
        inArray(communityTranslators.accountId, [...accountIds]),
      ),
    );
  return new Set(rows.map((row) => row.accountId));
}

async function activeMemberCalled(db: Executor, community: Community, membershipId: string) {
  const [row] = await db
    .select({ accountId: memberships.accountId })
    .from(memberships)
    .where(
      and(
        sql`${memberships.id}::text = ${membershipId}`,
        eq(memberships.communityId, community.id),
        isActiveMembership,
      ),
    );
  if (!row) throw new DomainError("member_not_found");
  return row.accountId;
}

/** How a post reads for one reader: the languages it has, and the one they see. */
export interface Reading {
  translations: TranslationView[];
  /** The translation into the reader's language, unless they asked for the original. */
  shown: TranslationView | null;
  mayTranslate: boolean;
  /** Whether the reader may ask a machine for a translation into their language. */
  mayAskMachine: boolean;
}

export interface Reader {
  viewer: Account | null;
  language: string;
  /** The reader asked to see the original, whatever their language. */
  original: boolean;
  machineOffered: boolean;
}

/** How each post reads for `reader`, by post id. */
export async function readingsOf(
  db: Database,
  views: readonly PostView[],
  reader: Reader,
): Promise<Map<string, Reading>> {
  const { viewer } = reader;
  // Whether the reader translates in each community came with the posts when it could; any
  // other community is asked once, beside the translations rather than after them.
  const appointedIn = new Map<string, boolean>();
  for (const view of views) {
    if (view.appointedTranslator !== undefined) {
      appointedIn.set(view.post.communityId, view.appointedTranslator);
    }
  }
  const unknownIn = [...new Set(views.map((view) => view.post.communityId))].filter(
    (id) => !appointedIn.has(id),
  );
  const translated = views.filter((view) => view.translated !== false).map((v) => v.post.id);
  const [rows, appointed] = await Promise.all([
    translated.length ? preparedTranslationRows(db).execute({ posts: translated }) : [],
    Promise.all(unknownIn.map((id) => viewer && isAppointedTranslator(db, id, viewer.id))),
  ]);
  const translations = byPost(rows);
  for (const [at, id] of unknownIn.entries()) appointedIn.set(id, appointed[at] === true);
  const readings = new Map<string, Reading>();
  for (const { post, relation } of views) {
    const found = translations.get(post.id) ?? [];
    const inReaderLanguage = found.find((each) => each.translation.language === reader.language);
    const foreign = post.language !== reader.language && !post.deletedAt;
    readings.set(post.id, {
      translations: found,
      shown: foreign && !reader.original ? (inReaderLanguage ?? null) : null,
      mayTranslate: viewer
        ? mayTranslate(post, viewer, relation, appointedIn.get(post.communityId) ?? false)
        : false,
      mayAskMachine: reader.machineOffered && viewer !== null && foreign && !inReaderLanguage,
    });
  }
  return readings;
}
