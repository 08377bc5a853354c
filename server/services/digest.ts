import { Cron } from "croner";
import { and, asc, count, desc, eq, gt, isNotNull, isNull, lte, type SQL } from "drizzle-orm";
import { type PgColumn, unionAll } from "drizzle-orm/pg-core";
import { type Account, accounts, type MailFrequency } from "../../db/schema/accounts.ts";
import { communities } from "../../db/schema/communities.ts";
import { scheduledRuns } from "../../db/schema/jobs.ts";
import { memberships } from "../../db/schema/memberships.ts";
import { comments, likes, posts } from "../../db/schema/posts.ts";
import { type Config, weekdays } from "../config.ts";
import type { Deps } from "../deps.ts";
import { translator } from "../i18n.ts";
import { composeMail, mailLocale } from "../mail/compose.ts";
import { sendMailQuietly } from "./mail.ts";
import { postUrl, unsubscribeUrl } from "./notifications.ts";
import { isActiveMembership, postsReadableBy } from "./privacy.ts";

/** How one kind of digest differs from the other: whom it is for, when, and what it ranks. */
interface DigestPeriod {
  frequency: Extract<MailFrequency, "daily" | "weekly">;
  /** Its row in `scheduled_runs`. */
  job: string;
  mail: "digest" | "weekly_digest";
  /** When it goes out, as a cron pattern read in UTC. */
  schedule(config: Config): string;
  /** How many of the period's most active discussions it lists besides the announcements. */
  topDiscussions: number;
}

const daily: DigestPeriod = {
  frequency: "daily",
  job: "daily_digest",
  mail: "digest",
  schedule: (config) => `0 ${config.digestHour} * * *`,
  topDiscussions: 0,
};

const weekly: DigestPeriod = {
  frequency: "weekly",
  job: "weekly_digest",
  mail: "weekly_digest",
  schedule: (config) => `0 ${config.digestHour} * * ${weekdays.indexOf(config.weeklyDigestDay)}`,
  topDiscussions: 5,
};

type Recipient = Pick<Account, "id" | "email" | "locale">;

interface DigestItem {
  community: string;
  postId: string;
  title: string;
}

/**
 * Takes the digest due at `now`, if no one has: the period it covers, from the previous run
 * (or, the first time, the previous due time) to now. Inserting the row before locking it
 * makes a second worker wait for the first one's answer even on the very first run.
 */
async function claimDigest(
  deps: Deps,
  period: DigestPeriod,
  now: Date,
): Promise<{ since: Date } | null> {
  // croner counts a run falling in the reference's own second: one millisecond on, a run due
  // exactly now is the last one due.
  const [due, before] = new Cron(period.schedule(deps.config), { timezone: "UTC" }).previousRuns(
    2,
    new Date(now.getTime() + 1),
  );
  if (!due || !before) return null;
  return deps.db.transaction(async (tx) => {
    await tx
      .insert(scheduledRuns)
      .values({ job: period.job, lastRunAt: before })
      .onConflictDoNothing();
    const [run] = await tx
      .select()
      .from(scheduledRuns)
      .where(eq(scheduledRuns.job, period.job))
      .for("update");
    if (!run || run.lastRunAt >= due) return null;
    await tx.update(scheduledRuns).set({ lastRunAt: now }).where(eq(scheduledRuns.job, period.job));
    return { since: run.lastRunAt };
  });
}

const within = (column: PgColumn, since: Date, now: Date) =>
  and(gt(column, since), lte(column, now));

/** Posts not deleted that the recipient may read (privacy.ts decides), as a condition. */
function liveAndReadableBy(recipient: Recipient): SQL | undefined {
  return and(isNull(posts.deletedAt), postsReadableBy(recipient));
}

const itemColumns = { community: communities.name, postId: posts.id, title: posts.title };

function postsOfTheirCommunities(deps: Deps, recipient: Recipient) {
  return deps.db
    .select(itemColumns)
    .from(posts)
    .innerJoin(communities, eq(communities.id, posts.communityId))
    .innerJoin(
      memberships,
      and(
        eq(memberships.communityId, posts.communityId),
        eq(memberships.accountId, recipient.id),
        isActiveMembership,
      ),
    )
    .$dynamic();
}

function announcementsFor(
  deps: Deps,
  recipient: Recipient,
  since: Date,
  now: Date,
): Promise<DigestItem[]> {
  return postsOfTheirCommunities(deps, recipient)
    .where(
      and(
        eq(posts.kind, "announcement"),
        within(posts.createdAt, since, now),
        liveAndReadableBy(recipient),
      ),
    )
    .orderBy(asc(communities.name), asc(posts.createdAt));
}

/**
 * The recipient's discussions with the most comments and likes (on the thread or its
 * comments) in the period, most active first.
 */
function mostActiveDiscussionsFor(
  deps: Deps,
  recipient: Recipient,
  since: Date,
  now: Date,
  limit: number,
): Promise<DigestItem[]> {
  const touches = unionAll(
    deps.db
      .select({ postId: comments.postId })
      .from(comments)
      .where(and(within(comments.createdAt, since, now), isNull(comments.deletedAt))),
    deps.db
      .select({ postId: likes.targetId })
      .from(likes)
      .where(within(likes.createdAt, since, now)),
    deps.db
      .select({ postId: comments.postId })
      .from(likes)
      .innerJoin(comments, eq(comments.id, likes.targetId))
      .where(within(likes.createdAt, since, now)),
  ).as("touches");
  const activity = deps.db
    .select({ postId: touches.postId, score: count().as("score") })
    .from(touches)
    .groupBy(touches.postId)
    .as("activity");
  return postsOfTheirCommunities(deps, recipient)
    .innerJoin(activity, eq(activity.postId, posts.id))
    .where(and(eq(posts.kind, "discussion"), liveAndReadableBy(recipient)))
    .orderBy(desc(activity.score), desc(posts.createdAt))
    .limit(limit);
}

/** One digest e-mail in the recipient's language: a section for each list that has items. */
async function sendDigest(
  deps: Deps,
  period: DigestPeriod,
  recipient: Recipient,
  sections: { announcements: DigestItem[]; discussions: DigestItem[] },
): Promise<void> {
  const t = translator(mailLocale(recipient), "mail");
  const items = Object.entries(sections)
    .filter(([, list]) => list.length > 0)
    .map(([name, list]) =>
      [
        t(`digest_sections.${name}`),
        ...list.map((item) => `• ${item.community}: ${item.title}\n${postUrl(deps, item.postId)}`),
      ].join("\n\n"),
    )
    .join("\n\n");
  const params = {
    count: String(sections.announcements.length),
    items,
    instance: deps.config.publicUrl.host,
  };
  await sendMailQuietly(
    deps,
    composeMail(
      period.mail,
      recipient,
      params,
      deps.config.publicUrl.href,
      await unsubscribeUrl(deps, recipient.id),
    ),
  );
}

/**
 * Once per period, one e-mail to each person who chose that period, listing what is new in
 * their communities since the last one and only what they may read. Answers how many were sent.
 */
async function sendDigests(deps: Deps, period: DigestPeriod, now: Date): Promise<number> {
  const claimed = await claimDigest(deps, period, now);
  if (!claimed) return 0;
  const recipients = await deps.db
    .select({ id: accounts.id, email: accounts.email, locale: accounts.locale })
    .from(accounts)
    .where(
      and(
        eq(accounts.emailNotifications, period.frequency),
        eq(accounts.state, "active"),
        isNotNull(accounts.email),
      ),
    )
    .orderBy(asc(accounts.id));
  let sent = 0;
  for (const recipient of recipients) {
    const announcements = await announcementsFor(deps, recipient, claimed.since, now);
    const discussions = period.topDiscussions
      ? await mostActiveDiscussionsFor(deps, recipient, claimed.since, now, period.topDiscussions)
      : [];
    if (announcements.length === 0 && discussions.length === 0) continue;
    await sendDigest(deps, period, recipient, { announcements, discussions });
    sent++;
  }
  return sent;
}

/** The daily digest (DIGEST_HOUR, UTC): the announcements since the last one. */
export const sendDailyDigests = (deps: Deps, now: Date) => sendDigests(deps, daily, now);

/**
 * The weekly digest (WEEKLY_DIGEST_DAY at DIGEST_HOUR, UTC): the week's announcements and
 * its five most active discussions.
 */
export const sendWeeklyDigests = (deps: Deps, now: Date) => sendDigests(deps, weekly, now);
