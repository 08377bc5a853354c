import { and, desc, eq, gt, gte, isNull, lt, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../../db/index.ts";
import { type Account, accounts } from "../../db/schema/accounts.ts";
import { communities } from "../../db/schema/communities.ts";
import { type EventDetails, eventDetails, rsvps } from "../../db/schema/events.ts";
import { memberships } from "../../db/schema/memberships.ts";
import { postColumns, posts } from "../../db/schema/posts.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { isLocale, type Locale, translator } from "../i18n.ts";
import { afterCursor, cursorOrder, type Page, type PageRequest, toPage } from "../pagination.ts";
import { viewCommunity } from "./communities.ts";
import { renderCalendar } from "./icalendar.ts";
import { assertMayRead, assertMayWrite, createPost, type PostView, viewPost } from "./posts.ts";
import { hasRoleAtLeast, isActiveMembership } from "./privacy.ts";
import { checkTimeZone, day, parseEventTime } from "./time-zones.ts";
import { signToken, verifyToken } from "./tokens.ts";

export type RsvpStatus = (typeof rsvps.$inferSelect)["status"];

export interface EventView extends PostView {
  details: EventDetails;
  going: number;
  viewerRsvp: RsvpStatus | null;
}

/** Recording and slides of a webinar; `null` takes a link away. */
export interface WebinarLinks {
  recordingUrl?: string | null | undefined;
  slidesUrl?: string | null | undefined;
}

export interface NewEvent {
  title: string;
  content: string;
  language?: string | undefined;
  /** ISO 8601, with an offset, or a local time read in `timezone`. */
  startsAt: string;
  endsAt: string;
  timezone: string;
  location?: string | undefined;
  onlineUrl?: string | undefined;
  /** `true` or the webinar's links make the event a webinar. */
  webinar?: boolean | WebinarLinks | undefined;
}

export interface EventChanges {
  startsAt?: string | undefined;
  endsAt?: string | undefined;
  timezone?: string | undefined;
  location?: string | undefined;
  onlineUrl?: string | null | undefined;
  /** `false` ends being a webinar and drops its links. */
  webinar?: boolean | WebinarLinks | undefined;
}

export interface EventQuery extends PageRequest {
  from?: Date | undefined;
  until?: Date | undefined;
}

function assertOrder(startsAt: Date, endsAt: Date): void {
  if (endsAt.getTime() <= startsAt.getTime()) throw new DomainError("event_ends_before_start");
}

// ---------------------------------------------------------------------------------------------
// Events.

function eventsQuery(db: Executor, viewerId: string | undefined) {
  return db
    .select({
      post: postColumns,
      author: accounts,
      details: eventDetails,
      going: sql<number>`(
        select count(*)::int from ${rsvps}
        where ${rsvps.postId} = ${posts.id} and ${rsvps.status} = 'going'
      )`,
      viewerRsvp: rsvps.status,
    })
    .from(posts)
    .innerJoin(eventDetails, eq(eventDetails.postId, posts.id))
    .leftJoin(accounts, eq(accounts.id, posts.authorId))
    .leftJoin(
      rsvps,
      and(eq(rsvps.postId, posts.id), viewerId ? eq(rsvps.accountId, viewerId) : sql`false`),
    );
}

function webinarOf(
  webinar: boolean | WebinarLinks | undefined,
  current: Pick<EventDetails, "webinar" | "recordingUrl" | "slidesUrl">,
): Pick<EventDetails, "webinar" | "recordingUrl" | "slidesUrl"> {
  const { recordingUrl, slidesUrl } = current;
  if (webinar === undefined) return { webinar: current.webinar, recordingUrl, slidesUrl };
  if (webinar === false) return { webinar: false, recordingUrl: null, slidesUrl: null };
  if (webinar === true) return { webinar: true, recordingUrl, slidesUrl };
  return {
    webinar: true,
    recordingUrl: webinar.recordingUrl === undefined ? recordingUrl : webinar.recordingUrl,
    slidesUrl: webinar.slidesUrl === undefined ? slidesUrl : webinar.slidesUrl,
  };
}

/** Publishes an event: the post and its calendar details in one transaction. */
export async function createEvent(
  deps: Deps,
  ref: string,
  viewer: Account,
  input: NewEvent,
): Promise<EventView> {
  const timezone = checkTimeZone(input.timezone);
  const startsAt = parseEventTime(input.startsAt, timezone, "startsAt");
  const endsAt = parseEventTime(input.endsAt, timezone, "endsAt");
  assertOrder(startsAt, endsAt);
  let details: EventDetails | undefined;
  const view = await createPost(
    deps,
    ref,
    viewer,
    "event",
    { title: input.title, content: input.content, language: input.language },
    async (tx, post) => {
      [details] = await tx
        .insert(eventDetails)
        .values({
          postId: post.id,
          startsAt,
          endsAt,
          timezone,
          location: input.location?.trim() ?? "",
          onlineUrl: input.onlineUrl ?? null,
          ...webinarOf(input.webinar, { webinar: false, recordingUrl: null, slidesUrl: null }),
        })
        .returning();
    },
  );
  if (!details) throw new Error("event details insert returned nothing");
  return { ...view, details, going: 0, viewerRsvp: null };
}

/** An event as `viewer` may see it; other kinds of post are not events. */
export async function viewEvent(
  deps: Deps,
  id: string,
  viewer: Account | null,
): Promise<EventView> {
  const view = await viewPost(deps, id, viewer);
  const [row] = await eventsQuery(deps.db, viewer?.id).where(eq(posts.id, id));
  if (view.post.kind !== "event" || !row) throw new DomainError("post_not_found");
  return { ...view, ...row };
}

/**
 * The community's events that are not over by `from` (now by default) and start before
 * `until`, soonest first.
 */
export async function listEvents(
  deps: Deps,
  ref: string,
  viewer: Account | null,
  query: EventQuery,
): Promise<Page<EventView>> {
  const { community, relation } = await viewCommunity(deps, ref, viewer);
  assertMayRead(community, relation, viewer);
  const rows = await eventsQuery(deps.db, viewer?.id)
    .where(
      and(
        eq(posts.communityId, community.id),
        isNull(posts.deletedAt),
        gt(eventDetails.endsAt, query.from ?? new Date()),
        query.until ? lt(eventDetails.startsAt, query.until) : undefined,
        afterCursor(eventDetails.startsAt, posts.id, query.cursor, "oldest"),
      ),
    )
    .orderBy(...cursorOrder(eventDetails.startsAt, posts.id, "oldest"))
    .limit(query.limit + 1);
  const page = toPage(rows, query.limit, (row) => ({
    createdAt: row.details.startsAt,
    id: row.post.id,
  }));
  return { items: page.items.map((row) => ({ ...row, community, relation })), next: page.next };
}

/** Changes an event's time, place or webinar links: its author or the community's moderators. */
export async function updateEvent(
  deps: Deps,
  id: string,
  viewer: Account,
  changes: EventChanges,
): Promise<EventView> {
  const { post, details, community, relation } = await viewEvent(deps, id, viewer);
  if (post.deletedAt) throw new DomainError("post_deleted");
  assertMayWrite(community, relation);
  if (post.authorId !== viewer.id && !hasRoleAtLeast(relation, "moderator")) {
    throw new DomainError("not_author");
  }
  const timezone =
    changes.timezone !== undefined ? checkTimeZone(changes.timezone) : details.timezone;
  const startsAt =
    changes.startsAt !== undefined
      ? parseEventTime(changes.startsAt, timezone, "startsAt")
      : details.startsAt;
  const endsAt =
    changes.endsAt !== undefined
      ? parseEventTime(changes.endsAt, timezone, "endsAt")
      : details.endsAt;
  assertOrder(startsAt, endsAt);
  await deps.db.transaction(async (tx) => {
    await tx
      .update(eventDetails)
      .set({
        startsAt,
        endsAt,
        timezone,
        location: changes.location?.trim() ?? details.location,
        onlineUrl: changes.onlineUrl !== undefined ? changes.onlineUrl : details.onlineUrl,
        ...webinarOf(changes.webinar, details),
      })
      .where(eq(eventDetails.postId, id));
    await tx.update(posts).set({ updatedAt: new Date() }).where(eq(posts.id, id));
  });
  return viewEvent(deps, id, viewer);
}

/** Says whether the viewer goes; saying it again changes nothing. Active members only. */
export async function setRsvp(
  deps: Deps,
  id: string,
  viewer: Account,
  status: RsvpStatus,
): Promise<{ going: number; viewerRsvp: RsvpStatus }> {
  const { post, community, relation } = await viewEvent(deps, id, viewer);
  if (post.deletedAt) throw new DomainError("post_deleted");
  assertMayWrite(community, relation);
  const now = new Date();
  await deps.db
    .insert(rsvps)
    .values({ postId: id, accountId: viewer.id, status, updatedAt: now })
    .onConflictDoUpdate({
      target: [rsvps.postId, rsvps.accountId],
      set: { status, updatedAt: now },
      setWhere: sql`${rsvps.status} <> ${status}`,
    });
  const going = await deps.db.$count(rsvps, and(eq(rsvps.postId, id), eq(rsvps.status, "going")));
  return { going, viewerRsvp: status };
}

/** A feed covers the past year and the next five: enough to plan, bounded in size. */
const feedPast = 366 * day;
const feedFuture = 5 * 366 * day;
const feedLimit = 1000;

function feedWindow(now: Date): SQL | undefined {
  return and(
    isNull(posts.deletedAt),
    gte(eventDetails.endsAt, new Date(now.getTime() - feedPast)),
    lt(eventDetails.startsAt, new Date(now.getTime() + feedFuture)),
  );
}

/** The community's calendar, for whoever may read its events, its links named in `locale`. */
export async function communityCalendar(
  deps: Deps,
  ref: string,
  viewer: Account | null,
  locale: Locale,
): Promise<string> {
  const { community, relation } = await viewCommunity(deps, ref, viewer);
  assertMayRead(community, relation, viewer);
  const rows = await deps.db
    .select({ post: postColumns, details: eventDetails })
    .from(posts)
    .innerJoin(eventDetails, eq(eventDetails.postId, posts.id))
    .where(and(eq(posts.communityId, community.id), feedWindow(new Date())))
    .orderBy(desc(eventDetails.startsAt))
    .limit(feedLimit);
  return renderCalendar(
    deps,
    translator(locale, "pages"),
    community.name,
    rows.map((row) => ({ ...row, community })),
  );
}

/** One event as a calendar file, for whoever may read it; a deleted one is not there. */
export async function eventCalendar(
  deps: Deps,
  id: string,
  viewer: Account | null,
  locale: Locale,
): Promise<string> {
  const { post, details, community } = await viewEvent(deps, id, viewer);
  if (post.deletedAt) throw new DomainError("post_not_found");
  return renderCalendar(deps, translator(locale, "pages"), post.title, [
    { post, details, community },
  ]);
}

/** A link to the account's own calendar that works without signing in, for calendar apps. */
export async function calendarFeedUrl(deps: Deps, account: Account): Promise<string> {
  const token = await signToken(
    deps.config.secretKey,
    "calendar",
    { sub: account.id },
    new Date(Date.now() + 365 * day),
  );
  return new URL(`/api/v1/calendar/${token}.ics`, deps.config.publicUrl).href;
}

/**
 * The events of every community the token's account is an active member of; calendar apps
 * send no language, so the account's names the links.
 */
export async function accountCalendar(deps: Deps, token: string): Promise<string> {
  const verified = await verifyToken(deps.config.secretKey, "calendar", token);
  if (verified.status !== "valid") throw new DomainError("not_found");
  const [account] = await deps.db
    .select()
    .from(accounts)
    .where(and(eq(accounts.id, verified.sub), eq(accounts.state, "active")));
  if (!account) throw new DomainError("not_found");
  const rows = await deps.db
    .select({ post: postColumns, details: eventDetails, community: { name: communities.name } })
    .from(posts)
    .innerJoin(eventDetails, eq(eventDetails.postId, posts.id))
    .innerJoin(communities, eq(communities.id, posts.communityId))
    .innerJoin(
      memberships,
      and(
        eq(memberships.communityId, posts.communityId),
        eq(memberships.accountId, account.id),
        isActiveMembership,
      ),
    )
    .where(feedWindow(new Date()))
    .orderBy(desc(eventDetails.startsAt))
    .limit(feedLimit);
  const locale = isLocale(account.locale) ? account.locale : "en";
  return renderCalendar(
    deps,
    translator(locale, "pages"),
    `Praxis: ${account.displayName || account.username}`,
    rows,
  );
}
