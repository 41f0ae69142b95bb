// Derived figures of driverStats/{uid}, recomputed from its counters whenever they change.
// No Firebase imports: unit-tested directly.
import type { Figures } from "./contribution";

const ratio = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

export function driverRates(counters: Figures) {
  const get = (path: string) => counters[path] ?? 0;
  const ratingCount = get("ratings.count");
  return {
    acceptanceRate: ratio(get("offers.accepted"), get("offers.received")),
    onTimeArrivalRate: ratio(get("arrivals.onTime"), get("arrivals.total")),
    rating: { avg: ratingCount > 0 ? Math.round((get("ratings.starsTotal") / ratingCount) * 100) / 100 : null, count: ratingCount },
  };
}

/** A running average from {avg, count} plus one new value, exact for integer star ratings. */
export function addToAverage(current: { avg?: unknown; count?: unknown } | undefined, stars: number): { avg: number; count: number } {
  const count = typeof current?.count === "number" ? current.count : 0;
  const avg = typeof current?.avg === "number" ? current.avg : 0;
  const total = Math.round(avg * count) + stars;
  // Not rounded: the next update recovers the exact total from avg × count.
  return { avg: total / (count + 1), count: count + 1 };
}

const ONLINE_STATUSES = new Set(["available", "busy"]);
export const isOnline = (status: unknown): boolean => typeof status === "string" && ONLINE_STATUSES.has(status);

/**
 * Online time from drivers/{uid}.status changes: going online opens a session (`onlineSince`), going offline
 * closes it and returns its length. Pure so the edge cases (double open, close without open) are unit-tested.
 */
export function onlineTransition(
  onlineSinceMs: number | null,
  wasOnline: boolean,
  nowOnline: boolean,
  atMs: number,
): { onlineSinceMs: number | null; closedSeconds: number } {
  if (!wasOnline && nowOnline) return { onlineSinceMs: onlineSinceMs ?? atMs, closedSeconds: 0 };
  if (wasOnline && !nowOnline) {
    const seconds = onlineSinceMs !== null && atMs > onlineSinceMs ? Math.round((atMs - onlineSinceMs) / 1000) : 0;
    return { onlineSinceMs: null, closedSeconds: seconds };
  }
  return { onlineSinceMs, closedSeconds: 0 };
}
