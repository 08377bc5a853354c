import { and, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "../../db/index.ts";
import { type Account, accounts } from "../../db/schema/accounts.ts";
import type { Community } from "../../db/schema/communities.ts";
import { memberships } from "../../db/schema/memberships.ts";
import type { Report } from "../../db/schema/reports.ts";
import type { Deps } from "../deps.ts";
import { composeMail } from "../mail/compose.ts";
import { handleOf, refOf } from "../urls.ts";
import { sendMailQuietly } from "./mail.ts";
import { notify, unsubscribeUrl } from "./notifications.ts";
import { decidesReports } from "./privacy.ts";

/** What a report is about, as the people deciding on it are told. */
export interface ReportSubject {
  /** Null for a direct message, which is in no community. */
  community: Community | null;
  /** Where a moderator reads it: its ActivityPub id, or its address here. */
  link: string;
}

/**
 * The people here who decide on the community's reports (see privacy.ts, decidesReports); on a
 * report in no community, the instance administrator's alone.
 */
function decidersOf(tx: Executor, communityId: string | null) {
  return tx
    .select({
      id: accounts.id,
      email: accounts.email,
      locale: accounts.locale,
      emailNotifications: accounts.emailNotifications,
    })
    .from(accounts)
    .leftJoin(
      memberships,
      and(
        eq(memberships.accountId, accounts.id),
        communityId ? eq(memberships.communityId, communityId) : sql`false`,
      ),
    )
    .where(and(isNull(accounts.domain), eq(accounts.state, "active"), decidesReports));
}

/** Tells everyone who decides on a new report in the app; returns them, for the mail after. */
export async function noticeOfReport(
  deps: Deps,
  tx: Executor,
  report: Report,
  reporter: Account,
  about: ReportSubject,
) {
  const deciders = await decidersOf(tx, report.communityId);
  for (const decider of deciders) {
    await notify(tx, {
      accountId: decider.id,
      kind: "report",
      communityId: report.communityId,
      subjectId: report.commentId ?? report.postId ?? report.subjectAccountId ?? report.id,
      actorId: reporter.id,
      data: {
        ...placeOf(about.community),
        target: about.link,
        reason: report.reason,
        reporter: handleOf(deps.config.publicUrl, reporter.username, reporter),
        report: report.id,
      },
    });
  }
  return deciders.filter((decider) => decider.id !== reporter.id);
}

export type Deciders = Awaited<ReturnType<typeof noticeOfReport>>;

/**
 * Where a notice of a report says it is: the community, or for a message the `message`
 * context (i18next's), whose sentences name none.
 */
const placeOf = (community: Community | null): Record<string, string> =>
  community ? { community: refOf(community) } : { context: "message" };

/**
 * E-mails a new report to those who decide on it, each in their language, once it is kept;
 * those who asked for no mail at all are not written to. The reporter is never named.
 */
export async function mailReport(
  deps: Deps,
  report: Report,
  about: ReportSubject,
  deciders: Deciders,
): Promise<void> {
  const { community } = about;
  const queue = new URL(
    community ? `/c/${refOf(community)}/reports` : "/admin/reports",
    deps.config.publicUrl,
  ).href;
  const params = {
    community: community?.name ?? "",
    reason: report.reason,
    instance: deps.config.publicUrl.host,
  };
  const kind = community ? "report_filed" : "message_reported";
  for (const decider of deciders) {
    if (decider.emailNotifications === "none") continue;
    const unsubscribe = await unsubscribeUrl(deps, decider.id);
    await sendMailQuietly(deps, composeMail(kind, decider, params, queue, unsubscribe));
  }
}

/**
 * Tells the person here who reported what became of it: acted on, or dismissed. Never who
 * decided, nor how: that stays between the moderators.
 */
export async function tellReporter(tx: Executor, report: Report, community: Community | null) {
  const [reporter] = await tx
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.id, report.reporterId), isNull(accounts.domain)));
  if (!reporter) return;
  await notify(tx, {
    accountId: reporter.id,
    kind: "report_decided",
    communityId: report.communityId,
    subjectId: report.id,
    actorId: null,
    // `context` picks the sentence (i18next's context): acted on, or dismissed, about a message.
    data: community
      ? { community: refOf(community), context: report.state }
      : { context: `message_${report.state}` },
  });
}
