// Business days and ages, pure (no Firebase): analytics days are dates in Europe/Lisbon (functions/src/analytics/day.ts).
export const BUSINESS_TIME_ZONE = "Europe/Lisbon";

export interface TimestampLike {
  toMillis(): number;
}

const dayFormat = new Intl.DateTimeFormat("en-CA", { timeZone: BUSINESS_TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" });
const hourFormat = new Intl.DateTimeFormat("en-GB", { timeZone: BUSINESS_TIME_ZONE, hour: "2-digit", hourCycle: "h23" });

/** YYYY-MM-DD of `ms` in the business time zone. */
export function businessDay(ms: number): string {
  return dayFormat.format(new Date(ms));
}

/** 0–23: the hour of the day of `ms` in the business time zone. */
export function businessHour(ms: number): number {
  return Number(hourFormat.format(new Date(ms))) % 24;
}

/** `day` plus `n` days, YYYY-MM-DD (calendar arithmetic in UTC: no time zone can shift it). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to && days.length <= 366; day = addDays(day, 1)) days.push(day);
  return days;
}

/** "45 s", "12 min", "3 h 05", "2 d 4 h": how long ago, for the live board. */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}
