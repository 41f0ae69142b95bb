// THE one place where completeDeliveryStop decides what a route stop needs (pure: the callable reads the booking
// and its claim inside its transaction and passes them here).
// - An imported order (no booking) needs nothing: the driver's "done" is its outcome, `delivered`.
// - A booking-linked stop is a delivery like any other. At "arrived" the van is at the drop-off with the parcel:
//   the booking must still be `scheduled`, cash, and claimed by this plan for this order (arrivalIssue); the
//   callable then moves it to `in_progress`, assigned to the route's driver. The proof of delivery (photo, code,
//   recipient's name) is given on the booking, where the rules refuse a completion without the proof its parcel
//   class requires. "done" needs that booking `completed` (outcome `delivered`) or `delivery_failed` (`failed`),
//   by this route's driver for this stop (stopOutcome).
import { missingProof, type ProofRequirements, type StoredProof } from "../bookings/deliveryProofPolicy";
import { COMPLETION_RADIUS_METERS, POSITION_MAX_AGE_SECONDS } from "../bookings/policy";
import { haversineMeters } from "../tracking/path";
import { PLANNABLE_BOOKING_STATUSES, PLANNABLE_PAYMENT_METHODS } from "./bookingOrders";
import type { RouteStop, StopOutcome } from "./schema";

export interface StopBooking extends StoredProof {
  status?: unknown;
  dropoff?: { lat: number; lng: number };
  serviceType?: unknown;
  paymentMethod?: unknown;
  driverId?: unknown;
  plannedBy?: { planId?: unknown; orderId?: unknown } | null;
  proofRequired?: Partial<ProofRequirements> | null;
}

export interface StopContext {
  planId: string;
  orderId: string;
  driverId: string;
}

/** A refusal: the callable throws it as `failed-precondition` with these details, and writes nothing. */
export interface StopProblem {
  message: string;
  details: Record<string, unknown>;
}

/** Why the route's driver cannot take the stop's booking into the delivery on arrival, or null. */
export function arrivalIssue(bookingId: string, booking: StopBooking | undefined, claim: { planId?: unknown; orderId?: unknown } | undefined, ctx: StopContext): StopProblem | null {
  const refuse = (reason: string, message: string): StopProblem => ({ message, details: { bookingId, reason, status: booking?.status ?? null } });
  if (!booking) return refuse("booking-missing", "The delivery booking of this stop no longer exists: ask the dispatcher to re-plan");
  if (typeof booking.status !== "string" || !PLANNABLE_BOOKING_STATUSES.includes(booking.status)) {
    return refuse("booking-status", "The delivery booking of this stop was cancelled or moved on: ask the dispatcher to re-plan");
  }
  if (booking.serviceType !== "delivery") return refuse("booking-not-delivery", "This stop's booking is not a delivery");
  if (typeof booking.paymentMethod !== "string" || !PLANNABLE_PAYMENT_METHODS.includes(booking.paymentMethod)) {
    return refuse("booking-payment", "Only cash deliveries are delivered from a plan");
  }
  if (claim?.planId !== ctx.planId || claim?.orderId !== ctx.orderId) return refuse("booking-in-other-plan", "This booking is not held by this plan for this stop: ask the dispatcher to re-plan");
  return null;
}

/**
 * The van's driver must be at the booking's drop-off to take it (the geofence the rules apply to a completion:
 * their own fresh driverLocations position within COMPLETION_RADIUS_METERS), so an early "arrived" cannot start a
 * customer's delivery (and text the recipient their code) from the depot.
 */
export function positionIssue(bookingId: string, dropoff: { lat: number; lng: number } | undefined, position: { lat?: unknown; lng?: unknown; updatedAtMs?: number } | undefined, nowMs: number): StopProblem | null {
  const refuse = (reason: string, message: string): StopProblem => ({ message, details: { bookingId, reason } });
  if (!dropoff) return refuse("booking-missing", "This stop's booking has no drop-off");
  const { lat, lng, updatedAtMs } = position ?? {};
  if (typeof lat !== "number" || typeof lng !== "number" || updatedAtMs === undefined || nowMs - updatedAtMs > POSITION_MAX_AGE_SECONDS * 1000) {
    return refuse("position-unknown", "Your position is not known: report it from the drop-off");
  }
  if (haversineMeters({ lat, lng }, dropoff) > COMPLETION_RADIUS_METERS) return refuse("not-at-dropoff", "You are not at this stop's drop-off yet");
  return null;
}

/** The outcome of finishing `stop`, or why it cannot be finished yet. */
export function stopOutcome(stop: RouteStop, booking: StopBooking | undefined, ctx: StopContext): { outcome: StopOutcome } | { problem: StopProblem } {
  if (!stop.bookingId) return { outcome: "delivered" };
  const details = { bookingId: stop.bookingId, status: booking?.status ?? null };
  const ours = booking?.plannedBy?.planId === ctx.planId && booking?.plannedBy?.orderId === ctx.orderId && booking?.driverId === ctx.driverId;
  if (!booking || !ours) {
    const message = booking?.status === "scheduled" ? "Arrive at the stop first: the delivery starts on arrival" : "This stop's booking is not a delivery of yours: ask the dispatcher to re-plan";
    return { problem: { message, details } };
  }
  if (booking.status === "completed") return { outcome: "delivered" };
  if (booking.status === "delivery_failed") return { outcome: "failed" };
  const missing = missingProof(booking.proofRequired, booking);
  return { problem: { message: "Complete the delivery first (with the proof it requires), or mark it failed", details: { ...details, missing } } };
}
