import type { TFunction } from "i18next";
import ical, {
  escape as escapeIcalText,
  type ICalDayJsStub,
  type ICalEventData,
} from "ical-generator";
import type { Community } from "../../db/schema/communities.ts";
import type { EventDetails } from "../../db/schema/events.ts";
import type { Post } from "../../db/schema/posts.ts";
import type { Deps } from "../deps.ts";
import { postUrl } from "./notifications.ts";
import { day, isUtc, minute, offsetAt, wallClock } from "./time-zones.ts";

export interface FeedEvent {
  post: Post;
  details: EventDetails;
  community: Pick<Community, "name">;
}

/**
 * A time for ical-generator to write in `zone`. It takes Day.js-like objects and, for a
 * zone, writes what their `format` shows; a native Date would be written in the server's zone.
 */
function inZone(instant: Date, zone: string): ICalDayJsStub {
  const w = wallClock(instant.getTime(), zone);
  const pad = (value: number, width = 2) => String(value).padStart(width, "0");
  const tokens: Record<string, string> = {
    YYYY: pad(w.year, 4),
    MM: pad(w.month),
    DD: pad(w.day),
    HH: pad(w.hour),
    mm: pad(w.minute),
    ss: pad(w.second),
  };
  const stub: ICalDayJsStub = {
    format: (pattern = "YYYY-MM-DDTHH:mm:ss") =>
      pattern.replace(/YYYY|MM|DD|HH|mm|ss/g, (token) => tokens[token] ?? token),
    isValid: () => true,
    toDate: () => instant,
    toJSON: () => instant.toISOString(),
    tz: () => stub,
  };
  return stub;
}

/**
 * Text as RFC 5545 allows it (3.3.11: no control character but tab). Characters that some
 * readers take for line ends (Python's `splitlines` takes VT, FF, FS–RS, NEL, LS, PS) become
 * newlines, which ical-generator writes as the two characters `\n`; any other control is dropped.
 */
function calendarText(text: string): string {
  return (
    text
      .replace(/\r\n?/g, "\n")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: controls are what is replaced
      .replace(/[\v\f\u001c-\u001e\u0085\u2028\u2029]/g, "\n")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: controls are what is removed
      .replace(/[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g, "")
  );
}

function icsDateTime(instant: number): string {
  return new Date(instant).toISOString().replace(/[-:]/g, "").slice(0, 15);
}

function icsOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const magnitude = Math.abs(minutes);
  return `${sign}${String(Math.floor(magnitude / 60)).padStart(2, "0")}${String(magnitude % 60).padStart(2, "0")}`;
}

interface Transition {
  at: number;
  from: number;
  to: number;
}

const transitionsByYear = new Map<string, Transition[]>();

/** When `zone`'s offset changed during `year`: found day by day, then to the minute. */
function transitionsIn(zone: string, year: number): Transition[] {
  const key = `${zone} ${year}`;
  const known = transitionsByYear.get(key);
  if (known) return known;
  const found: Transition[] = [];
  const end = Date.UTC(year + 1, 0, 1);
  let previous = offsetAt(Date.UTC(year, 0, 1), zone);
  for (let start = Date.UTC(year, 0, 1); start < end; start += day) {
    const next = offsetAt(start + day, zone);
    if (next === previous) continue;
    let [low, high] = [start, start + day];
    while (high - low > minute) {
      const middle = low + Math.floor((high - low) / 2 / minute) * minute;
      if (offsetAt(middle, zone) === previous) low = middle;
      else high = middle;
    }
    found.push({ at: high, from: previous, to: next });
    previous = next;
  }
  transitionsByYear.set(key, found);
  return found;
}

/** RFC 5545 wants a VTIMEZONE for each TZID: observances dated for the years the feed spans. */
function vtimezone(zone: string, years: { first: number; last: number }): string {
  const standardOffset = (year: number) =>
    Math.min(offsetAt(Date.UTC(year, 0, 1), zone), offsetAt(Date.UTC(year, 6, 1), zone));
  const observance = (at: number, from: number, to: number) => {
    const kind = to > standardOffset(new Date(at).getUTCFullYear()) ? "DAYLIGHT" : "STANDARD";
    return [
      `BEGIN:${kind}`,
      `DTSTART:${icsDateTime(at + from * minute)}`,
      `TZOFFSETFROM:${icsOffset(from)}`,
      `TZOFFSETTO:${icsOffset(to)}`,
      `END:${kind}`,
    ];
  };
  const start = Date.UTC(years.first, 0, 1);
  const initial = offsetAt(start, zone);
  const lines = ["BEGIN:VTIMEZONE", `TZID:${zone}`, ...observance(start, initial, initial)];
  for (let year = years.first; year <= years.last; year++) {
    for (const { at, from, to } of transitionsIn(zone, year))
      lines.push(...observance(at, from, to));
  }
  lines.push("END:VTIMEZONE");
  return lines.join("\r\n");
}

/**
 * The event's text, then its links, each named, on lines of their own: calendar apps show
 * DESCRIPTION but few show ATTACH, and LOCATION holds the place when there is one.
 */
function descriptionOf(t: TFunction, post: Post, details: EventDetails): string {
  const links = [
    [t("calendar.online"), details.onlineUrl],
    [t("calendar.recording"), details.recordingUrl],
    [t("calendar.slides"), details.slidesUrl],
  ]
    .filter(([, link]) => link)
    .map(([label, link]) => t("calendar.link", { label, link }));
  return [post.source, links.join("\n")].filter(Boolean).join("\n\n");
}

/** `t` names the links in the reader's language (the `pages` namespace). */
export function renderCalendar(deps: Deps, t: TFunction, name: string, items: FeedEvent[]): string {
  const years = new Map<string, { first: number; last: number }>();
  const events: ICalEventData[] = items.map(({ post, details, community }) => {
    const zone = isUtc(details.timezone) ? null : details.timezone;
    if (zone) {
      const span = years.get(zone) ?? { first: Number.MAX_SAFE_INTEGER, last: 0 };
      span.first = Math.min(span.first, details.startsAt.getUTCFullYear());
      span.last = Math.max(span.last, details.endsAt.getUTCFullYear());
      years.set(zone, span);
    }
    const uri = postUrl(deps, post.id);
    return {
      id: uri,
      summary: calendarText(post.title),
      description: calendarText(descriptionOf(t, post, details)),
      location: calendarText(details.location || details.onlineUrl || "") || null,
      url: uri,
      start: zone ? inZone(details.startsAt, zone) : details.startsAt,
      end: zone ? inZone(details.endsAt, zone) : details.endsAt,
      timezone: zone,
      created: post.createdAt,
      lastModified: post.updatedAt,
      categories: [{ name: calendarText(community.name) }],
      // Links stored before the API normalised them may hold controls: cleaned as text is.
      attachments: [details.recordingUrl, details.slidesUrl]
        .filter((link): link is string => link !== null)
        .map(calendarText),
    };
  });
  const calendar = ical({
    // ical-generator escapes an event's text but writes the calendar's NAME and X-WR-CALNAME
    // as given (ical-generator src/calendar.ts, toString): a title there could add lines.
    name: escapeIcalText(calendarText(name), false),
    prodId: { company: "Praxis", product: "Praxis", language: "EN" },
    ttl: 3600,
    timezone: {
      name: null,
      generator: (zone) => {
        const span = years.get(zone);
        // Events overlap the feed's window; an absurdly long one is cut at its edges.
        const now = new Date().getUTCFullYear();
        if (!span) return null;
        return vtimezone(zone, {
          first: Math.max(span.first, now - 2),
          last: Math.min(span.last, now + 6),
        });
      },
    },
    events,
  });
  return calendar.toString();
}
