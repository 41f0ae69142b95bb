// The booking state machine: every status, every allowed move, and who may make it. Pure (no Firebase), so
// the triggers, the rules tests and the unit tests all read the same table. firestore.rules mirrors the
// client (rider/driver) rows by hand; test/rules/bookings.rules.test.ts checks the two agree cell by cell.
import { BOOKING_STATUSES, type BookingStatus } from "../common/schema";

export { BOOKING_STATUSES, type BookingStatus };

/** Who makes a move: the booking's rider, its assigned driver, or a Cloud Function. */
export type Actor = "rider" | "driver" | "server";

export interface Transition {
  from: BookingStatus;
  to: BookingStatus;
  by: Actor;
  /** Which domain's code makes a server move (documentation; the table is the contract between them). */
  owner?: "bookings" | "payments" | "dispatch" | "fleet";
  /** An extra condition, checked by `canTransition` against the context. */
  guard?: "afterDriverCancellation";
}

const server = (from: BookingStatus, to: BookingStatus, owner: Transition["owner"], guard?: Transition["guard"]): Transition =>
  guard ? { from, to, by: "server", owner, guard } : { from, to, by: "server", owner };

/** Statuses the rider may cancel from (before the trip starts). */
export const RIDER_CANCELLABLE: readonly BookingStatus[] = ["requested", "awaiting_payment", "scheduled", "searching", "accepted", "arrived"];
/** Statuses the assigned driver may cancel from; the server then dispatches the booking again. */
export const DRIVER_CANCELLABLE: readonly BookingStatus[] = ["accepted", "arrived"];

export const TRANSITIONS: readonly Transition[] = [
  // Confirmation (bookings): the quote checks out → payment, dispatch or the schedule; it does not → cancelled.
  server("requested", "awaiting_payment", "bookings"),
  server("requested", "searching", "bookings"),
  server("requested", "scheduled", "bookings"),
  server("requested", "cancelled", "bookings"),
  // Card authorisation (payments).
  server("awaiting_payment", "searching", "payments"),
  server("awaiting_payment", "payment_failed", "payments"),
  // Scheduled dispatch at the lead time (bookings, Cloud Task): card bookings authorise first.
  server("scheduled", "searching", "bookings"),
  server("scheduled", "awaiting_payment", "bookings"),
  // A delivery planned into a van's round (fleet/service.ts completeDeliveryStop): when the van reaches its drop-off
  // with the parcel loaded at the depot, the route's driver takes it straight into the delivery (no pickup leg,
  // no PIN: the van carried it). Cash only: a card booking is never planned (fleet/bookingOrders.ts).
  server("scheduled", "in_progress", "fleet"),
  // Matching (dispatch).
  server("searching", "accepted", "dispatch"),
  server("searching", "no_drivers", "dispatch"),
  // The trip (assigned driver).
  { from: "accepted", to: "arrived", by: "driver" },
  { from: "arrived", to: "in_progress", by: "driver" },
  { from: "in_progress", to: "completed", by: "driver" },
  // A delivery nobody could take (deliveryProofPolicy.ts): the parcel goes back; the return leg is charged.
  { from: "in_progress", to: "delivery_failed", by: "driver" },
  // Cancellations.
  ...RIDER_CANCELLABLE.map((from): Transition => ({ from, to: "cancelled", by: "rider" })),
  ...DRIVER_CANCELLABLE.map((from): Transition => ({ from, to: "cancelled", by: "driver" })),
  // A driver's cancellation is not the end of the booking: it goes back to matching.
  server("cancelled", "searching", "bookings", "afterDriverCancellation"),
];

export const TERMINAL_STATUSES: readonly BookingStatus[] = ["completed", "no_drivers", "payment_failed", "delivery_failed"];
/** The trip was driven and is charged its final fare (a failed delivery adds the return leg). */
export const FARE_CHARGED_STATUSES: readonly BookingStatus[] = ["completed", "delivery_failed"];

export interface TransitionContext {
  /** `cancellation.by` of the booking, for moves out of `cancelled`. */
  cancelledBy?: Actor | undefined;
}

export function findTransition(from: BookingStatus, to: BookingStatus, by: Actor): Transition | undefined {
  return TRANSITIONS.find((t) => t.from === from && t.to === to && t.by === by);
}

export function canTransition(from: BookingStatus, to: BookingStatus, by: Actor, context: TransitionContext = {}): boolean {
  const transition = findTransition(from, to, by);
  if (!transition) return false;
  if (transition.guard === "afterDriverCancellation") return context.cancelledBy === "driver";
  return true;
}

/** Every actor allowed to move `from → to` (ignoring guards). */
export function actorsFor(from: BookingStatus, to: BookingStatus): Actor[] {
  return [...new Set(TRANSITIONS.filter((t) => t.from === from && t.to === to).map((t) => t.by))];
}

export function nextStatuses(from: BookingStatus, by?: Actor): BookingStatus[] {
  return [...new Set(TRANSITIONS.filter((t) => t.from === from && (!by || t.by === by)).map((t) => t.to))];
}

/** A status no move leaves: `cancelled` is final unless a driver cancelled (then it is dispatched again). */
export function isFinal(status: BookingStatus, context: TransitionContext = {}): boolean {
  return !TRANSITIONS.some((t) => t.from === status && canTransition(t.from, t.to, t.by, context));
}

/** Where the confirmation trigger sends a valid booking. */
export function statusAfterConfirmation(booking: { paymentMethod: "card" | "cash"; scheduled: boolean }): "awaiting_payment" | "searching" | "scheduled" {
  if (booking.scheduled) return "scheduled";
  return booking.paymentMethod === "card" ? "awaiting_payment" : "searching";
}

/** Where a scheduled booking goes at its lead time: card bookings are authorised first. */
export function statusAtScheduledStart(paymentMethod: "card" | "cash"): "awaiting_payment" | "searching" {
  return paymentMethod === "card" ? "awaiting_payment" : "searching";
}

/** Statuses in which a driver is assigned to the booking (and so is `busy`). */
export const DRIVER_ASSIGNED_STATUSES: readonly BookingStatus[] = ["accepted", "arrived", "in_progress"];
