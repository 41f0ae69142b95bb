// The live board's decisions, pure (no Firebase): which bookings are in flight, how long each has been in its
// status, and which need a human. The "stuck" deadlines are the server's recovery deadlines
// (functions/src/bookings/recovery.ts) plus a margin: past them the sweep should already have acted, so a
// booking still there means the automation did not help.
import type { TimestampLike } from "./time";

export const IN_FLIGHT = ["requested", "awaiting_payment", "scheduled", "searching", "accepted", "arrived", "in_progress"] as const;
/** Terminal statuses that still want someone to look: the rider was not served, or not charged. */
export const UNSERVED = ["no_drivers", "payment_failed"] as const;

/** Seconds in a status after which an in-flight booking is stuck. */
export const STUCK_AFTER_SECONDS: Record<(typeof IN_FLIGHT)[number], number> = {
  requested: 5 * 60,
  awaiting_payment: 35 * 60,
  scheduled: 10 * 60, // past scheduledAt
  searching: 12 * 60,
  accepted: 45 * 60,
  arrived: 30 * 60,
  in_progress: 4 * 3600,
};

export interface BoardBooking {
  id: string;
  status: string;
  riderId?: string;
  driverId?: string | null;
  categoryId?: string;
  serviceType?: string;
  paymentMethod?: string;
  pickup?: { lat: number; lng: number };
  createdAt?: TimestampLike | null;
  updatedAt?: TimestampLike | null;
  scheduledAt?: TimestampLike | null;
  timeline?: Record<string, TimestampLike | null | undefined> | null;
}

export type Attention = "stuck" | "no_drivers" | "payment_failed" | "incident";

/** When the booking entered its current status: its timeline entry, else its last update, else its creation. */
export function statusSince(b: BoardBooking): number | null {
  const at = b.timeline?.[b.status] ?? b.updatedAt ?? b.createdAt;
  return at ? at.toMillis() : null;
}

/** Seconds in the current status (0 when unknown: a pending local write has no server time yet). */
export function ageSeconds(b: BoardBooking, nowMs: number): number {
  const since = statusSince(b);
  return since === null ? 0 : Math.max(0, (nowMs - since) / 1000);
}

export function isInFlight(status: string): boolean {
  return (IN_FLIGHT as readonly string[]).includes(status);
}

/** Why a human should look at this booking, or null. */
export function attentionOf(b: BoardBooking, nowMs: number): Attention | null {
  if (b.status === "no_drivers" || b.status === "payment_failed") return b.status;
  if (!isInFlight(b.status)) return null;
  const limit = STUCK_AFTER_SECONDS[b.status as (typeof IN_FLIGHT)[number]];
  if (b.status === "scheduled") {
    const at = b.scheduledAt?.toMillis();
    return at !== undefined && (nowMs - at) / 1000 > limit ? "stuck" : null;
  }
  return ageSeconds(b, nowMs) > limit ? "stuck" : null;
}

/** In-flight bookings by status in IN_FLIGHT order, oldest first in each. */
export function groupByStatus(bookings: readonly BoardBooking[], nowMs: number): Array<{ status: string; bookings: BoardBooking[] }> {
  return IN_FLIGHT.map((status) => ({
    status,
    bookings: bookings.filter((b) => b.status === status).sort((a, b) => ageSeconds(b, nowMs) - ageSeconds(a, nowMs) || a.id.localeCompare(b.id)),
  }));
}

/** The bookings a human should look at, the oldest problem first. */
export function needsHuman(bookings: readonly BoardBooking[], nowMs: number): Array<{ booking: BoardBooking; why: Attention }> {
  return bookings
    .map((booking) => ({ booking, why: attentionOf(booking, nowMs) }))
    .filter((x): x is { booking: BoardBooking; why: Attention } => x.why !== null)
    .sort((a, b) => ageSeconds(b.booking, nowMs) - ageSeconds(a.booking, nowMs) || a.booking.id.localeCompare(b.booking.id));
}
