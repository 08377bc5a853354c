import { DomainError } from "../errors.ts";

/* Time zones with nothing but Intl: checking names, reading wall clocks, finding offsets. */

export const minute = 60_000;
export const day = 86_400_000;
const supportedZones = new Set([...Intl.supportedValuesOf("timeZone"), "UTC"]);

/**
 * The zone to keep, or `unknown_time_zone`. IANA names Intl lists are taken, and so are the
 * aliases it resolves to one of them (its list still says Asia/Calcutta for Asia/Kolkata).
 */
export function checkTimeZone(name: string): string {
  if (supportedZones.has(name)) return name;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    throw new DomainError("unknown_time_zone", { timezone: name });
  }
  if (!supportedZones.has(resolved)) throw new DomainError("unknown_time_zone", { timezone: name });
  return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
}

export function isUtc(zone: string): boolean {
  return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone === "UTC";
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const clocks = new Map<string, Intl.DateTimeFormat>();

/** What a clock on the wall in `zone` shows at `instant`. */
export function wallClock(instant: number, zone: string): WallClock {
  let clock = clocks.get(zone);
  if (!clock) {
    clock = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    clocks.set(zone, clock);
  }
  const parts: Record<string, number> = {};
  for (const part of clock.formatToParts(instant)) parts[part.type] = Number(part.value);
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** Minutes `zone` is ahead of UTC at `instant`. */
export function offsetAt(instant: number, zone: string): number {
  const w = wallClock(instant, zone);
  const shown = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((shown - Math.floor(instant / 1000) * 1000) / minute);
}

/**
 * The instant a wall-clock time (given as if it were UTC) names in `zone`. Of two (the hour
 * repeated when clocks go back) the earlier; in the hour skipped when they go forward, the
 * time is moved on by the gap, as Temporal's "compatible" disambiguation does.
 */
function instantOfWallClock(wall: number, zone: string): number {
  const before = offsetAt(wall - day, zone);
  const after = offsetAt(wall + day, zone);
  const fitting = [...new Set([before, after])]
    .map((offset) => wall - offset * minute)
    .filter((instant) => offsetAt(instant, zone) * minute === wall - instant);
  return fitting.length > 0 ? Math.min(...fitting) : wall - before * minute;
}

/** ISO 8601 date and time, seconds optional, with `Z`, an offset, or nothing (local time). */
export const eventTimePattern =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** The UTC instant `text` names; a time without an offset is read in `zone`. */
export function parseEventTime(text: string, zone: string, field: string): Date {
  const invalid = () => new DomainError("invalid_input", {}, [{ field, problem: "invalid" }]);
  const match = eventTimePattern.exec(text);
  if (!match) throw invalid();
  const [, year, month, date, hour, minutes, seconds, fraction, offset] = match;
  const [y, mo, d, h, mi, s] = [year, month, date, hour, minutes, seconds].map((part) =>
    Number(part ?? 0),
  ) as [number, number, number, number, number, number];
  const ms = fraction ? Number(fraction.padEnd(3, "0").slice(0, 3)) : 0;
  if (h > 23 || mi > 59 || s > 59) throw invalid();
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    throw invalid();
  }
  if (!offset) return new Date(instantOfWallClock(wall, zone));
  if (offset.toUpperCase() === "Z") return new Date(wall);
  const digits = offset.slice(1).replace(":", "");
  const offsetHours = Number(digits.slice(0, 2));
  const offsetMinutes = Number(digits.slice(2) || "0");
  if (offsetHours > 23 || offsetMinutes > 59) throw invalid();
  const sign = offset.startsWith("-") ? -1 : 1;
  return new Date(wall - sign * (offsetHours * 60 + offsetMinutes) * minute);
}
