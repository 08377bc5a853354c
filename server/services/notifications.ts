import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { Executor } from "../../db/index.ts";
import { type Account, accounts } from "../../db/schema/accounts.ts";
import type { Community } from "../../db/schema/communities.ts";
import { memberships } from "../../db/schema/memberships.ts";
import { type NotificationKind, notifications } from "../../db/schema/notifications.ts";
import type { Post } from "../../db/schema/posts.ts";
import type { Deps } from "../deps.ts";
import { composeMail } from "../mail/compose.ts";
import { afterCursor, cursorOrder, type PageRequest, toPage } from "../pagination.ts";
import { sendMailQuietly } from "./mail.ts";
import { isActiveMembership } from "./privacy.ts";
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
        eq(memberships.communityId, community.id),
        isActiveMembership,
        eq(accounts.emailNotifications, "each"),
        isNotNull(accounts.email),
        sql`${accounts.id} <> ${author.id}`,
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
    communityId: string;
    subjectId: string;
    actorId: string;
    data: Record<string, string>;
  },
): Promise<void> {
  if (notice.accountId === notice.actorId) return;
  await db.insert(notifications).values(notice);
}

export async function listNotifications(
  deps: Deps,
  viewer: Account,
  query: PageRequest & { unread?: boolean | undefined },
) {
  const rows = await deps.db
    .select()
    .from(notifications)
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
  return { page: toPage(rows, query.limit, (row) => row), unread };
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
