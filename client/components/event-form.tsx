import type { CalendarEvent } from "../api.ts";
import { useShell } from "../context.ts";
import { localInputValue } from "../format.ts";
import type { ToolProps } from "./community-tools.tsx";
import { ErrorMessage } from "./error.tsx";
import { fieldsOf, useAction, usePublish } from "./use-action.ts";

const zones = (): string[] =>
  typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : ["UTC"];

/** The links that make an event a webinar; left out when neither is given nor was. */
function webinarOf(fields: Record<string, string>, wasWebinar: boolean) {
  const recordingUrl = fields.recordingUrl || null;
  const slidesUrl = fields.slidesUrl || null;
  return recordingUrl || slidesUrl || wasWebinar ? { recordingUrl, slidesUrl } : undefined;
}

/**
 * When, where and which links: the same fields to publish an event and to change it. Times
 * are local to the chosen zone; the server reads them there, as they carry no offset.
 */
function EventFields({ event, prefix = "" }: { event?: CalendarEvent; prefix?: string }) {
  const { t, timeZone } = useShell();
  const zone = event?.timezone ?? timeZone ?? "UTC";
  const id = (name: string) => prefix + name;
  return (
    <>
      <label for={id("startsAt")}>{t("tools.startsAt")}</label>
      <input
        id={id("startsAt")}
        name="startsAt"
        type="datetime-local"
        required
        defaultValue={event ? localInputValue(event.startsAt, zone) : undefined}
      />
      <label for={id("endsAt")}>{t("tools.endsAt")}</label>
      <input
        id={id("endsAt")}
        name="endsAt"
        type="datetime-local"
        required
        defaultValue={event ? localInputValue(event.endsAt, zone) : undefined}
      />
      <label for={id("timezone")}>{t("tools.timezone")}</label>
      {/* A select drawn in the browser ignores defaultValue in Preact: mark the option. */}
      <select id={id("timezone")} name="timezone">
        {zones().map((each) => (
          <option key={each} value={each} selected={each === zone}>
            {each}
          </option>
        ))}
      </select>
      <label for={id("location")}>{t("tools.location")}</label>
      <input id={id("location")} name="location" defaultValue={event?.location} />
      <label for={id("onlineUrl")}>{t("tools.onlineUrl")}</label>
      <input
        id={id("onlineUrl")}
        name="onlineUrl"
        type="url"
        defaultValue={event?.onlineUrl ?? undefined}
      />
      <label for={id("recordingUrl")}>{t("event.recordingUrl")}</label>
      <input
        id={id("recordingUrl")}
        name="recordingUrl"
        type="url"
        defaultValue={event?.recordingUrl ?? undefined}
      />
      <label for={id("slidesUrl")}>{t("event.slidesUrl")}</label>
      <input
        id={id("slidesUrl")}
        name="slidesUrl"
        type="url"
        defaultValue={event?.slidesUrl ?? undefined}
      />
    </>
  );
}

/** A calendar entry: local date and time in a chosen zone, sent as instants plus the zone. */
export function EventForm({ community }: ToolProps) {
  const { t, api } = useShell();
  const { busy, error, publish } = usePublish();
  return (
    <form
      class="panel"
      onSubmit={(event) => {
        const form = event.currentTarget as HTMLFormElement;
        const f = fieldsOf(event);
        publish(form, () =>
          api.post(`/communities/${community.ref}/events`, {
            title: f.title,
            content: f.content,
            startsAt: f.startsAt,
            endsAt: f.endsAt,
            timezone: f.timezone,
            location: f.location || undefined,
            onlineUrl: f.onlineUrl || undefined,
            webinar: webinarOf(f, false),
          }),
        );
      }}
    >
      <h2>{t("tools.newEvent")}</h2>
      <label for="event-title">{t("compose.title")}</label>
      <input id="event-title" name="title" required />
      <label for="event-content">{t("compose.content")}</label>
      <textarea id="event-content" name="content" rows={3} required />
      <EventFields />
      <button type="submit" disabled={busy}>
        {t("compose.publish")}
      </button>
      <ErrorMessage message={error} />
    </form>
  );
}

/** Changing an event's time, place and links; its title and text change with the post's. */
export function EventEditForm({ event }: { event: CalendarEvent }) {
  const { t, api, refresh } = useShell();
  const { busy, error, run } = useAction();
  return (
    <details>
      <summary>{t("event.edit")}</summary>
      <form
        onSubmit={(submitted) => {
          const f = fieldsOf(submitted);
          void run(() =>
            api.patch(`/events/${event.id}`, {
              startsAt: f.startsAt,
              endsAt: f.endsAt,
              timezone: f.timezone,
              location: f.location ?? "",
              onlineUrl: f.onlineUrl || null,
              webinar: webinarOf(f, event.webinar),
            }),
          ).then((done) => done && refresh());
        }}
      >
        <EventFields event={event} prefix="edit-" />
        <button type="submit" disabled={busy}>
          {t("thread.save")}
        </button>
        <ErrorMessage message={error} />
      </form>
    </details>
  );
}
