import type { Context } from "@fedify/fedify";
import { Flag, type Recipient } from "@fedify/vocab";
import { eq } from "drizzle-orm";
import type { Executor } from "../db/index.ts";
import { accounts } from "../db/schema/accounts.ts";
import { messages } from "../db/schema/messages.ts";
import { reports } from "../db/schema/reports.ts";
import { messageUri } from "../server/services/messages/addresses.ts";
import { instanceIdentifier } from "./actors.ts";
import type { FederationContext } from "./context.ts";
import { commentUri, loadComment, loadPost, personUri, postUri } from "./objects.ts";
import { inboxOf } from "./recipients.ts";

type Ctx = Context<FederationContext>;

/** A reported direct message and its author; it is in no community. */
async function reportedMessage(ctx: Ctx, db: Executor, messageId: string) {
  const [row] = await db
    .select({ message: messages, author: accounts })
    .from(messages)
    .innerJoin(accounts, eq(accounts.id, messages.authorId))
    .where(eq(messages.id, messageId));
  if (!row) return undefined;
  const uri = new URL(messageUri(ctx.data.deps.config.publicUrl, row.message));
  return { uri, author: row.author, community: null };
}

/** The reported writing, its author and its community, as federation/objects.ts loads them. */
async function reportedWriting(ctx: Ctx, db: Executor, report: typeof reports.$inferSelect) {
  if (report.messageId) return reportedMessage(ctx, db, report.messageId);
  if (report.commentId) {
    const row = await loadComment(ctx, db, report.commentId);
    if (!row) return undefined;
    return { uri: commentUri(ctx, row.comment), author: row.author, community: row.post.community };
  }
  // A report about a person's conduct here names no writing, and stays here.
  if (!report.postId) return undefined;
  const row = await loadPost(db, report.postId);
  if (!row) return undefined;
  return { uri: postUri(ctx, row.post), author: row.author, community: row.community };
}

/**
 * A report about writing from elsewhere (a direct message too) goes as a `Flag` to the author's
 * server, and to the community's home when the community lives elsewhere, as Mastodon forwards one
 * (app/services/report_service.rb, forward_to_origin! and forward_to_replied_to!): signed by
 * this server's own actor, so the reporter stays unnamed, with the author and the writing as
 * its objects (ActivityPub::FlagSerializer) and the reason as its content.
 */
export async function sendReport(ctx: Ctx, db: Executor, reportId: string): Promise<void> {
  const [report] = await db.select().from(reports).where(eq(reports.id, reportId));
  if (!report) return;
  const writing = await reportedWriting(ctx, db, report);
  if (!writing) return;
  const { author, community } = writing;
  const recipients: Recipient[] = [];
  if (author.domain) recipients.push(inboxOf(author));
  if (community?.domain) recipients.push(inboxOf(community));
  if (recipients.length === 0) return;
  const actor = ctx.getActorUri(instanceIdentifier);
  const flag = new Flag({
    id: new URL(`#flags/${report.id}`, actor),
    actor,
    objects: [personUri(ctx, author), writing.uri],
    content: report.reason,
  });
  await ctx.sendActivity({ identifier: instanceIdentifier }, recipients, flag, {
    preferSharedInbox: true,
  });
}
