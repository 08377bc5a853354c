import type { Locale } from "./i18n.ts";

/**
 * A moment in the reader's language and time zone (UTC until the browser says), the zone named
 * in that language ("UTC", "غرينتش+1"…) so that a time drawn on the server says which it is.
 */
export function formatDateTime(locale: Locale, iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
    timeZone: timeZone ?? "UTC",
  }).format(new Date(iso));
}

export function formatNumber(locale: Locale, value: number): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** A file's size in kilobytes, the unit written as the reader's language writes it ("ko"…). */
export function formatKilobytes(locale: Locale, bytes: number): string {
  return new Intl.NumberFormat(locale, { style: "unit", unit: "kilobyte" }).format(
    Math.ceil(bytes / 1024),
  );
}

/** A language's own name for a post's language code, e.g. "français". */
export function languageName(locale: Locale, code: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** An event's start and end as one range ("10 – 11:30 AM"), in `timeZone`. */
export function formatEventSpan(
  locale: Locale,
  startIso: string,
  endIso: string,
  timeZone: string,
): string {
  return new Intl.DateTimeFormat(locale, {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZone,
  }).formatRange(new Date(startIso), new Date(endIso));
}

/**
 * A zone's name in the reader's language at an instant ("heure normale de Colombie"); asked
 * apart from the range, which ICU would label only with an offset.
 */
export function timeZoneName(locale: Locale, timeZone: string, iso: string): string {
  return (
    new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "long" })
      .formatToParts(new Date(iso))
      .find((part) => part.type === "timeZoneName")?.value ?? timeZone
  );
}

/** The wall-clock time of an instant in `timeZone`, as a `datetime-local` input takes it. */
export function localInputValue(iso: string, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZone,
    })
      .formatToParts(new Date(iso))
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}
