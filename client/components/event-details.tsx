import { Fragment } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { CalendarEvent } from "../api.ts";
import { useShell } from "../context.ts";
import { formatEventSpan, formatNumber, timeZoneName } from "../format.ts";
import { ErrorMessage } from "./error.tsx";
import { useAction } from "./use-action.ts";

/**
 * The reader's zone, once the page runs in their browser. The server cannot know it, and the
 * first render in the browser must draw what the server drew, so it comes one render later.
 */
export function useReaderZone(): string | undefined {
  const { timeZone } = useShell();
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated ? timeZone : undefined;
}

/** An event's start and end in one zone, with the zone named in the reader's language. */
function TimeIn({
  event,
  zone,
  label,
}: {
  event: Pick<CalendarEvent, "startsAt" | "endsAt">;
  zone: string;
  label: string;
}) {
  const { locale } = useShell();
  return (
    <p class="event-time">
      <strong>{label}</strong>{" "}
      <time dateTime={event.startsAt}>
        {formatEventSpan(locale, event.startsAt, event.endsAt, zone)}
      </time>{" "}
      <span class="meta">
        {timeZoneName(locale, zone, event.startsAt)} (<bdi dir="ltr">{zone}</bdi>)
      </span>
    </p>
  );
}

/** The reader's own time first when it is elsewhere, and always the event's, each labelled. */
export function EventTimes({
  event,
}: {
  event: Pick<CalendarEvent, "startsAt" | "endsAt" | "timezone">;
}) {
  const { t } = useShell();
  const readerZone = useReaderZone();
  return (
    <>
      {readerZone && readerZone !== event.timezone ? (
        <TimeIn event={event} zone={readerZone} label={t("event.yourTime")} />
      ) : null}
      <TimeIn event={event} zone={event.timezone} label={t("event.eventTime")} />
    </>
  );
}

function Link({ href }: { href: string }) {
  // Links are http(s) only, checked by the server; `dir` keeps a URL readable in Arabic.
  return (
    <a href={href} rel="noopener noreferrer nofollow" dir="ltr">
      {href}
    </a>
  );
}

/** Going or not, for signed-in readers; the server says whether they may (members only). */
function Rsvp({ event }: { event: CalendarEvent }) {
  const { t, api, refresh, me, locale } = useShell();
  const { busy, error, run } = useAction();
  const going = t("event.goingCount", {
    count: event.going,
    formatted: formatNumber(locale, event.going),
  });
  if (!me) return <p class="meta">{going}</p>;
  const answer = (status: "going" | "not_going") =>
    void run(() => api.post(`/events/${event.id}/rsvp`, { status })).then(
      (done) => done && refresh(),
    );
  return (
    <div class="rsvp">
      <p class="meta" aria-live="polite">
        {going}
      </p>
      <p class="row">
        {(["going", "not_going"] as const).map((status) => (
          <button
            key={status}
            type="button"
            class={event.viewerRsvp === status ? undefined : "secondary"}
            aria-pressed={event.viewerRsvp === status}
            disabled={busy}
            onClick={() => answer(status)}
          >
            {t(`event.${status}`)}
          </button>
        ))}
      </p>
      <ErrorMessage message={error} />
    </div>
  );
}

/** What a reader needs to attend: when in their zone and the event's, where, links, RSVP. */
/** The event's own calendar file, named after it for screen readers. */
export function AddToCalendar({ event }: { event: Pick<CalendarEvent, "id" | "title"> }) {
  const { t } = useShell();
  return (
    <p>
      <a
        href={`/api/v1/events/${event.id}/event.ics`}
        aria-label={t("community.addToCalendarLabel", { title: event.title })}
      >
        {t("community.addToCalendar")}
      </a>
    </p>
  );
}

export function EventDetails({ event }: { event: CalendarEvent }) {
  const { t } = useShell();
  const links = [
    ["online", event.onlineUrl],
    ["recording", event.recordingUrl],
    ["slides", event.slidesUrl],
  ] as const;
  return (
    <section class="panel event-details" aria-label={t("event.details")}>
      <EventTimes event={event} />
      <dl>
        {event.location ? (
          <>
            <dt>{t("event.place")}</dt>
            <dd>
              <bdi>{event.location}</bdi>
            </dd>
          </>
        ) : null}
        {links.map(([name, href]) =>
          href ? (
            <Fragment key={name}>
              <dt>{t(`event.${name}`)}</dt>
              <dd>
                <Link href={href} />
              </dd>
            </Fragment>
          ) : null,
        )}
      </dl>
      <Rsvp event={event} />
      <AddToCalendar event={event} />
    </section>
  );
}
