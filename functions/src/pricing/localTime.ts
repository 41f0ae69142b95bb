// Weekday and hour of an instant in a time zone (pure: Intl only). Pricing windows and the offline speed
// model are expressed in the business time zone, so that "7–10 on weekdays" follows Lisbon's clock and DST.
const formatters = new Map<string, Intl.DateTimeFormat>();
/** Every UTC offset in use is a multiple of 15 minutes, so weekday and hour are constant within such a slot. */
const SLOT_MS = 15 * 60_000;
const slots = new Map<string, { weekday: number; hour: number }>();
const MAX_CACHED_SLOTS = 4096;

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

export const DEFAULT_TIME_ZONE = "Europe/Lisbon";

/** weekday 0 = Sunday … 6 = Saturday (as Date#getDay) and hour 0–23 of `at` in `timeZone`. */
export function localTime(at: Date, timeZone: string = DEFAULT_TIME_ZONE): { weekday: number; hour: number } {
  const slot = Math.floor(at.getTime() / SLOT_MS);
  const key = `${timeZone}|${slot}`;
  const cached = slots.get(key);
  if (cached) return cached;
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "2-digit", hourCycle: "h23" });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  const result = { weekday: WEEKDAYS[parts.weekday ?? "Sun"] ?? 0, hour: Number(parts.hour) % 24 };
  if (slots.size >= MAX_CACHED_SLOTS) slots.clear();
  slots.set(key, result);
  return result;
}
