import { and, isNull, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { dailyViews, membershipChanges } from "../../../db/schema/analytics.ts";
import { communities } from "../../../db/schema/communities.ts";
import { memberships } from "../../../db/schema/memberships.ts";
import type { Deps } from "../../deps.ts";
import { actorUrl } from "../../urls.ts";
import { communitiesVisibleTo } from "../privacy.ts";
import { activeDays, dayOf } from "./counting.ts";
import { isActiveReader } from "./queries.ts";

/*
 * What a partner shares with the hubs that read its directory when SHARE_ANALYTICS_WITH_HUB is
 * on: for each community it lists, four counts over its last 30 days. Aggregates of a whole
 * community only, never a person, never a breakdown by country or profession.
 */

const dayMs = 24 * 60 * 60 * 1000;
const count = z.number().int().min(0).max(1_000_000_000);

/** One listed community's counts, named by its Group's id: the key its copy has on a hub. */
export const SharedCount = z.object({
  community: z.url({ protocol: /^https?$/ }),
  views: count,
  downloads: count,
  joins: count,
  activeMembers: count,
});
export type SharedCount = z.infer<typeof SharedCount>;

/** A partner lists at most 500 communities in its directory (federation/directory.ts). */
export const SharedCounts = z.object({
  to: z.iso.date(),
  items: z.array(SharedCount).max(500),
});
export type SharedCounts = z.infer<typeof SharedCounts>;

/** The counts of every community this server lists, over the `activeDays` up to `now`. */
export async function countsToShare(deps: Deps, now = new Date()): Promise<SharedCounts> {
  const to = dayOf(now);
  const from = dayOf(new Date(now.getTime() - (activeDays - 1) * dayMs));
  const since = `${from}T00:00:00.000Z`;
  const views = (kinds: SQL) => sql`(select coalesce(sum(${dailyViews.viewers}), 0)::int
    from ${dailyViews} where ${dailyViews.communityId} = ${communities.id} and ${kinds}
      and ${dailyViews.day} between ${from}::date and ${to}::date)`;
  const rows = await deps.db.execute<Omit<SharedCount, "community"> & { slug: string }>(sql`
    select ${communities.slug} as slug,
      ${views(sql`${dailyViews.kind} <> 'download'`)} as views,
      ${views(sql`${dailyViews.kind} = 'download'`)} as downloads,
      (select count(*)::int from ${membershipChanges}
        where ${membershipChanges.communityId} = ${communities.id}
          and ${membershipChanges.change} = 'joined' and ${membershipChanges.at} >= ${since}::timestamptz) as joins,
      (select count(*)::int from ${memberships}
        where ${memberships.communityId} = ${communities.id} and ${memberships.state} = 'active'
          and ${isActiveReader(now)}) as "activeMembers"
    from ${communities}
    where ${and(communitiesVisibleTo(null), isNull(communities.domain), isNull(communities.parentId))}
    order by ${communities.slug}
    limit 500`);
  return {
    to,
    items: rows.map(({ slug, ...counts }) => ({
      community: actorUrl(deps.config.publicUrl, slug),
      ...counts,
    })),
  };
}
