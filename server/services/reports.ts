import { and, eq, isNull, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "../../db/index.ts";
import { type Account, accounts } from "../../db/schema/accounts.ts";
import { communities } from "../../db/schema/communities.ts";
import { memberships } from "../../db/schema/memberships.ts";
import { messages } from "../../db/schema/messages.ts";
import { comments, type PostKind, posts } from "../../db/schema/posts.ts";
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
import { assertInstanceAdmin } from "./accounts.ts";
import { recordDecision } from "./audit.ts";
import { tombstoneComment, viewComment } from "./comments.ts";
import { viewCommunity } from "./communities.ts";
import { messageUri } from "./messages/addresses.ts";
import {
  findMessageFor,
  messageAt,
  participantsOf,
  removeMessage,
} from "./messages/conversations.ts";
import { postUrl } from "./notifications.ts";
import { tombstonePost, viewPost } from "./posts.ts";
import {
  canReadContent,
  mayDecideReports,
  mayServerReportMessage,
  relationFrom,
} from "./privacy.ts";
import { claimActivity } from "./received-activities.ts";
import { communityOfPost, findWriting } from "./replicas.ts";
import { actOnPerson, isPersonAction, personOf } from "./report-actions.ts";
import {
  type Deciders,
  mailReport,
  noticeOfReport,
  type ReportSubject,
  tellReporter,
} from "./report-notices.ts";

export interface NewReport {
  category: ReportCategory;
  reason: string;
  /** Whether the author's server and the community's home hear of it (unsaid: child safety only). */
  forward?: boolean | undefined;
}

/**
 * What a report is about: a post, one of its comments, a person's conduct in the community,
 * or a direct message (in no community).
 */
interface Reported extends ReportSubject {
  postId: string | null;
  commentId: string | null;
  subjectAccountId: string | null;
  messageId: string | null;
}

/** A report kept, and who decides on it, to be written to once it is committed. */
interface Filed {
  report: Report;
  about: Reported;
  deciders: Deciders;
}

/** Keeps a report, once per person and item while it is open, and tells who decides. */
async function fileReport(
  deps: Deps,
  tx: Executor,
  reporter: Account,
  about: Reported,
  input: { category: ReportCategory; reason: string; forward: boolean; flagUri?: string },
): Promise<Filed | null> {
  const [report] = await tx
    .insert(reports)
    .values({
      reporterId: reporter.id,
      communityId: about.community?.id ?? null,
      postId: about.postId,
      commentId: about.commentId,
      subjectAccountId: about.subjectAccountId,
      messageId: about.messageId,
      category: input.category,
      reason: input.reason.slice(0, maxReportReasonLength),
      forward: input.forward,
      flagUri: input.flagUri ?? null,
    })
    .onConflictDoNothing()
    .returning();
  if (!report) return null;
  return { report, about, deciders: await noticeOfReport(deps, tx, report, reporter, about) };
}

/**
 * A report by someone signed in here about what they can read. Told to other servers (the
 * author's, the community's home) only when the reporter asks, as Mastodon's `forward`.
 */
async function reportHere(deps: Deps, reporter: Account, about: Reported, input: NewReport) {
  // A person's conduct here is for this server's moderators: there is no writing to show elsewhere.
  const wrote = about.postId !== null || about.messageId !== null;
  const forward = wrote && (input.forward ?? input.category === "child_safety");
  const filed = await deps.db.transaction(async (tx) => {
    const kept = await fileReport(deps, tx, reporter, about, { ...input, forward });
    if (!kept) throw new DomainError("already_reported");
    if (forward) {
      await deps.federation.publish(tx, { type: "report_filed", reportId: kept.report.id });
    }
    return kept;
  });
  await mailReport(deps, filed.report, filed.about, filed.deciders);
  return viewReport(deps, filed.report.id);
}

/**
 * A report about a post the reporter can read; `kinds` narrows which (a file's address reports
 * only files), and anything else answers as unknown.
 */
export async function reportPost(
  deps: Deps,
  id: string,
  reporter: Account,
  input: NewReport,
  kinds?: readonly PostKind[],
) {
  const { post, community } = await viewPost(deps, id, reporter);
  if (kinds && !kinds.includes(post.kind)) throw new DomainError("post_not_found");
  if (post.deletedAt) throw new DomainError("post_deleted");
  const link = post.uri ?? postUrl(deps, post.id);
  const about = {
    community,
    postId: post.id,
    commentId: null,
    subjectAccountId: null,
    messageId: null,
    link,
  };
  return reportHere(deps, reporter, about, input);
}

export async function reportComment(deps: Deps, id: string, reporter: Account, input: NewReport) {
  const { comment, community } = await viewComment(deps, id, reporter);
  if (comment.deletedAt) throw new DomainError("post_deleted");
  const link = comment.uri ?? `${postUrl(deps, comment.postId)}#comment-${comment.id}`;
  const about = {
    community,
    postId: comment.postId,
    commentId: comment.id,
    subjectAccountId: null,
    messageId: null,
    link,
  };
  return reportHere(deps, reporter, about, input);
}

/**
 * A report about a direct message, by someone in its conversation (anyone else is answered as
 * if it did not exist). It belongs to no community, so the instance administrator alone
 * decides on it; asked to, a message from elsewhere is told to its author's server.
 */
export async function reportMessage(deps: Deps, id: string, reporter: Account, input: NewReport) {
  const { message } = await findMessageFor(deps, reporter, id);
  if (message.deletedAt) throw new DomainError("not_found");
  const about = {
    community: null,
    postId: null,
    commentId: null,
    subjectAccountId: null,
    messageId: message.id,
    link: messageUri(deps.config.publicUrl, message),
  };
  return reportHere(deps, reporter, about, input);
}

/**
 * A report about a person's conduct in a community, to its moderators: someone the reporter
 * can see there (an active member of a community whose members they may read).
 */
export async function reportPerson(
  deps: Deps,
  accountId: string,
  reporter: Account,
  input: NewReport & { community: string },
) {
  const { community, relation } = await viewCommunity(deps, input.community, reporter);
  const [member] = await deps.db
    .select({ state: memberships.state, uri: accounts.uri, username: accounts.username })
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(and(eq(memberships.communityId, community.id), eq(memberships.accountId, accountId)));
  if (member?.state !== "active" || !canReadContent(community, relation)) {
    throw new DomainError("account_not_found");
  }
  const link = member.uri ?? new URL(`/@${member.username}`, deps.config.publicUrl).href;
  const about = {
    community,
    postId: null,
    commentId: null,
    subjectAccountId: accountId,
    messageId: null,
    link,
  };
  return reportHere(deps, reporter, about, input);
}

/** The post or reply here that a Flag's object names, as a report is about it. */
async function writingReported(deps: Deps, tx: Executor, uri: string): Promise<Reported | null> {
  const writing = await findWriting(deps, tx, uri);
  if (!writing) return null;
  return {
    community: await communityOfPost(tx, writing.postId),
    postId: writing.postId,
    commentId: writing.kind === "comment" ? writing.row.id : null,
    subjectAccountId: null,
    messageId: null,
    link: uri,
  };
}

/**
 * The direct message here that a Flag's object names, when the reporting server may report
 * it: one of its people is in the conversation (privacy.ts, mayServerReportMessage).
 */
async function messageReported(
  deps: Deps,
  tx: Executor,
  uri: string,
  reporter: Account,
): Promise<Reported | null> {
  const message = await messageAt(deps, tx, uri);
  if (!message) return null;
  const participants = await participantsOf(tx, message.conversationId);
  if (!mayServerReportMessage(reporter.domain, participants)) return null;
  return {
    community: null,
    postId: null,
    commentId: null,
    subjectAccountId: null,
    messageId: message.id,
    link: uri,
  };
}

/**
 * A report (`Flag`) from another server about posts, replies or direct messages here joins the
 * same queue and
 * reaches the same people, once however often it is delivered. Returns how many of the
 * reported items were found.
 */
export async function receiveReport(
  deps: Deps,
  reporter: Account,
  flag: { activityId: string; targetUris: string[]; reason: string },
): Promise<number> {
  const filed: Filed[] = [];
  const found = await deps.db.transaction(async (tx) => {
    if (!(await claimActivity(tx, flag.activityId))) return 0;
    let found = 0;
    for (const uri of flag.targetUris) {
      const about =
        (await writingReported(deps, tx, uri)) ?? (await messageReported(deps, tx, uri, reporter));
      if (!about) continue;
      found++;
      // Mastodon's reports carry no category (app/lib/activitypub/activity/flag.rb).
      const kept = await fileReport(deps, tx, reporter, about, {
        category: "other",
        reason: flag.reason,
        forward: false,
        flagUri: flag.activityId,
      });
      if (kept) filed.push(kept);
    }
    return found;
  });
  for (const { report, about, deciders } of filed) await mailReport(deps, report, about, deciders);
  return found;
}

const reporters = alias(accounts, "reporter");
const authors = alias(accounts, "author");
const resolvers = alias(accounts, "resolver");

/**
 * Whom a report is about: the person reported, else who wrote the message, the comment, or
 * else the post.
 */
const reportedAccountId = sql<string | null>`case
  when ${reports.subjectAccountId} is not null then ${reports.subjectAccountId}
  when ${reports.messageId} is not null then ${messages.authorId}
  when ${reports.commentId} is not null then ${comments.authorId}
  else ${posts.authorId} end`;

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
        avatar: reporters.avatar,
      },
      community: { slug: communities.slug, domain: communities.domain, name: communities.name },
      post: {
        id: posts.id,
        kind: posts.kind,
        title: posts.title,
        content: posts.content,
        deletedAt: posts.deletedAt,
      },
      comment: { id: comments.id, content: comments.content, deletedAt: comments.deletedAt },
      message: { id: messages.id, content: messages.content, deletedAt: messages.deletedAt },
      author: {
        id: authors.id,
        username: authors.username,
        displayName: authors.displayName,
        domain: authors.domain,
        uri: authors.uri,
        holdsHandle: authors.holdsHandle,
        avatar: authors.avatar,
      },
      resolvedBy: { username: resolvers.username },
    })
    .from(reports)
    .innerJoin(reporters, eq(reporters.id, reports.reporterId))
    .leftJoin(communities, eq(communities.id, reports.communityId))
    .leftJoin(posts, eq(posts.id, reports.postId))
    .leftJoin(comments, eq(comments.id, reports.commentId))
    .leftJoin(messages, eq(messages.id, reports.messageId))
    .leftJoin(authors, eq(authors.id, reportedAccountId))
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
  if (!mayDecideReports(viewer, relation)) throw new DomainError("moderators_only");
  return listReports(
    deps,
    and(eq(reports.communityId, community.id), eq(reports.state, query.state)),
    query,
  );
}

/** Every report on this server, for the instance administrator. */
export async function listAllReports(deps: Deps, viewer: Account, query: ReportQuery) {
  assertInstanceAdmin(viewer);
  return listReports(deps, eq(reports.state, query.state), query);
}

export const reportActions = [
  "remove",
  "dismiss",
  "remove_person",
  "ban_person",
  "block_domain",
] as const;

export interface Resolution {
  action: (typeof reportActions)[number];
  note?: string | undefined;
}

/**
 * A moderator's decision on an open report. Removing deletes the content as a moderator's
 * deletion does (so other servers get the Delete) and closes every open report about it;
 * dismissing closes this one; acting on the person (report-actions.ts) removes or bans them,
 * or blocks their server, and closes this one. Each is kept in the community's audit log with
 * its reason (the note, else the report's own), and the reporter here is told the outcome.
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
  if (!mayDecideReports(viewer, relationFrom(found))) throw new DomainError("moderators_only");
  const { report } = found;
  if (report.state !== "open") throw new DomainError("already_decided");
  const { action } = resolution;
  if (action === "remove" && !report.postId && !report.messageId)
    throw new DomainError("nothing_to_remove");
  const reason = resolution.note || report.reason;
  const community = await communityOfReport(deps.db, report);
  const [reported] = await reportRows(deps.db, eq(reports.id, id));
  const person = await personOf(deps.db, reported?.author?.id ?? null);
  if (isPersonAction(action))
    await actOnPerson(deps, viewer, action, { community, person, reason });
  await deps.db.transaction(async (tx) => {
    const closed = await tx
      .update(reports)
      .set({
        state: action === "dismiss" ? "dismissed" : "resolved",
        resolutionNote: resolution.note || null,
        resolvedById: viewer.id,
        resolvedAt: new Date(),
      })
      .where(
        and(action === "remove" ? sameItem(report) : eq(reports.id, id), eq(reports.state, "open")),
      )
      .returning();
    const decided = closed.find((each) => each.id === id);
    if (!decided) throw new DomainError("already_decided");
    if (action === "remove") await removeReported(deps, tx, report, viewer);
    // A message's report is in no community: its decision goes to the instance's log.
    if (!isPersonAction(action)) {
      await recordDecision(tx, {
        communityId: report.communityId,
        actorId: viewer.id,
        action: action === "remove" ? "content_removed" : "report_dismissed",
        targetAccountId: person?.id,
        details: { reason },
      });
    }
    for (const each of closed) await tellReporter(tx, each, community);
  });
  return viewReport(deps, id);
}

/** The community a report is in, or null for a message's. */
async function communityOfReport(db: Executor, report: Report) {
  if (!report.communityId) return null;
  const [community] = await db
    .select()
    .from(communities)
    .where(eq(communities.id, report.communityId));
  if (!community) throw new DomainError("report_not_found");
  return community;
}

/** Every open report about the same post, comment or message as `report`. */
function sameItem(report: Report): SQL | undefined {
  if (report.messageId) return eq(reports.messageId, report.messageId);
  if (!report.postId) return eq(reports.id, report.id);
  return and(
    eq(reports.postId, report.postId),
    report.commentId ? eq(reports.commentId, report.commentId) : isNull(reports.commentId),
  );
}

/**
 * Deletes the reported post or comment through the deletion every moderator's removal takes,
 * or takes the reported message out of its conversation.
 */
async function removeReported(deps: Deps, tx: Executor, report: Report, viewer: Account) {
  if (report.messageId) return removeMessage(tx, report.messageId);
  if (report.commentId) {
    const [comment] = await tx
      .select({ deletedAt: comments.deletedAt })
      .from(comments)
      .where(eq(comments.id, report.commentId));
    if (comment && !comment.deletedAt)
      await tombstoneComment(deps, tx, report.commentId, viewer.id);
    return;
  }
  if (!report.postId) return;
  const [post] = await tx
    .select({ deletedAt: posts.deletedAt })
    .from(posts)
    .where(eq(posts.id, report.postId));
  if (post && !post.deletedAt) await tombstonePost(deps, tx, report.postId, viewer.id);
}
