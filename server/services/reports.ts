import { and, eq, isNull, or, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "../../db/index.ts";
import { type Account, accounts } from "../../db/schema/accounts.ts";
import { type Community, communities } from "../../db/schema/communities.ts";
import { memberships } from "../../db/schema/memberships.ts";
import { comments, posts } from "../../db/schema/posts.ts";
import {
  maxReportReasonLength,
  type Report,
  type ReportCategory,
  type ReportState,
  reports,
} from "../../db/schema/reports.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { afterCursor, cursorOrder, type PageRequest, toPage } from "../pagination.ts";
import { handleOf, refOf } from "../urls.ts";
import { recordDecision } from "./audit.ts";
import { tombstoneComment, viewComment } from "./comments.ts";
import { viewCommunity } from "./communities.ts";
import { notify, postUrl } from "./notifications.ts";
import { tombstonePost, viewPost } from "./posts.ts";
import { hasRoleAtLeast, isActiveWithRoleAtLeast, type Relation, relationFrom } from "./privacy.ts";
import { claimActivity } from "./received-activities.ts";
import { communityOfPost, findWriting } from "./replicas.ts";

export interface NewReport {
  category: ReportCategory;
  reason: string;
  /** Whether the author's server and the community's home hear of it (unsaid: child safety only). */
  forward?: boolean | undefined;
}

/** What a report is about: a post, or one of its comments. */
interface Reported {
  community: Community;
  postId: string;
  commentId: string | null;
  /** Where a moderator reads it: its ActivityPub id, or its address here. */
  link: string;
}

/** Moderators of the community decide on its reports, and the instance administrator on any. */
function mayModerate(viewer: Account, relation: Relation): boolean {
  return viewer.isAdmin || hasRoleAtLeast(relation, "moderator");
}

/**
 * Tells the community's moderators and admins here, and this instance's administrators, of a
 * new report, in the app.
 */
async function noticeOfReport(
  deps: Deps,
  tx: Executor,
  report: Report,
  reporter: Account,
  about: Reported,
) {
  const moderators = await tx
    .select({ id: accounts.id })
    .from(accounts)
    .leftJoin(
      memberships,
      and(eq(memberships.accountId, accounts.id), eq(memberships.communityId, report.communityId)),
    )
    .where(
      and(
        isNull(accounts.domain),
        or(eq(accounts.isAdmin, true), isActiveWithRoleAtLeast("moderator")),
      ),
    );
  for (const moderator of moderators) {
    await notify(tx, {
      accountId: moderator.id,
      kind: "report",
      communityId: report.communityId,
      subjectId: report.commentId ?? report.postId,
      actorId: reporter.id,
      data: {
        community: refOf(about.community),
        target: about.link,
        reason: report.reason,
        reporter: handleOf(deps.config.publicUrl, reporter.username, reporter),
        report: report.id,
      },
    });
  }
}

/** Keeps a report, once per person and item while it is open, and tells who decides. */
async function fileReport(
  deps: Deps,
  tx: Executor,
  reporter: Account,
  about: Reported,
  input: { category: ReportCategory; reason: string; forward: boolean; flagUri?: string },
): Promise<Report | null> {
  const [report] = await tx
    .insert(reports)
    .values({
      reporterId: reporter.id,
      communityId: about.community.id,
      postId: about.postId,
      commentId: about.commentId,
      category: input.category,
      reason: input.reason.slice(0, maxReportReasonLength),
      forward: input.forward,
      flagUri: input.flagUri ?? null,
    })
    .onConflictDoNothing()
    .returning();
  if (!report) return null;
  await noticeOfReport(deps, tx, report, reporter, about);
  return report;
}

/**
 * A report by someone signed in here about what they can read. Told to other servers (the
 * author's, the community's home) only when the reporter asks, as Mastodon's `forward`.
 */
async function reportHere(deps: Deps, reporter: Account, about: Reported, input: NewReport) {
  const forward = input.forward ?? input.category === "child_safety";
  return deps.db.transaction(async (tx) => {
    const report = await fileReport(deps, tx, reporter, about, { ...input, forward });
    if (!report) throw new DomainError("already_reported");
    if (forward) await deps.federation.publish(tx, { type: "report_filed", reportId: report.id });
    return report;
  });
}

export async function reportPost(deps: Deps, id: string, reporter: Account, input: NewReport) {
  const { post, community } = await viewPost(deps, id, reporter);
  if (post.deletedAt) throw new DomainError("post_deleted");
  const link = post.uri ?? postUrl(deps, post.id);
  const report = await reportHere(
    deps,
    reporter,
    { community, postId: post.id, commentId: null, link },
    input,
  );
  return viewReport(deps, report.id);
}

export async function reportComment(deps: Deps, id: string, reporter: Account, input: NewReport) {
  const { comment, community } = await viewComment(deps, id, reporter);
  if (comment.deletedAt) throw new DomainError("post_deleted");
  const link = comment.uri ?? `${postUrl(deps, comment.postId)}#comment-${comment.id}`;
  const about = { community, postId: comment.postId, commentId: comment.id, link };
  const report = await reportHere(deps, reporter, about, input);
  return viewReport(deps, report.id);
}

/**
 * A report (`Flag`) from another server about posts or replies here joins the same queue and
 * reaches the same people, once however often it is delivered. Returns how many of the
 * reported items were found.
 */
export async function receiveReport(
  deps: Deps,
  reporter: Account,
  flag: { activityId: string; targetUris: string[]; reason: string },
): Promise<number> {
  return deps.db.transaction(async (tx) => {
    if (!(await claimActivity(tx, flag.activityId))) return 0;
    let found = 0;
    for (const uri of flag.targetUris) {
      const writing = await findWriting(deps, tx, uri);
      if (!writing) continue;
      found++;
      const community = await communityOfPost(tx, writing.postId);
      const commentId = writing.kind === "comment" ? writing.row.id : null;
      // Mastodon's reports carry no category (app/lib/activitypub/activity/flag.rb).
      await fileReport(
        deps,
        tx,
        reporter,
        { community, postId: writing.postId, commentId, link: uri },
        { category: "other", reason: flag.reason, forward: false, flagUri: flag.activityId },
      );
    }
    return found;
  });
}

const reporters = alias(accounts, "reporter");
const authors = alias(accounts, "author");
const resolvers = alias(accounts, "resolver");

/** Reports with what a moderator needs beside them: who, about what, and what was decided. */
function reportRows(db: Executor, where: SQL | undefined) {
  return db
    .select({
      report: reports,
      reporter: {
        id: reporters.id,
        username: reporters.username,
        displayName: reporters.displayName,
        domain: reporters.domain,
        uri: reporters.uri,
        holdsHandle: reporters.holdsHandle,
      },
      community: { slug: communities.slug, domain: communities.domain, name: communities.name },
      post: {
        id: posts.id,
        title: posts.title,
        content: posts.content,
        deletedAt: posts.deletedAt,
      },
      comment: { id: comments.id, content: comments.content, deletedAt: comments.deletedAt },
      author: {
        id: authors.id,
        username: authors.username,
        displayName: authors.displayName,
        domain: authors.domain,
        uri: authors.uri,
        holdsHandle: authors.holdsHandle,
      },
      resolvedBy: { username: resolvers.username },
    })
    .from(reports)
    .innerJoin(reporters, eq(reporters.id, reports.reporterId))
    .innerJoin(communities, eq(communities.id, reports.communityId))
    .innerJoin(posts, eq(posts.id, reports.postId))
    .leftJoin(comments, eq(comments.id, reports.commentId))
    .leftJoin(
      authors,
      or(
        and(isNull(reports.commentId), eq(authors.id, posts.authorId)),
        eq(authors.id, comments.authorId),
      ),
    )
    .leftJoin(resolvers, eq(resolvers.id, reports.resolvedById))
    .where(where)
    .$dynamic();
}

export type ReportView = Awaited<ReturnType<typeof reportRows>>[number];

async function viewReport(deps: Deps, id: string): Promise<ReportView> {
  const [row] = await reportRows(deps.db, eq(reports.id, id));
  if (!row) throw new DomainError("report_not_found");
  return row;
}

async function listReports(deps: Deps, where: SQL | undefined, page: PageRequest) {
  const rows = await reportRows(
    deps.db,
    and(where, afterCursor(reports.createdAt, reports.id, page.cursor)),
  )
    .orderBy(...cursorOrder(reports.createdAt, reports.id))
    .limit(page.limit + 1);
  return toPage(rows, page.limit, (row) => row.report);
}

export interface ReportQuery extends PageRequest {
  state: ReportState;
}

/** A community's reports, for its moderators and up (and the instance administrator). */
export async function listCommunityReports(
  deps: Deps,
  ref: string,
  viewer: Account,
  query: ReportQuery,
) {
  const { community, relation } = await viewCommunity(deps, ref, viewer);
  if (!mayModerate(viewer, relation)) throw new DomainError("moderators_only");
  return listReports(
    deps,
    and(eq(reports.communityId, community.id), eq(reports.state, query.state)),
    query,
  );
}

/** Every report on this server, for the instance administrator. */
export async function listAllReports(deps: Deps, viewer: Account, query: ReportQuery) {
  if (!viewer.isAdmin) throw new DomainError("admin_only");
  return listReports(deps, eq(reports.state, query.state), query);
}

export interface Resolution {
  action: "remove" | "dismiss";
  note?: string | undefined;
}

/**
 * A moderator's decision on an open report. Removing deletes the content as a moderator's
 * deletion does (so other servers get the Delete) and closes every open report about it;
 * dismissing closes this one. Either is kept in the community's audit log.
 */
export async function resolveReport(
  deps: Deps,
  id: string,
  viewer: Account,
  resolution: Resolution,
): Promise<ReportView> {
  const [found] = await deps.db
    .select({ report: reports, state: memberships.state, role: memberships.role })
    .from(reports)
    .leftJoin(
      memberships,
      and(eq(memberships.communityId, reports.communityId), eq(memberships.accountId, viewer.id)),
    )
    .where(eq(reports.id, id));
  if (!found) throw new DomainError("report_not_found");
  if (!mayModerate(viewer, relationFrom(found))) throw new DomainError("moderators_only");
  const { report } = found;
  const removes = resolution.action === "remove";
  const sameItem = and(
    eq(reports.postId, report.postId),
    report.commentId ? eq(reports.commentId, report.commentId) : isNull(reports.commentId),
  );
  await deps.db.transaction(async (tx) => {
    const closed = await tx
      .update(reports)
      .set({
        state: removes ? "resolved" : "dismissed",
        resolutionNote: resolution.note || null,
        resolvedById: viewer.id,
        resolvedAt: new Date(),
      })
      .where(and(removes ? sameItem : eq(reports.id, id), eq(reports.state, "open")))
      .returning({ id: reports.id });
    if (!closed.some((each) => each.id === id)) throw new DomainError("already_decided");
    if (removes) await removeReported(deps, tx, report, viewer);
    await recordDecision(tx, {
      communityId: report.communityId,
      actorId: viewer.id,
      action: removes ? "content_removed" : "report_dismissed",
      targetAccountId: (await authorOf(tx, report)) ?? undefined,
      details: resolution.note ? { reason: resolution.note } : {},
    });
  });
  return viewReport(deps, id);
}

async function authorOf(tx: Executor, report: Report): Promise<string | null> {
  const [row] = report.commentId
    ? await tx
        .select({ id: comments.authorId })
        .from(comments)
        .where(eq(comments.id, report.commentId))
    : await tx.select({ id: posts.authorId }).from(posts).where(eq(posts.id, report.postId));
  return row?.id ?? null;
}

/** Deletes the reported post or comment through the deletion every moderator's removal takes. */
async function removeReported(deps: Deps, tx: Executor, report: Report, viewer: Account) {
  if (report.commentId) {
    const [comment] = await tx
      .select({ deletedAt: comments.deletedAt })
      .from(comments)
      .where(eq(comments.id, report.commentId));
    if (comment && !comment.deletedAt)
      await tombstoneComment(deps, tx, report.commentId, viewer.id);
    return;
  }
  const [post] = await tx
    .select({ deletedAt: posts.deletedAt })
    .from(posts)
    .where(eq(posts.id, report.postId));
  if (post && !post.deletedAt) await tombstonePost(deps, tx, report.postId, viewer.id);
}
