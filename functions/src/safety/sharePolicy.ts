// Trip shares and SOS, the pure part (no Firebase imports): what a shared link shows, who may share or raise an
// alarm, and when. Unit-tested in test/unit/safety.test.ts.
import { randomBytes } from "node:crypto";
import { estimatePickupSeconds } from "../tracking/policy";
import type { TripShareView } from "./schema";

/** A rider may share a trip that has not ended (docs/safety.md). */
export const SHAREABLE_STATUSES: ReadonlySet<string> = new Set(["requested", "awaiting_payment", "scheduled", "searching", "accepted", "arrived", "in_progress"]);
/** The driver's position is shown (and refreshed by the share task) only while a driver has the trip. */
export const LIVE_STATUSES: ReadonlySet<string> = new Set(["accepted", "arrived", "in_progress"]);
/** SOS is for the trip itself: from the assignment to the end. */
export const SOS_STATUSES = LIVE_STATUSES;
/** At most this many links in force per trip (each costs a write per refresh). */
export const MAX_ACTIVE_SHARES = 5;
/** The contact sees the trip from this far away at most: older positions are not shown. */
export const MAX_POSITION_AGE_MS = 10 * 60_000;

/** 256 random bits, base64url: unguessable, and a valid document id. */
export function newShareToken(): string {
  return randomBytes(32).toString("base64url");
}

export function firstName(displayName: unknown): string {
  return typeof displayName === "string" ? (displayName.trim().split(/\s+/)[0] ?? "").slice(0, 40) : "";
}

interface LatLng {
  lat: number;
  lng: number;
}
export interface ShareBooking {
  status: string;
  pickup?: LatLng;
  dropoff?: LatLng;
  eta?: { pickupSeconds?: number } | null;
  driverSummary?: { displayName?: unknown; vehicle?: { make?: unknown; model?: unknown; color?: unknown; plate?: unknown } | null } | null;
}
export interface ShareLocation {
  lat?: number;
  lng?: number;
  heading?: number;
  updatedAtMs?: number;
}

const text = (value: unknown, max = 40): string => (typeof value === "string" ? value.trim().slice(0, max) : "");

/**
 * The public document of a share: only what the contact needs. Before a driver is assigned it says `waiting`;
 * the position is the driver's last one (absent when older than MAX_POSITION_AGE_MS); the ETA is to the pickup
 * (the booking's own, refreshed by tracking) while the driver is on the way, to the drop-off during the trip.
 */
export function shareView(booking: ShareBooking, location: ShareLocation | undefined, nowMs: number): TripShareView {
  const live = LIVE_STATUSES.has(booking.status);
  const summary = live ? booking.driverSummary : undefined;
  const v = summary?.vehicle;
  const driver = summary
    ? { firstName: firstName(summary.displayName), vehicle: [text(v?.color), text(v?.make), text(v?.model)].filter(Boolean).join(" "), plate: text(v?.plate, 16) }
    : null;
  const fresh = location?.lat !== undefined && location.lng !== undefined && (location.updatedAtMs === undefined || nowMs - location.updatedAtMs <= MAX_POSITION_AGE_MS);
  const position = live && fresh
    ? { lat: location!.lat!, lng: location!.lng!, heading: typeof location!.heading === "number" ? location!.heading : null, atMs: location!.updatedAtMs ?? null }
    : null;
  let etaSeconds: number | null = null;
  let etaTo: TripShareView["etaTo"] = null;
  if (booking.status === "accepted" && typeof booking.eta?.pickupSeconds === "number") {
    etaSeconds = Math.max(0, Math.round(booking.eta.pickupSeconds));
    etaTo = "pickup";
  } else if (booking.status === "arrived") {
    etaSeconds = 0;
    etaTo = "pickup";
  } else if (booking.status === "in_progress" && position && booking.dropoff) {
    etaSeconds = estimatePickupSeconds(position, booking.dropoff);
    etaTo = "dropoff";
  }
  return { status: live ? (booking.status as TripShareView["status"]) : "waiting", driver, position, etaSeconds, etaTo };
}

/** Incident ids: one per booking and raiser, so a second press finds the first alarm. */
export function incidentId(bookingId: string, raiserUid: string): string {
  return `${bookingId}_${raiserUid}`;
}
