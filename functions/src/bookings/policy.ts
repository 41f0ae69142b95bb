// Booking policy that is plain arithmetic: limits, reason codes, the cancellation-fee rule and the boarding
// PIN. No Firebase imports. firestore.rules repeats MAX_STOPS, the reason codes, the geofence radii, the position age
// and the PIN guess limits (test/unit/rulesConstants.test.ts checks the last three groups against the rules' text).
import { randomInt } from "node:crypto";
import type { BookingStatus } from "../common/schema";

export const MAX_STOPS = 5;
export const PAYMENT_METHODS = ["card", "cash"] as const;
export const PARCEL_SIZE_CLASSES = ["small", "medium", "large"] as const;

export const RIDER_CANCEL_REASONS = ["changed_plans", "wait_too_long", "wrong_address", "booked_by_mistake", "other"] as const;
export const DRIVER_CANCEL_REASONS = ["rider_no_show", "vehicle_problem", "unsafe_pickup", "other"] as const;
/**
 * Why the server cancels a new booking at confirmation: the quote does not match, the booking is malformed, its
 * category is not an active one offering its service type, the rider created too many bookings too fast, or a
 * point of the trip lies outside every service area of its service type.
 */
export const SERVER_CANCEL_REASONS = ["quote_mismatch", "invalid_booking", "invalid_category", "rate_limited", "outside_service_area"] as const;

/** The driver must be this close to the pickup to mark `arrived`, and to the drop-off to mark `completed`. */
export const ARRIVAL_RADIUS_METERS = 150;
export const COMPLETION_RADIUS_METERS = 250;
/** A driver position older than this does not count for the geofence checks. */
export const POSITION_MAX_AGE_SECONDS = 120;

import { DELIVERY_CODE_DIGITS } from "./deliveryProofPolicy";
export { PIN_LOCKOUT_MINUTES, PIN_MAX_ATTEMPTS, pinGuessState, type PinGuesses } from "./pinPolicy";

export interface CancellationPolicy {
  /** After the driver is assigned, the rider may cancel free for this long. */
  graceSeconds: number;
  /** A scheduled booking cancels free until this long before its pickup time. */
  scheduledCutoffSeconds: number;
}

export const DEFAULT_CANCELLATION_POLICY: CancellationPolicy = { graceSeconds: 120, scheduledCutoffSeconds: 3600 };

export interface CancellationFacts {
  by: "rider" | "driver" | "server";
  /** The status the booking had when it was cancelled. */
  statusBefore: BookingStatus;
  cancelledAtMs: number;
  /** When a driver was assigned (timeline.accepted), if one was. */
  acceptedAtMs?: number | undefined;
  scheduledAtMs?: number | undefined;
}

/**
 * Whether the rider owes the cancellation fee. Only riders pay: free while no driver has been assigned for
 * longer than the grace period, always charged once the driver has arrived; a scheduled booking is free
 * until the cutoff before its pickup time.
 */
export function cancellationFeeApplies(facts: CancellationFacts, policy: CancellationPolicy = DEFAULT_CANCELLATION_POLICY): boolean {
  if (facts.by !== "rider") return false;
  switch (facts.statusBefore) {
    case "arrived":
      return true;
    case "accepted":
      return facts.acceptedAtMs !== undefined && facts.cancelledAtMs - facts.acceptedAtMs > policy.graceSeconds * 1000;
    case "scheduled":
      return facts.scheduledAtMs !== undefined && facts.cancelledAtMs > facts.scheduledAtMs - policy.scheduledCutoffSeconds * 1000;
    default:
      return false;
  }
}

/** The rider's 4-digit boarding PIN, uniformly random (leading zeros kept). */
/** The recipient's delivery code (deliveryProofPolicy.ts: DELIVERY_CODE_DIGITS digits), sent by SMS at pickup. */
export function generateDeliveryCode(random: (max: number) => number = (max) => randomInt(max)): string {
  return String(random(10 ** DELIVERY_CODE_DIGITS)).padStart(DELIVERY_CODE_DIGITS, "0");
}

export function generatePin(random: (max: number) => number = (max) => randomInt(max)): string {
  return String(random(10_000)).padStart(4, "0");
}
