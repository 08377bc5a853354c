import { type Column, type SQL, sql } from "drizzle-orm";
import { accounts } from "../../../db/schema/accounts.ts";
import { dailyViews, memberReads, membershipChanges } from "../../../db/schema/analytics.ts";
import { communities } from "../../../db/schema/communities.ts";
import { memberships } from "../../../db/schema/memberships.ts";
import { comments, posts } from "../../../db/schema/posts.ts";
import type { Deps } from "../../deps.ts";
import { DomainError } from "../../errors.ts";
import { activeDays, dayOf } from "./counting.ts";
import { type Breakdown, foldSmallGroups, type GroupCount } from "./k-anonymity.ts";
import { type PartnerFigures, partnersFigures } from "./partner-counts.ts";

/** Whose figures: one community's, or the instance's (its own communities, not copies of others'). */
export type Scope = { communityId: string } | "instance";

export interface DateRange {
  from: string;
  to: string;
}

const dayMs = 24 * 60 * 60 * 1000;
const longestRangeDays = 5 * 366;

/** The year up to `now` when no dates are asked for; a range ending before it starts, or over five years, is refused. */
export function dateRange(from: string | undefined, to: string | undefined, now: Date): DateRange {
  const end = to ?? dayOf(now);
  const start = from ?? dayOf(new Date(Date.parse(end) - 364 * dayMs));
  const days = (Date.parse(end) - Date.parse(start)) / dayMs;
  if (!(days >= 0 && days <= longestRangeDays)) throw new DomainError("invalid_date_range");
  return { from: start, to: end };
}

function inScope(scope: Scope, communityId: Column): SQL {
  return scope === "instance"
    ? sql`${communityId} in (select ${communities.id} from ${communities} where ${communities.domain} is null)`
    : sql`${communityId} = ${scope.communityId}`;
}

export type WeekFigures = {
  week: string;
  views: number;
  downloads: number;
  joined: number;
  left: number;
};

/** Views, downloads, joins and leaves per week (weeks start on Monday, UTC). */
async function weekly(deps: Deps, scope: Scope, range: DateRange): Promise<WeekFigures[]> {
  const changesAt = sql`(${membershipChanges.at} at time zone 'UTC')`;
  return deps.db.execute<WeekFigures>(sql`
    with weeks as (
      select week::date as week from generate_series(
        date_trunc('week', ${range.from}::date::timestamp), ${range.to}::date::timestamp, interval '1 week') as week
    ),
    views as (
      select date_trunc('week', ${dailyViews.day}::timestamp)::date as week,
        sum(${dailyViews.viewers}) filter (where ${dailyViews.kind} <> 'download') as views,
        sum(${dailyViews.viewers}) filter (where ${dailyViews.kind} = 'download') as downloads
      from ${dailyViews}
      where ${inScope(scope, dailyViews.communityId)}
        and ${dailyViews.day} between ${range.from}::date and ${range.to}::date
      group by 1
    ),
    changes as (
      select date_trunc('week', ${changesAt})::date as week,
        count(*) filter (where ${membershipChanges.change} = 'joined') as joined,
        count(*) filter (where ${membershipChanges.change} = 'left') as "left"
      from ${membershipChanges}
      where ${inScope(scope, membershipChanges.communityId)}
        and ${changesAt} >= ${range.from}::date and ${changesAt} < ${range.to}::date + 1
      group by 1
    )
    select to_char(weeks.week, 'YYYY-MM-DD') as week,
      coalesce(views.views, 0)::int as views, coalesce(views.downloads, 0)::int as downloads,
      coalesce(changes.joined, 0)::int as joined, coalesce(changes."left", 0)::int as "left"
    from weeks left join views using (week) left join changes using (week)
    order by weeks.week`);
}

export type MonthFigures = {
  month: string;
  posts: number;
  comments: number;
};

/** Posts and comments written per month (UTC), deleted ones aside. */
async function monthly(deps: Deps, scope: Scope, range: DateRange): Promise<MonthFigures[]> {
  const within = (at: SQL) =>
    sql`(${at} at time zone 'UTC') >= ${range.from}::date and (${at} at time zone 'UTC') < ${range.to}::date + 1`;
  const monthOf = (at: SQL) => sql`date_trunc('month', ${at} at time zone 'UTC')::date`;
  return deps.db.execute<MonthFigures>(sql`
    with months as (
      select month::date as month from generate_series(
        date_trunc('month', ${range.from}::date::timestamp), ${range.to}::date::timestamp, interval '1 month') as month
    ),
    written as (
      select ${monthOf(sql`${posts.createdAt}`)} as month, count(*) as posts
      from ${posts}
      where ${inScope(scope, posts.communityId)} and ${posts.deletedAt} is null
        and ${within(sql`${posts.createdAt}`)}
      group by 1
    ),
    replies as (
      select ${monthOf(sql`${comments.createdAt}`)} as month, count(*) as comments
      from ${comments} join ${posts} on ${posts.id} = ${comments.postId}
      where ${inScope(scope, posts.communityId)} and ${comments.deletedAt} is null
        and ${within(sql`${comments.createdAt}`)}
      group by 1
    )
    select to_char(months.month, 'YYYY-MM') as month,
      coalesce(written.posts, 0)::int as posts, coalesce(replies.comments, 0)::int as comments
    from months left join written using (month) left join replies using (month)
    order by months.month`);
}

/**
 * Whether the member of `membership` posted, commented or read in the community within the
 * last `activeDays`: the one definition of an active member here.
 */
export function isActiveReader(now: Date): SQL {
  const since = new Date(now.getTime() - activeDays * dayMs);
  const sinceAt = sql`${since.toISOString()}::timestamptz`;
  return sql`(
    exists (select 1 from ${posts} where ${posts.authorId} = ${memberships.accountId}
      and ${posts.communityId} = ${memberships.communityId} and ${posts.createdAt} >= ${sinceAt})
    or exists (select 1 from ${comments} join ${posts} on ${posts.id} = ${comments.postId}
      where ${comments.authorId} = ${memberships.accountId}
      and ${posts.communityId} = ${memberships.communityId} and ${comments.createdAt} >= ${sinceAt})
    or exists (select 1 from ${memberReads} where ${memberReads.accountId} = ${memberships.accountId}
      and ${memberReads.communityId} = ${memberships.communityId} and ${memberReads.readOn} >= ${dayOf(since)}::date)
  )`;
}

/**
 * Members counted by a detail of their profile, each person once. Only counts leave here: a
 * community's admins may see every member's details whatever their audience
 * (privacy.ts seesProfileDetails), and groups under five are folded before anyone sees them.
 */
async function membersBy(
  deps: Deps,
  scope: Scope,
  detail: typeof accounts.country | typeof accounts.profession,
  now: Date,
): Promise<Breakdown> {
  const rows = await deps.db.execute<GroupCount>(sql`
    with people as (
      select ${memberships.accountId} as id, bool_or(${isActiveReader(now)}) as active
      from ${memberships}
      where ${inScope(scope, memberships.communityId)} and ${memberships.state} = 'active'
      group by ${memberships.accountId}
    )
    select mode() within group (order by trim(${detail})) as "group",
      count(*)::int as members, (count(*) filter (where people.active))::int as "activeMembers"
    from people join ${accounts} on ${accounts.id} = people.id
    group by lower(trim(${detail}))`);
  return foldSmallGroups(rows);
}

export interface Totals {
  members: number;
  activeMembers: number;
  views: number;
  downloads: number;
  posts: number;
  comments: number;
  pendingRequests: number;
}

async function members(deps: Deps, scope: Scope, now: Date) {
  const [row] = await deps.db.execute<{ members: number; activeMembers: number }>(sql`
    select count(distinct ${memberships.accountId})::int as members,
      (count(distinct ${memberships.accountId}) filter (where ${isActiveReader(now)}))::int as "activeMembers"
    from ${memberships}
    where ${inScope(scope, memberships.communityId)} and ${memberships.state} = 'active'`);
  return row ?? { members: 0, activeMembers: 0 };
}

export const pendingAgeBuckets = ["under7", "from7to13", "from14to29", "from30"] as const;
export type PendingAgeBucket = (typeof pendingAgeBuckets)[number];

export type PendingAges = {
  bucket: PendingAgeBucket;
  requests: number;
};

/** How long join requests have waited, in weeks-ish buckets: counts, never the people. */
async function pendingAges(deps: Deps, scope: Scope, now: Date): Promise<PendingAges[]> {
  const rows = await deps.db.execute<{ days: number; requests: number }>(sql`
    select least(width_bucket(extract(epoch from (${now.toISOString()}::timestamptz - ${memberships.createdAt})) / 86400,
      array[7, 14, 30]::float8[]), 3) as days, count(*)::int as requests
    from ${memberships}
    where ${inScope(scope, memberships.communityId)} and ${memberships.state} = 'pending'
    group by 1`);
  return pendingAgeBuckets.map((bucket, index) => ({
    bucket,
    requests: rows.find((row) => Number(row.days) === index)?.requests ?? 0,
  }));
}

export type ItemFigures = {
  id: string;
  kind: string;
  title: string;
  views: number;
  downloads: number;
};

/** The community's most read posts and files over the range. */
async function topItems(deps: Deps, communityId: string, range: DateRange): Promise<ItemFigures[]> {
  return deps.db.execute<ItemFigures>(sql`
    select * from (
    select ${posts.id} as id, ${posts.kind} as kind, ${posts.title} as title,
      (coalesce(sum(${dailyViews.viewers}) filter (where ${dailyViews.kind} = 'post'), 0))::int as views,
      (coalesce(sum(${dailyViews.viewers}) filter (where ${dailyViews.kind} = 'download'), 0))::int as downloads
    from ${dailyViews} join ${posts} on ${posts.id} = ${dailyViews.itemId}
    where ${dailyViews.communityId} = ${communityId} and ${dailyViews.kind} <> 'community'
      and ${dailyViews.day} between ${range.from}::date and ${range.to}::date
      and ${posts.deletedAt} is null
    group by ${posts.id}
    ) as read
    order by views + downloads desc, title
    limit 20`);
}

export type CommunityFigures = {
  ref: string;
  name: string;
  members: number;
  activeMembers: number;
  views: number;
  downloads: number;
  pendingRequests: number;
};

/** Every community of the instance, with its main figures: for the instance administrator. */
async function everyCommunity(
  deps: Deps,
  range: DateRange,
  now: Date,
): Promise<CommunityFigures[]> {
  const viewsOf = (kinds: SQL) => sql`(select coalesce(sum(${dailyViews.viewers}), 0)::int
    from ${dailyViews} where ${dailyViews.communityId} = ${communities.id} and ${kinds}
    and ${dailyViews.day} between ${range.from}::date and ${range.to}::date)`;
  const membersWhere = (condition: SQL) => sql`(select count(*)::int from ${memberships}
    where ${memberships.communityId} = ${communities.id} and ${condition})`;
  return deps.db.execute<CommunityFigures>(sql`
    select ${communities.slug} as ref, ${communities.name} as name,
      ${membersWhere(sql`${memberships.state} = 'active'`)} as members,
      ${membersWhere(sql`${memberships.state} = 'active' and ${isActiveReader(now)}`)} as "activeMembers",
      ${viewsOf(sql`${dailyViews.kind} <> 'download'`)} as views,
      ${viewsOf(sql`${dailyViews.kind} = 'download'`)} as downloads,
      ${membersWhere(sql`${memberships.state} = 'pending'`)} as "pendingRequests"
    from ${communities}
    where ${communities.domain} is null
    order by lower(${communities.name})`);
}

export interface Analytics {
  range: DateRange;
  totals: Totals;
  weekly: WeekFigures[];
  monthly: MonthFigures[];
  pendingAges: PendingAges[];
  countries: Breakdown;
  professions: Breakdown;
  /** A community's most read posts and files; the instance's list of communities. */
  items?: ItemFigures[];
  communities?: CommunityFigures[];
  /** On a hub, what its partners share of their communities (their last 30 days). */
  partners?: PartnerFigures[];
}

const sum = <T>(rows: T[], of: (row: T) => number) =>
  rows.reduce((total, row) => total + of(row), 0);

/** Every figure of a community or of the instance, over `range` (members as of `now`). */
export async function analyticsOf(
  deps: Deps,
  scope: Scope,
  range: DateRange,
  now = new Date(),
): Promise<Analytics> {
  const [weeks, months, people, pending, countries, professions] = await Promise.all([
    weekly(deps, scope, range),
    monthly(deps, scope, range),
    members(deps, scope, now),
    pendingAges(deps, scope, now),
    membersBy(deps, scope, accounts.country, now),
    membersBy(deps, scope, accounts.profession, now),
  ]);
  const analytics: Analytics = {
    range,
    totals: {
      ...people,
      views: sum(weeks, (week) => week.views),
      downloads: sum(weeks, (week) => week.downloads),
      posts: sum(months, (month) => month.posts),
      comments: sum(months, (month) => month.comments),
      pendingRequests: sum(pending, (age) => age.requests),
    },
    weekly: [...weeks],
    monthly: [...months],
    pendingAges: pending,
    countries,
    professions,
  };
  if (scope === "instance") {
    analytics.communities = [...(await everyCommunity(deps, range, now))];
    analytics.partners = await partnersFigures(deps);
  } else analytics.items = [...(await topItems(deps, scope.communityId, range))];
  return analytics;
}
