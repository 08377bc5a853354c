import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import {
  accountCalendar,
  calendarFeedUrl,
  communityCalendar,
  createEvent,
  eventCalendar,
  listEvents,
  setRsvp,
  updateEvent,
  viewEvent,
} from "../services/events.ts";
import { eventTimePattern } from "../services/time-zones.ts";
import { type AppEnv, createRouter } from "./router.ts";
import {
  Event,
  errorResponses,
  IdParam,
  jsonBody,
  jsonResponse,
  MarkdownText,
  PageQuery,
  pageOf,
  RefParam,
  RsvpStatus,
} from "./schemas.ts";
import { requireAccount, viewerOf } from "./session.ts";
import { eventJson } from "./shapes.ts";
import { readable, readableOne } from "./translations.ts";

const tags = ["Events"];

const EventTime = z.string().max(40).regex(eventTimePattern).openapi({
  example: "2026-12-03T14:00",
  description: "ISO 8601; without an offset, a local time in `timezone`",
});
const TimeZone = z
  .string()
  .min(1)
  .max(100)
  .openapi({ example: "Africa/Nairobi", description: "IANA time zone" });
// Kept as the URL parser writes it: controls and spaces percent-encoded, so no link can carry
// a line break into a calendar file, a page or an attachment.
const Link = z
  .url({ protocol: /^https?$/, normalize: true })
  .max(2000)
  .openapi({ description: "An http(s) URL, stored normalised" });
const Location = z.string().trim().max(500);
const WebinarLinks = z
  .object({ recordingUrl: Link.nullable(), slidesUrl: Link.nullable() })
  .partial()
  .strict();
const Webinar = z.union([z.boolean(), WebinarLinks]).openapi({
  description: "A webinar: `true`, or its recording and slides links (`null` removes one)",
});

const DateOrTime = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .transform((value) => new Date(value))
  .openapi({ type: "string", example: "2026-12-01" });

const create = createRoute({
  method: "post",
  path: "/communities/{ref}/events",
  tags,
  summary: "Publish an event (members); comments on it are a webinar's Q&A",
  request: {
    params: RefParam,
    body: jsonBody(
      z
        .object({
          title: z.string().trim().min(1).max(300),
          content: MarkdownText,
          language: z
            .string()
            .regex(/^[a-z]{2,3}$/)
            .optional(),
          startsAt: EventTime,
          endsAt: EventTime,
          timezone: TimeZone,
          location: Location.optional(),
          onlineUrl: Link.optional(),
          webinar: Webinar.optional(),
        })
        .strict(),
    ),
  },
  responses: { 201: jsonResponse(Event, "Published"), ...errorResponses },
});

const list = createRoute({
  method: "get",
  path: "/communities/{ref}/events",
  tags,
  summary: "The community's events not over by `from` (default now), soonest first",
  request: {
    params: RefParam,
    query: z.object({
      from: DateOrTime.optional(),
      until: DateOrTime.optional().openapi({ description: "Only events starting before" }),
      ...PageQuery,
    }),
  },
  responses: { 200: jsonResponse(pageOf(Event), "A page of events"), ...errorResponses },
});

const calendarResponse = {
  200: {
    content: { "text/calendar": { schema: z.string() } },
    description: "An iCalendar feed (RFC 5545)",
  },
  ...errorResponses,
};

const communityFeed = createRoute({
  method: "get",
  path: "/communities/{ref}/events.ics",
  tags,
  summary: "The community's calendar as an iCalendar feed, for whoever may read its events",
  request: { params: RefParam },
  responses: calendarResponse,
});

const oneCalendar = createRoute({
  method: "get",
  path: "/events/{id}/event.ics",
  tags,
  summary: "One event as an iCalendar file, to add it to a calendar app",
  request: { params: IdParam },
  responses: calendarResponse,
});

const one = createRoute({
  method: "get",
  path: "/events/{id}",
  tags,
  summary: "One event, with its times, place, webinar links and RSVPs",
  request: { params: IdParam },
  responses: { 200: jsonResponse(Event, "The event"), ...errorResponses },
});

const update = createRoute({
  method: "patch",
  path: "/events/{id}",
  tags,
  summary:
    "Change an event's time, place or webinar links (its author or moderators); its title and text through PATCH /posts/{id}",
  request: {
    params: IdParam,
    body: jsonBody(
      z
        .object({
          startsAt: EventTime,
          endsAt: EventTime,
          timezone: TimeZone,
          location: Location,
          onlineUrl: Link.nullable(),
          webinar: Webinar,
        })
        .partial()
        .strict(),
    ),
  },
  responses: { 200: jsonResponse(Event, "The updated event"), ...errorResponses },
});

const rsvp = createRoute({
  method: "post",
  path: "/events/{id}/rsvp",
  tags,
  summary: "Say whether you go (active members); saying it twice counts once",
  request: {
    params: IdParam,
    body: jsonBody(z.object({ status: RsvpStatus }).strict()),
  },
  responses: {
    200: jsonResponse(
      z.object({ going: z.number().int(), viewerRsvp: RsvpStatus }),
      "The RSVP count",
    ),
    ...errorResponses,
  },
});

const feedLink = createRoute({
  method: "get",
  path: "/me/calendar",
  tags,
  summary: "A private link to your communities' events, for calendar apps; keep it secret",
  responses: {
    200: jsonResponse(z.object({ url: z.string() }), "The feed's address"),
    ...errorResponses,
  },
});

const accountFeed = createRoute({
  method: "get",
  path: "/calendar/{feed}",
  tags,
  summary: "Your communities' events as an iCalendar feed: `{token}.ics` from GET /me/calendar",
  request: {
    params: z.object({
      feed: z
        .string()
        .max(2000)
        .regex(/^[\w-]+\.[\w-]+\.[\w-]+\.ics$/)
        .openapi({ param: { name: "feed", in: "path" } }),
    }),
  },
  responses: calendarResponse,
});

function calendar(c: Context<AppEnv>, text: string) {
  return c.body(text, 200, {
    "Content-Type": "text/calendar; charset=utf-8",
    "Cache-Control": "private, max-age=300",
  });
}

export const eventsApi = createRouter()
  .openapi(create, async (c) => {
    const deps = c.get("deps");
    const view = await createEvent(
      deps,
      c.req.valid("param").ref,
      requireAccount(c),
      c.req.valid("json"),
    );
    return c.json(eventJson(deps, view, viewerOf(c)), 201);
  })
  .openapi(list, async (c) => {
    const deps = c.get("deps");
    const page = await listEvents(
      deps,
      c.req.valid("param").ref,
      viewerOf(c),
      c.req.valid("query"),
    );
    const items = await readable(c, page.items);
    return c.json(
      { items: items.map((view) => eventJson(deps, view, viewerOf(c))), next: page.next },
      200,
    );
  })
  .openapi(communityFeed, async (c) =>
    calendar(
      c,
      await communityCalendar(
        c.get("deps"),
        c.req.valid("param").ref,
        viewerOf(c),
        c.get("locale"),
      ),
    ),
  )
  .openapi(oneCalendar, async (c) =>
    calendar(
      c,
      await eventCalendar(c.get("deps"), c.req.valid("param").id, viewerOf(c), c.get("locale")),
    ),
  )
  .openapi(one, async (c) => {
    const deps = c.get("deps");
    const view = await viewEvent(deps, c.req.valid("param").id, viewerOf(c));
    return c.json(eventJson(deps, await readableOne(c, view), viewerOf(c)), 200);
  })
  .openapi(update, async (c) => {
    const deps = c.get("deps");
    const view = await updateEvent(
      deps,
      c.req.valid("param").id,
      requireAccount(c),
      c.req.valid("json"),
    );
    return c.json(eventJson(deps, view, viewerOf(c)), 200);
  })
  .openapi(rsvp, async (c) =>
    c.json(
      await setRsvp(
        c.get("deps"),
        c.req.valid("param").id,
        requireAccount(c),
        c.req.valid("json").status,
      ),
      200,
    ),
  )
  .openapi(feedLink, async (c) =>
    c.json({ url: await calendarFeedUrl(c.get("deps"), requireAccount(c)) }, 200),
  )
  .openapi(accountFeed, async (c) =>
    calendar(
      c,
      await accountCalendar(c.get("deps"), c.req.valid("param").feed.replace(/\.ics$/, "")),
    ),
  );
