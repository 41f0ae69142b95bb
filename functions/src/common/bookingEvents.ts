// The audit trail of a booking, `bookings/{bookingId}/events/{eventId}`: append-only, server-written, readable
// by the trip's participants. Other domains (notifications, analytics, payments) react to these documents
// instead of to raw booking diffs, so each state change is described once, by the domain that made it.
import type { Timestamp } from "firebase-admin/firestore";
import type { BookingStatus } from "./schema";

/** Every event type, and what its `data` holds. */
export const BOOKING_EVENT_TYPES = [
  "status_changed", //  data: {} — `status` / `previousStatus` say what changed
  "offer_sent", //      data: {driverIds[], round}
  "offer_answered", //  data: {driverId, answer: "accepted" | "declined" | "expired" | "taken"}
  "driver_assigned", // data: {driverId, vehicleId}
  "fare_fixed", //      data: {amountMinor, currency}
  "payment", //         data: {paymentStatus, amountMinor?, reason?}
  "cancelled", //       data: {by, reason, feeMinor}
  "recovered", //       data: {step, reason} — the recovery sweep moved a stranded booking on
  "trip_changed", //    data: {changeId, routeVersion, previousEstimateMinor, estimateMinor, currency, stopCount}
  "hire_extended", //   data: {hours, previousHours, previousEstimateMinor, estimateMinor, currency}
  "proof_verified", //  data: {proof: "photo" | "recipientCode"} — a delivery's proof, verified by the server
] as const;
export type BookingEventType = (typeof BOOKING_EVENT_TYPES)[number];

export interface BookingEvent {
  type: BookingEventType;
  bookingId: string;
  riderId: string;
  driverId?: string | null;
  status: BookingStatus;
  previousStatus?: BookingStatus | null;
  /** "server" or the uid whose write caused the event. */
  actor: string;
  at: Timestamp;
  data?: Record<string, unknown>;
}
