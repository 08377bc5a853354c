import { and, count, eq, isNull, lt, min, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../../db/index.ts";
import { type Account, accounts } from "../../db/schema/accounts.ts";
import { type Community, communities } from "../../db/schema/communities.ts";
import { communityHealth } from "../../db/schema/community-health.ts";
import { memberships } from "../../db/schema/memberships.ts";
import type { NotificationKind } from "../../db/schema/notifications.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { composeMail, type MailKind } from "../mail/compose.ts";
import { afterCursor, cursorOrder, type PageRequest, toPage } from "../pagination.ts";
import { refOf } from "../urls.ts";
import { assertInstanceAdmin } from "./accounts.ts";
import { administerCommunity } from "./communities.ts";
import { communitiesWithActivity } from "./community-activity.ts";
import { sendMailQuietly } from "./mail.ts";
import { notify } from "./notifications.ts";
import { isActiveWithRoleAtLeast } from "./privacy.ts";

/*
 * The community-health loop: a community with no new post or comment for INACTIVITY_DAYS is
 * dormant, and join requests waiting PENDING_REMINDER_DAYS are brought back to mind. Each tick
 * of every worker may run these; `community_health` remembers what was told, and its upserts
 * let only one worker tell it.
 */

const dayMs = 24 * 60 * 60 * 1000;
const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * dayMs);

/** Communities of this server that may still change: others are looked after at their home. */
const localAndOpenForContent = and(isNull(communities.domain), eq(communities.archived, false));

/** Dormant as of `now`: local, not archived, and nothing new for INACTIVITY_DAYS. */
function dormantAt(deps: Deps, now: Date): SQL | undefined {
  return and(
    localAndOpenForContent,
    communitiesWithActivity("inactive", deps.config.inactivityDays, now),
  );
}

/** Join requests waiting since before `now` less PENDING_REMINDER_DAYS. */
function requestsWaitingAt(deps: Deps, now: Date): SQL | undefined {
  return and(
    eq(memberships.state, "pending"),
    lt(memberships.createdAt, daysBefore(now, deps.config.pendingReminderDays)),
  );
}

interface Notice {
  kind: Extract<NotificationKind, MailKind>;
  data: Record<string, string>;
  /** The community's page the mail links to, under its home: "" for the home itself. */
  page: "" | "/requests";
  /** Further links the mail's body names, by their parameter. */
  links?: Record<string, string>;
}

/**
 * Tells the community's people of this server with at least `role` in the app, and answers
 * the mails to send them (unless they want no e-mail) once the transaction that decided to
 * tell them has committed. Keepers on other servers hear nothing: notices do not federate.
 */
async function tellKeepers(
  deps: Deps,
  tx: Executor,
  community: Community,
  role: "moderator" | "admin",
  notice: Notice,
) {
  const keepers = await tx
    .select({
      id: accounts.id,
      email: accounts.email,
      locale: accounts.locale,
      emailNotifications: accounts.emailNotifications,
    })
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(
      and(
        eq(memberships.communityId, community.id),
        isActiveWithRoleAtLeast(role),
        isNull(accounts.domain),
      ),
    );
  const pageOf = (path: string) =>
    new URL(`/c/${refOf(community)}${path}`, deps.config.publicUrl).href;
  const link = pageOf(notice.page);
  const links = Object.fromEntries(
    Object.entries(notice.links ?? {}).map(([name, path]) => [name, pageOf(path)]),
  );
  const params = { ...notice.data, ...links, instance: deps.config.publicUrl.host };
  for (const keeper of keepers) {
    await notify(tx, {
      accountId: keeper.id,
      kind: notice.kind,
      communityId: community.id,
      subjectId: community.id,
      actorId: null,
      data: notice.data,
    });
  }
  return keepers
    .filter((keeper) => keeper.emailNotifications !== "none")
    .map((keeper) => composeMail(notice.kind, keeper, params, link));
}

async function sendAll(deps: Deps, mails: Awaited<ReturnType<typeof tellKeepers>>) {
  for (const mail of mails) await sendMailQuietly(deps, mail);
}

/**
 * Flags the communities that went dormant and tells their owners, admins and moderators,
 * in the app and by e-mail, once per dormancy: a later post or comment ends it, and the
 * next one is told again. Answers how many communities were flagged.
 */
export async function flagDormantCommunities(deps: Deps, now: Date): Promise<number> {
  const mails = await deps.db.transaction(async (tx) => {
    const flagged = await tx
      .insert(communityHealth)
      .select(
        tx
          .select({
            communityId: communities.id,
            dormantSince: communities.lastActivityAt,
            requestsRemindedAt: sql`null::timestamptz`.as("requests_reminded_at"),
          })
          .from(communities)
          .where(dormantAt(deps, now)),
      )
      .onConflictDoUpdate({
        target: communityHealth.communityId,
        set: { dormantSince: sql`excluded.dormant_since` },
        setWhere: sql`${communityHealth.dormantSince} is null
          or ${communityHealth.dormantSince} < excluded.dormant_since`,
      })
      .returning({ communityId: communityHealth.communityId });
    const told = [];
    for (const { communityId } of flagged) {
      const [community] = await tx
        .select()
        .from(communities)
        .where(eq(communities.id, communityId));
      if (!community) continue;
      told.push(
        ...(await tellKeepers(deps, tx, community, "moderator", {
          kind: "community_dormant",
          page: "",
          // The community's page offers both actions to its admins (dormancy-actions.tsx).
          links: { reactivateUrl: "#reactivate", archiveUrl: "#archive" },
          data: {
            community: refOf(community),
            name: community.name,
            days: String(deps.config.inactivityDays),
          },
        })),
      );
    }
    return { count: flagged.length, told };
  });
  await sendAll(deps, mails.told);
  return mails.count;
}

/**
 * Reminds the owners and admins of a community (who decide on requests) of join requests
 * waiting longer than PENDING_REMINDER_DAYS, in the app and by e-mail, at most once every
 * PENDING_REMINDER_DAYS while some still wait. Answers how many communities were reminded.
 */
export async function remindOfWaitingRequests(deps: Deps, now: Date): Promise<number> {
  const mails = await deps.db.transaction(async (tx) => {
    const reminded = await tx
      .insert(communityHealth)
      .select(
        tx
          .selectDistinct({
            communityId: communities.id,
            dormantSince: sql`null::timestamptz`.as("dormant_since"),
            requestsRemindedAt: sql`${now.toISOString()}::timestamptz`.as("requests_reminded_at"),
          })
          .from(communities)
          .innerJoin(memberships, eq(memberships.communityId, communities.id))
          .where(and(localAndOpenForContent, requestsWaitingAt(deps, now))),
      )
      .onConflictDoUpdate({
        target: communityHealth.communityId,
        set: { requestsRemindedAt: sql`excluded.requests_reminded_at` },
        setWhere: sql`${communityHealth.requestsRemindedAt} is null
          or ${communityHealth.requestsRemindedAt} <= ${daysBefore(now, deps.config.pendingReminderDays).toISOString()}::timestamptz`,
      })
      .returning({ communityId: communityHealth.communityId });
    const told = [];
    for (const { communityId } of reminded) {
      const [community] = await tx
        .select()
        .from(communities)
        .where(eq(communities.id, communityId));
      if (!community) continue;
      const waiting = await tx.$count(
        memberships,
        and(eq(memberships.communityId, communityId), requestsWaitingAt(deps, now)),
      );
      told.push(
        ...(await tellKeepers(deps, tx, community, "admin", {
          kind: "join_requests_waiting",
          page: "/requests",
          data: {
            community: refOf(community),
            name: community.name,
            count: String(waiting),
            days: String(deps.config.pendingReminderDays),
          },
        })),
      );
    }
    return { count: reminded.length, told };
  });
  await sendAll(deps, mails.told);
  return mails.count;
}

/**
 * The dormant communities of this server for its administrator, longest dormant first, each
 * with how many join requests wait and since when (and how many whole days) the oldest has.
 */
export async function listDormantCommunities(
  deps: Deps,
  viewer: Account,
  page: PageRequest,
  now = new Date(),
) {
  assertInstanceAdmin(viewer);
  const pending = deps.db
    .select({
      communityId: memberships.communityId,
      waiting: count().as("waiting"),
      oldestAt: min(memberships.createdAt).as("oldest_at"),
    })
    .from(memberships)
    .where(eq(memberships.state, "pending"))
    .groupBy(memberships.communityId)
    .as("pending");
  const rows = await deps.db
    .select({
      community: communities,
      pendingRequests: sql<number>`coalesce(${pending.waiting}, 0)::int`,
      oldestRequestAt: pending.oldestAt,
    })
    .from(communities)
    .leftJoin(pending, eq(pending.communityId, communities.id))
    .where(
      and(
        dormantAt(deps, now),
        afterCursor(communities.lastActivityAt, communities.id, page.cursor, "oldest"),
      ),
    )
    .orderBy(...cursorOrder(communities.lastActivityAt, communities.id, "oldest"))
    .limit(page.limit + 1);
  const listed = toPage(rows, page.limit, (row) => ({
    createdAt: row.community.lastActivityAt,
    id: row.community.id,
  }));
  const items = listed.items.map((row) => ({
    ...row,
    oldestRequestDays: row.oldestRequestAt
      ? Math.floor((now.getTime() - row.oldestRequestAt.getTime()) / dayMs)
      : null,
  }));
  return { items, next: listed.next };
}

/** A plan for new content is for a day after today, and at most a year on. */
function assertPlanDate(planDate: string, now: Date): void {
  const today = now.toISOString().slice(0, 10);
  const latest = new Date(now.getTime() + 366 * dayMs).toISOString().slice(0, 10);
  if (!(planDate > today && planDate <= latest)) {
    throw new DomainError("invalid_plan_date", { latest });
  }
}

/**
 * Its admins reactivate a dormant community by planning new content by `planDate`: it counts
 * as active until that day has passed (community-activity.ts), and if nothing new came by
 * then, the dormancy that follows is told again. Answers the community as it now stands.
 */
export async function reactivateCommunity(
  deps: Deps,
  ref: string,
  viewer: Account,
  planDate: string,
  now = new Date(),
): Promise<Community> {
  const { community } = await administerCommunity(deps, ref, viewer);
  if (community.domain) throw new DomainError("community_elsewhere");
  if (community.archived) throw new DomainError("community_archived");
  assertPlanDate(planDate, now);
  return deps.db.transaction(async (tx) => {
    const [planned] = await tx
      .update(communities)
      .set({ activityPlannedFor: planDate })
      .where(eq(communities.id, community.id))
      .returning();
    await tx
      .update(communityHealth)
      .set({ dormantSince: null })
      .where(eq(communityHealth.communityId, community.id));
    return planned ?? community;
  });
}
