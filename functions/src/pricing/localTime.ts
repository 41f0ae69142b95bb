// Weekday and hour of an instant in a time zone (pure: Intl only). Pricing windows and the offline speed
// model are expressed in the business time zone, so that "7–10 on weekdays" follows Lisbon's clock and DST.
const formatters = new Map<string, Intl.DateTimeFormat>();

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

export const DEFAULT_TIME_ZONE = "Europe/Lisbon";

/** weekday 0 = Sunday … 6 = Saturday (as Date#getDay), hour 0–23, minute 0–59, in `timeZone`. */
export function localTime(at: Date, timeZone: string = DEFAULT_TIME_ZONE): { weekday: number; hour: number; minute: number } {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return { weekday: WEEKDAYS[parts.weekday ?? "Sun"] ?? 0, hour: Number(parts.hour) % 24, minute: Number(parts.minute) };
}
