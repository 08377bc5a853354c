import { and, eq, isNull, sql } from "drizzle-orm";
import type { Account } from "../../db/schema/accounts.ts";
import { communities } from "../../db/schema/communities.ts";
import { memberships } from "../../db/schema/memberships.ts";
import type { Deps } from "../deps.ts";
import { afterCursor, cursorOrder, type PageRequest, toPage } from "../pagination.ts";
import { assertInstanceAdmin } from "./accounts.ts";
import { isActiveMembership } from "./privacy.ts";

/**
 * Every community hosted here, hidden and archived ones too, newest first, for the instance
 * administrator: its privacy, how many active members it has, and when it last had content.
 */
export async function listHostedCommunities(deps: Deps, viewer: Account, page: PageRequest) {
  assertInstanceAdmin(viewer);
  const members = deps.db
    .select({ communityId: memberships.communityId, count: sql<number>`count(*)::int`.as("count") })
    .from(memberships)
    .where(isActiveMembership)
    .groupBy(memberships.communityId)
    .as("members");
  const rows = await deps.db
    .select({
      community: communities,
      members: sql<number>`coalesce(${members.count}, 0)`,
    })
    .from(communities)
    .leftJoin(members, eq(members.communityId, communities.id))
    .where(
      and(
        isNull(communities.domain),
        afterCursor(communities.createdAt, communities.id, page.cursor),
      ),
    )
    .orderBy(...cursorOrder(communities.createdAt, communities.id))
    .limit(page.limit + 1);
  return toPage(rows, page.limit, (row) => row.community);
}
