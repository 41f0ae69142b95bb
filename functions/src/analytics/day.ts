// Business days: a day is a calendar date in the business time zone (Europe/Lisbon), written "YYYY-MM-DD".
// No Firebase imports: unit-tested directly.

export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function wallClock(ms: number, timeZone: string): { day: string; utcOfWallClock: number } {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const [y, m, d, h, mi, s] = ["year", "month", "day", "hour", "minute", "second"].map((k) => Number(parts[k]));
  return {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    utcOfWallClock: Date.UTC(y!, m! - 1, d!, h!, mi!, s!),
  };
}

/** The business day of an instant. */
export function businessDay(ms: number, timeZone: string): string {
  return wallClock(ms, timeZone).day;
}

/** A real calendar date written YYYY-MM-DD (rejects 2026-02-30). */
export function isValidDay(day: string): boolean {
  if (!DAY_PATTERN.test(day)) return false;
  const [y, m, d] = day.split("-").map(Number);
  const date = new Date(Date.UTC(y!, m! - 1, d!));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m! - 1 && date.getUTCDate() === d;
}

function utcMidnight(day: string): number {
  const [y, m, d] = day.split("-").map(Number);
  return Date.UTC(y!, m! - 1, d!);
}

/** Start of a business day as a UTC instant (handles DST: the offset is taken at that instant). */
function startOf(day: string, timeZone: string): number {
  const midnight = utcMidnight(day);
  let guess = midnight;
  for (let i = 0; i < 3; i++) {
    const offset = wallClock(guess, timeZone).utcOfWallClock - guess;
    const next = midnight - offset;
    if (next === guess) break;
    guess = next;
  }
  return guess;
}

/** [start, end) of a business day in UTC milliseconds. */
export function dayBounds(day: string, timeZone: string): { startMs: number; endMs: number } {
  return { startMs: startOf(day, timeZone), endMs: startOf(addDays(day, 1), timeZone) };
}

export function addDays(day: string, n: number): string {
  return new Date(utcMidnight(day) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Number of days from `from` to `to` inclusive (1 for the same day). */
export function daysInRange(from: string, to: string): number {
  return Math.round((utcMidnight(to) - utcMidnight(from)) / DAY_MS) + 1;
}
