// An hourly hire's clock in the apps: it runs from the pickup (the server's timeline.in_progress) for the hours
// booked; past the end it counts overtime. Pure, so the unit tests read it without a browser.
import type { DocumentData } from "firebase/firestore";

/** When the booked hours end (ms), once the hire has started; undefined before. */
export function hireEndsAtMs(b: DocumentData): number | undefined {
  const started = b.timeline?.in_progress?.toMillis?.() as number | undefined;
  return started !== undefined && typeof b.hours === "number" ? started + b.hours * 3_600_000 : undefined;
}

/** "1 h 05 min left", "12 min overtime" or "2 h booked" (before the pickup). */
export function hireClock(b: DocumentData, nowMs: number): string {
  const endsAt = hireEndsAtMs(b);
  if (endsAt === undefined) return `${b.hours ?? "?"} h booked`;
  const minutes = Math.round(Math.abs(endsAt - nowMs) / 60_000);
  const text = minutes >= 60 ? `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min` : `${minutes} min`;
  return endsAt >= nowMs ? `${text} left` : `${text} overtime`;
}
