import type { Locale } from "./i18n.ts";

/** Dates and times in the reader's language and time zone (UTC until the browser says). */
export function formatDateTime(locale: Locale, iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "short",
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
