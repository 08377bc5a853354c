import { and, asc, eq, gt, isNotNull, isNull, lte } from "drizzle-orm";
import { accounts } from "../../db/schema/accounts.ts";
import { communities } from "../../db/schema/communities.ts";
import { scheduledRuns } from "../../db/schema/jobs.ts";
import { memberships } from "../../db/schema/memberships.ts";
import { posts } from "../../db/schema/posts.ts";
import type { Deps } from "../deps.ts";
import { composeMail } from "../mail/compose.ts";
import { sendMailQuietly } from "./mail.ts";
import { postUrl, unsubscribeUrl } from "./notifications.ts";
import { isActiveMembership } from "./privacy.ts";

const job = "daily_digest";
const dayMs = 24 * 60 * 60 * 1000;

/** Today's digest time (UTC) as of `now`, or yesterday's when today's has not come yet. */
function lastDigestTime(now: Date, hour: number): Date {
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hour));
  return today <= now ? today : new Date(today.getTime() - dayMs);
}

/**
 * Takes the digest due at `now`, if no one has: the period it covers, from the previous
 * digest (or a day back, the first time) to now. Row locks keep concurrent workers apart.
 */
async function claimDigest(deps: Deps, now: Date): Promise<{ since: Date } | null> {
  const due = lastDigestTime(now, deps.config.digestHour);
  return deps.db.transaction(async (tx) => {
    const [run] = await tx
      .select()
      .from(scheduledRuns)
      .where(eq(scheduledRuns.job, job))
      .for("update");
    if (run && run.lastRunAt >= due) return null;
    await tx
      .insert(scheduledRuns)
      .values({ job, lastRunAt: now })
      .onConflictDoUpdate({ target: scheduledRuns.job, set: { lastRunAt: now } });
    return { since: run?.lastRunAt ?? new Date(now.getTime() - dayMs) };
  });
}

/**
 * Once a day, one e-mail to each person who chose a daily digest, listing the
 * announcements of their communities since the last one, in their language.
 * Answers how many were sent.
 */
export async function sendDailyDigests(deps: Deps, now: Date): Promise<number> {
  const claimed = await claimDigest(deps, now);
  if (!claimed) return 0;
  const rows = await deps.db
    .select({
      account: { id: accounts.id, email: accounts.email, locale: accounts.locale },
      community: communities.name,
      postId: posts.id,
      title: posts.title,
    })
    .from(posts)
    .innerJoin(communities, eq(communities.id, posts.communityId))
    .innerJoin(memberships, and(eq(memberships.communityId, posts.communityId), isActiveMembership))
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(
      and(
        eq(posts.kind, "announcement"),
        isNull(posts.deletedAt),
        gt(posts.createdAt, claimed.since),
        lte(posts.createdAt, now),
        eq(accounts.emailNotifications, "daily"),
        eq(accounts.state, "active"),
        isNotNull(accounts.email),
      ),
    )
    .orderBy(asc(accounts.id), asc(posts.createdAt));
  const byAccount = new Map<string, typeof rows>();
  for (const row of rows)
    byAccount.set(row.account.id, [...(byAccount.get(row.account.id) ?? []), row]);
  for (const items of byAccount.values()) {
    const recipient = items[0]?.account;
    if (!recipient) continue;
    const list = items
      .map((item) => `• ${item.community}: ${item.title}\n${postUrl(deps, item.postId)}`)
      .join("\n\n");
    const params = {
      count: String(items.length),
      items: list,
      instance: deps.config.publicUrl.host,
    };
    await sendMailQuietly(
      deps,
      composeMail(
        "digest",
        recipient,
        params,
        deps.config.publicUrl.href,
        await unsubscribeUrl(deps, recipient.id),
      ),
    );
  }
  return byAccount.size;
}
