import { and, asc, desc, eq, gt, isNotNull, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import { type PgColumn, unionAll } from "drizzle-orm/pg-core";
import { type Account, accounts, type MailFrequency } from "../../db/schema/accounts.ts";
import { dailyViews } from "../../db/schema/analytics.ts";
import { communities } from "../../db/schema/communities.ts";
import { memberships } from "../../db/schema/memberships.ts";
import { comments, likes, posts } from "../../db/schema/posts.ts";
import { type Config, weekdays } from "../config.ts";
import type { Deps } from "../deps.ts";
import { translator } from "../i18n.ts";
import { composeMail, mailLocale } from "../mail/compose.ts";
import { dayOf } from "./analytics/counting.ts";
import { sendMailQuietly } from "./mail.ts";
import { postUrl, unsubscribeUrl } from "./notifications.ts";
import { isActiveMembership, postsReadableBy } from "./privacy.ts";
import { claimScheduledRun } from "./scheduled-runs.ts";

/** How one kind of digest differs from the other: whom it is for, when, and what it ranks. */
interface DigestPeriod {
  frequency: Extract<MailFrequency, "daily" | "weekly">;
  /** Its row in `scheduled_runs`. */
  job: string;
  mail: "digest" | "weekly_digest";
  /** When it goes out, as a cron pattern read in UTC. */
  schedule(config: Config): string;
  /** What it lists: the period's announcements, or its top five (topItemsFor). */
  lists: "announcements" | "top";
}

const daily: DigestPeriod = {
  frequency: "daily",
  job: "daily_digest",
  mail: "digest",
  schedule: (config) => `0 ${config.digestHour} * * *`,
  lists: "announcements",
};

const weekly: DigestPeriod = {
  frequency: "weekly",
  job: "weekly_digest",
  mail: "weekly_digest",
  schedule: (config) => `0 ${config.digestHour} * * ${weekdays.indexOf(config.weeklyDigestDay)}`,
  lists: "top",
};

type Recipient = Pick<Account, "id" | "email" | "locale">;

interface DigestItem {
  community: string;
  postId: string;
  title: string;
  /** Featured by the community's facilitators for the period's mail (digest-features.ts). */
  featured: boolean;
}

/** The weekly mail lists at most this many items, as issue 16 asks. */
const topLength = 5;

/** Takes the digest due at `now`, if no one has: the period it covers (scheduled-runs.ts). */
const claimDigest = (deps: Deps, period: DigestPeriod, now: Date) =>
  claimScheduledRun(deps, period.job, period.schedule(deps.config), now);

const within = (column: PgColumn, since: Date, now: Date) =>
  and(gt(column, since), lte(column, now));

/** Posts not deleted that the recipient may read (privacy.ts decides), as a condition. */
function liveAndReadableBy(recipient: Recipient): SQL | undefined {
  return and(isNull(posts.deletedAt), postsReadableBy(recipient));
}

/** Featured for the digest of the period from `since` to `now`, as a column. */
const featuredWithin = (since: Date, now: Date) =>
  sql<boolean>`coalesce(${within(posts.digestFeaturedAt, since, now)}, false)`;

/**
 * The posts of the recipient's communities, of this server and copies of other servers' alike
 * (replicas keep their posts here, under the copy a member's membership names).
 */
function postsOfTheirCommunities(deps: Deps, recipient: Recipient, since: Date, now: Date) {
  return deps.db
    .select({
      community: communities.name,
      postId: posts.id,
      title: posts.title,
      featured: featuredWithin(since, now),
    })
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
  return postsOfTheirCommunities(deps, recipient, since, now)
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
 * The recipient's top items of the period, of any kind: first those their facilitators
 * featured for it, then by how much they were discussed and read in it. Each reply, like (on
 * the post or its replies) and reader counts one; readers are analytics' daily counts of the
 * days the period ended, so each day counts in one mail.
 */
function topItemsFor(
  deps: Deps,
  recipient: Recipient,
  since: Date,
  now: Date,
): Promise<DigestItem[]> {
  const one = sql<number>`1`;
  const touches = unionAll(
    deps.db
      .select({ postId: comments.postId, weight: one.as("weight") })
      .from(comments)
      .where(and(within(comments.createdAt, since, now), isNull(comments.deletedAt))),
    deps.db
      .select({ postId: likes.targetId, weight: one.as("weight") })
      .from(likes)
      .where(within(likes.createdAt, since, now)),
    deps.db
      .select({ postId: comments.postId, weight: one.as("weight") })
      .from(likes)
      .innerJoin(comments, eq(comments.id, likes.targetId))
      .where(within(likes.createdAt, since, now)),
    deps.db
      .select({
        postId: dailyViews.itemId,
        weight: sql<number>`${dailyViews.viewers}`.as("weight"),
      })
      .from(dailyViews)
      .where(
        and(
          eq(dailyViews.kind, "post"),
          gt(dailyViews.day, dayOf(since)),
          lte(dailyViews.day, dayOf(now)),
        ),
      ),
  ).as("touches");
  const activity = deps.db
    .select({ postId: touches.postId, score: sql<number>`sum(${touches.weight})`.as("score") })
    .from(touches)
    .groupBy(touches.postId)
    .as("activity");
  return postsOfTheirCommunities(deps, recipient, since, now)
    .leftJoin(activity, eq(activity.postId, posts.id))
    .where(
      and(
        or(isNotNull(activity.postId), within(posts.digestFeaturedAt, since, now)),
        liveAndReadableBy(recipient),
      ),
    )
    .orderBy(
      desc(featuredWithin(since, now)),
      desc(sql`coalesce(${activity.score}, 0)`),
      desc(posts.createdAt),
    )
    .limit(topLength);
}

/** One digest e-mail in the recipient's language: a section for each list that has items. */
async function sendDigest(
  deps: Deps,
  period: DigestPeriod,
  recipient: Recipient,
  sections: { announcements?: DigestItem[]; top?: DigestItem[] },
): Promise<void> {
  const t = translator(mailLocale(recipient), "mail");
  const items = Object.entries(sections)
    .filter(([, list]) => list.length > 0)
    .map(([name, list]) =>
      [
        t(`digest_sections.${name}`),
        ...list.map(
          (item) =>
            `• ${item.community}: ${item.title}${item.featured ? ` (${t("digest_featured")})` : ""}\n${postUrl(deps, item.postId)}`,
        ),
      ].join("\n\n"),
    )
    .join("\n\n");
  const params = {
    count: String(sections.announcements?.length ?? 0),
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
    const sections =
      period.lists === "announcements"
        ? { announcements: await announcementsFor(deps, recipient, claimed.since, now) }
        : { top: await topItemsFor(deps, recipient, claimed.since, now) };
    if (Object.values(sections).every((list) => list.length === 0)) continue;
    await sendDigest(deps, period, recipient, sections);
    sent++;
  }
  return sent;
}

/** The daily digest (DIGEST_HOUR, UTC): the announcements since the last one. */
export const sendDailyDigests = (deps: Deps, now: Date) => sendDigests(deps, daily, now);

/**
 * The weekly digest (WEEKLY_DIGEST_DAY at DIGEST_HOUR, UTC): the week's top five, what
 * facilitators featured first.
 */
export const sendWeeklyDigests = (deps: Deps, now: Date) => sendDigests(deps, weekly, now);
