import { and, eq, inArray, isNotNull, isNull, lte, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../../db/index.ts";
import { type Account, accounts } from "../../db/schema/accounts.ts";
import { type Community, communities } from "../../db/schema/communities.ts";
import { memberships } from "../../db/schema/memberships.ts";
import { type NotificationKind, notifications } from "../../db/schema/notifications.ts";
import type { Post } from "../../db/schema/posts.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { composeMail } from "../mail/compose.ts";
import { afterCursor, cursorOrder, type PageRequest, toPage } from "../pagination.ts";
import { refOf } from "../urls.ts";
import { sendMailQuietly } from "./mail.ts";
import { hearsFrom, isActiveMembership } from "./privacy.ts";
import { signToken, verifyToken } from "./tokens.ts";

export function postUrl(deps: Deps, postId: string): string {
  return new URL(`/posts/${postId}`, deps.config.publicUrl).href;
}

const unsubscribeLifetimeMs = 365 * 24 * 60 * 60 * 1000;

export async function unsubscribeUrl(deps: Deps, accountId: string): Promise<string> {
  const expiresAt = new Date(Date.now() + unsubscribeLifetimeMs);
  const token = await signToken(
    deps.config.secretKey,
    "unsubscribe",
    { sub: accountId },
    expiresAt,
  );
  return new URL(`/unsubscribe/${token}`, deps.config.publicUrl).href;
}

/** The account an unsubscribe link was made for, if the link is genuine and current. */
export async function unsubscribingAccount(
  deps: Deps,
  token: string,
): Promise<Account | undefined> {
  const verified = await verifyToken(deps.config.secretKey, "unsubscribe", token);
  if (verified.status !== "valid") return undefined;
  const [account] = await deps.db.select().from(accounts).where(eq(accounts.id, verified.sub));
  return account;
}

export async function stopNewsMail(deps: Deps, accountId: string): Promise<void> {
  await deps.db
    .update(accounts)
    .set({ emailNotifications: "none", updatedAt: new Date() })
    .where(eq(accounts.id, accountId));
}

/**
 * Who hears of an announcement: the community's other active members of this server (people
 * elsewhere hear of it on theirs) who were already members when it was made, so that the
 * history fetched for someone who just joined tells no one of old news.
 */
function hearersOf(community: Community, post: Post, author: Account): SQL | undefined {
  return and(
    eq(memberships.communityId, community.id),
    isActiveMembership,
    isNull(accounts.domain),
    lte(memberships.createdAt, post.createdAt),
    sql`${accounts.id} <> ${author.id}`,
  );
}

/** Every other member hears of an announcement in the app. */
export async function noticeOfAnnouncement(
  db: Executor,
  community: Community,
  post: Post,
  author: Account,
): Promise<void> {
  await db.insert(notifications).select(
    db
      .select({
        id: sql`gen_random_uuid()`.as("id"),
        accountId: memberships.accountId,
        kind: sql`'announcement'::notification_kind`.as("kind"),
        communityId: sql`${community.id}::uuid`.as("community_id"),
        subjectId: sql`${post.id}::uuid`.as("subject_id"),
        actorId: sql`${author.id}::uuid`.as("actor_id"),
        data: sql`jsonb_build_object('title', ${post.title}::text, 'community', ${refOf(community)}::text)`.as(
          "data",
        ),
        readAt: sql`null::timestamptz`.as("read_at"),
        createdAt: sql`now()`.as("created_at"),
      })
      .from(memberships)
      .innerJoin(accounts, eq(accounts.id, memberships.accountId))
      .where(hearersOf(community, post, author)),
  );
}

/** E-mails an announcement to the members who asked for each message, in their language. */
export async function mailAnnouncement(
  deps: Deps,
  community: Community,
  post: Post,
  author: Account,
) {
  const recipients = await deps.db
    .select({ id: accounts.id, email: accounts.email, locale: accounts.locale })
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(
      and(
        hearersOf(community, post, author),
        eq(accounts.emailNotifications, "each"),
        isNotNull(accounts.email),
      ),
    );
  const params = {
    community: community.name,
    title: post.title,
    author: author.displayName || author.username,
    text: post.source,
    instance: deps.config.publicUrl.host,
  };
  for (const recipient of recipients) {
    const unsubscribe = await unsubscribeUrl(deps, recipient.id);
    await sendMailQuietly(
      deps,
      composeMail("announcement", recipient, params, postUrl(deps, post.id), unsubscribe),
    );
  }
}

export async function notify(
  db: Executor,
  notice: {
    accountId: string;
    kind: NotificationKind;
    /** Null for what happens outside any community: a direct message. */
    communityId: string | null;
    subjectId: string;
    /** Null when no one here decided: a community on another server did. */
    actorId: string | null;
    data: Record<string, string>;
  },
): Promise<void> {
  if (notice.accountId === notice.actorId) return;
  // Stored only if news of what the actor did reaches the person (privacy.ts's hearsFrom),
  // asked in the insert itself rather than in a round trip of its own.
  const { accountId, kind, communityId, subjectId, actorId, data } = notice;
  await db.execute(sql`
    insert into ${notifications} (account_id, kind, community_id, subject_id, actor_id, data)
    select ${accountId}::uuid, ${kind}::notification_kind, ${communityId}::uuid,
           ${subjectId}::uuid, ${actorId}::uuid, ${JSON.stringify(data)}::jsonb
    where ${actorId ? hearsFrom(accountId, actorId) : sql`true`}`);
}

/** Where a notification leads: what it is about, else its community. */
function targetOf(
  notice: Pick<typeof notifications.$inferSelect, "kind" | "subjectId" | "data">,
  community: Pick<Community, "slug" | "domain"> | null,
): string | null {
  if (notice.kind === "reply" && notice.data.post) return `/posts/${notice.data.post}`;
  if (notice.kind === "direct_message" && notice.subjectId) return `/messages/${notice.subjectId}`;
  // A report in no community is about a direct message: the instance's queue has it.
  if (notice.kind === "report" && !community) return "/admin/reports";
  if (["announcement", "event_soon"].includes(notice.kind) && notice.subjectId) {
    return `/posts/${notice.subjectId}`;
  }
  if (!community) return null;
  const home = `/c/${refOf(community)}`;
  if (notice.kind.startsWith("question_")) return `${home}/questions`;
  return ["join_request", "join_requests_waiting"].includes(notice.kind)
    ? `${home}/requests`
    : home;
}

/** The viewer's notifications, each with who caused it, where, and where it leads. */
export async function listNotifications(
  deps: Deps,
  viewer: Account,
  query: PageRequest & { unread?: boolean | undefined },
) {
  const rows = await deps.db
    .select({ notification: notifications, actor: accounts, community: communities })
    .from(notifications)
    .leftJoin(accounts, eq(accounts.id, notifications.actorId))
    .leftJoin(communities, eq(communities.id, notifications.communityId))
    .where(
      and(
        eq(notifications.accountId, viewer.id),
        query.unread ? isNull(notifications.readAt) : undefined,
        afterCursor(notifications.createdAt, notifications.id, query.cursor),
      ),
    )
    .orderBy(...cursorOrder(notifications.createdAt, notifications.id))
    .limit(query.limit + 1);
  const unread = await deps.db.$count(
    notifications,
    and(eq(notifications.accountId, viewer.id), isNull(notifications.readAt)),
  );
  const page = toPage(rows, query.limit, (row) => row.notification);
  return {
    page: {
      items: page.items.map((row) => ({
        ...row,
        target: targetOf(row.notification, row.community),
      })),
      next: page.next,
    },
    unread,
  };
}

/** Opening a notification reads it: where it leads, once marked read. */
export async function openNotification(deps: Deps, viewer: Account, id: string): Promise<string> {
  const [row] = await deps.db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.id, id), eq(notifications.accountId, viewer.id)))
    .returning();
  if (!row) throw new DomainError("not_found");
  const [community] = row.communityId
    ? await deps.db.select().from(communities).where(eq(communities.id, row.communityId))
    : [];
  return targetOf(row, community ?? null) ?? "/notifications";
}

/** Marks the given notifications (all when none are named) as read. */
export async function markNotificationsRead(
  deps: Deps,
  viewer: Account,
  ids?: string[],
): Promise<number> {
  const read = await deps.db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(
      and(
        eq(notifications.accountId, viewer.id),
        isNull(notifications.readAt),
        ids ? inArray(notifications.id, ids) : undefined,
      ),
    )
    .returning({ id: notifications.id });
  return read.length;
}
