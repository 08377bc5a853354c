import { createHmac, randomBytes } from "node:crypto";
import { eq, lt, sql } from "drizzle-orm";
import { isbot } from "isbot";
import {
  dailyViews,
  daySalts,
  memberReads,
  type ViewedKind,
  viewMarks,
} from "../../../db/schema/analytics.ts";
import { memberships } from "../../../db/schema/memberships.ts";
import { posts } from "../../../db/schema/posts.ts";
import type { Deps } from "../../deps.ts";
import { isActiveMembership } from "../privacy.ts";

/** What was viewed: a community's page (its id), or a post or a file's download (the post's id). */
export interface ViewedItem {
  kind: ViewedKind;
  id: string;
}

/**
 * Who asks, as far as counting cares. Used only to tell one viewer from another within a day,
 * through a salted hash: none of it is stored.
 */
export interface Viewer {
  accountId: string | null;
  /** The client's address, as the rate limits see it (a /64 for IPv6). */
  address: string;
  userAgent: string | undefined;
}

/** A day as PostgreSQL's `date` reads it, in UTC. */
export const dayOf = (at: Date) => at.toISOString().slice(0, 10);

/** Whether a request is someone reading: crawlers, scripts without a user agent and prefetches are not. */
export function isCountable(userAgent: string | undefined, purpose: string | undefined): boolean {
  if (!userAgent || isbot(userAgent)) return false;
  return !/prefetch|prerender/i.test(purpose ?? "");
}

const salts = new Map<string, Buffer>();

/** The day's salt, made by whichever process counts first that day and read by the others. */
async function saltOf(deps: Deps, day: string): Promise<Buffer> {
  const known = salts.get(day);
  if (known) return known;
  await deps.db
    .insert(daySalts)
    .values({ day, salt: randomBytes(32) })
    .onConflictDoNothing();
  const [row] = await deps.db.select().from(daySalts).where(eq(daySalts.day, day));
  if (!row) throw new Error(`no analytics salt for ${day}`);
  salts.clear();
  salts.set(day, row.salt);
  return row.salt;
}

/**
 * The marks this process has already written today, so that a viewer coming back costs no
 * query. The same salted hashes as in the table, forgotten with the day (or when too many).
 */
const written = { day: "", marks: new Set<string>() };
const mostMarksKept = 100_000;

function writtenToday(day: string): Set<string> {
  if (written.day !== day || written.marks.size >= mostMarksKept) {
    written.day = day;
    written.marks.clear();
  }
  return written.marks;
}

/** A signed-in person is one viewer on every device; anyone else is an address and a browser. */
function markOf(salt: Buffer, viewer: Viewer, item: ViewedItem): Buffer {
  const who = viewer.accountId
    ? `account ${viewer.accountId}`
    : `client ${viewer.address} ${viewer.userAgent ?? ""}`;
  return createHmac("sha256", salt).update(`${who}\n${item.kind} ${item.id}`).digest();
}

/**
 * Counts a view (or a download) once per viewer, item and day, and remembers that an active
 * member read their community today. Answers whether it counted.
 */
export async function countView(
  deps: Deps,
  item: ViewedItem,
  viewer: Viewer,
  at = new Date(),
): Promise<boolean> {
  const day = dayOf(at);
  const mark = markOf(await saltOf(deps, day), viewer, item);
  const marks = writtenToday(day);
  const key = mark.toString("base64");
  if (marks.has(key)) return false;
  const community =
    item.kind === "community"
      ? sql`${item.id}::uuid`
      : sql`(select ${posts.communityId} from ${posts} where ${posts.id} = ${item.id})`;
  const counted = await deps.db.execute<{ communityId: string }>(sql`
    with marked as (
      insert into ${viewMarks} (day, mark) values (${day}::date, ${mark})
      on conflict do nothing returning 1
    )
    insert into ${dailyViews} (day, kind, item_id, community_id, viewers)
    select ${day}::date, ${item.kind}, ${item.id}::uuid, ${community}, 1 from marked
    where ${community} is not null
    on conflict (day, kind, item_id) do update set viewers = ${dailyViews.viewers} + 1
    returning community_id as "communityId"`);
  marks.add(key);
  const [row] = counted;
  if (!row) return false;
  if (viewer.accountId) await rememberMemberRead(deps, row.communityId, viewer.accountId, day);
  return true;
}

async function rememberMemberRead(deps: Deps, communityId: string, accountId: string, day: string) {
  await deps.db.execute(sql`
    insert into ${memberReads} (community_id, account_id, read_on)
    select ${memberships.communityId}, ${memberships.accountId}, ${day}::date from ${memberships}
    where ${memberships.communityId} = ${communityId} and ${memberships.accountId} = ${accountId}
      and ${isActiveMembership}
    on conflict (community_id, account_id) do update set read_on = excluded.read_on`);
}

/** Days of reading that count toward "active members". */
export const activeDays = 30;

/**
 * Forgets what is no longer needed: marks and salts of days gone (nothing can be told from the
 * counts alone), and members' reads older than `activeDays`.
 */
export async function forgetPastDays(deps: Deps, now = new Date()): Promise<void> {
  const today = dayOf(now);
  const oldest = dayOf(new Date(now.getTime() - activeDays * 24 * 60 * 60 * 1000));
  await deps.db.delete(viewMarks).where(lt(viewMarks.day, today));
  await deps.db.delete(daySalts).where(lt(daySalts.day, today));
  await deps.db.delete(memberReads).where(lt(memberReads.readOn, oldest));
}
