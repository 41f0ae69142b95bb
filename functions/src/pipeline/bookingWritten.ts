// What happens when a booking is written: the steps of the one trigger on bookings/{bookingId}, in order.
// The trigger compares before and after once (BookingChange); each step says whether the change concerns it and
// then acts on the booking's CURRENT state, in its own transaction, so it is idempotent and safe out of order.
// A step that follows another in the same invocation sees what the earlier one wrote (e.g. the capture at
// `completed` reads the final fare the bookings step has just fixed: completion → capture is one hop).
import type { DocumentData, Timestamp } from "firebase-admin/firestore";
import type { Step } from "../common/pipeline";
import { ACTIVE_TRIP, TRIP_OVER } from "../chat/policy";
import { guessedCode, issuesCode } from "./deliveryProofChecks";

export interface BookingChange {
  bookingId: string;
  /** The trigger event's id: the idempotency key of the steps that need one. */
  eventId: string;
  before: DocumentData | undefined;
  after: DocumentData | undefined;
  /** Commit time of the write (the after snapshot's update time). */
  changedAt: Timestamp | undefined;
  createdAt: Timestamp | undefined;
  /**
   * Where the confirmation step of this invocation moved a new booking (set by that step). The payments and
   * dispatch steps after it act on that move at once instead of one trigger hop later; the trigger event of the
   * confirmation's own write then finds their work done (authorise: the intent exists; dispatch: the attempt is
   * claimed).
   */
  confirmedAs?: string;
}

const statusOf = (data: DocumentData | undefined): string | undefined => data?.status;
const entered = (c: BookingChange, status: string) => statusOf(c.after) === status && statusOf(c.before) !== status;
const left = (c: BookingChange, status: string) => statusOf(c.before) === status && statusOf(c.after) !== status;
const statusChanged = (c: BookingChange) => !!c.before && !!c.after && statusOf(c.before) !== statusOf(c.after);

export const BOOKING_STEPS: readonly Step<BookingChange>[] = [
  {
    name: "bookings.confirm",
    does: "a new `requested` booking: vet it, fix the fare, create the PIN; transition to awaiting_payment | searching | scheduled | cancelled",
    applies: (c) => !c.before && statusOf(c.after) === "requested",
    run: async (c) => {
      c.confirmedAs = await (await import("../bookings/confirm")).confirmBooking(c.bookingId, c.eventId, c.createdAt);
    },
  },
  {
    name: "bookings.statusChange",
    does: "log an app's move (one audit event); the final fare at `completed`; the fee of a rider's cancellation; release the driver; re-dispatch after a driver's cancellation",
    applies: statusChanged,
    run: async (c) =>
      (await import("../bookings/lifecycle")).handleStatusChange({ bookingId: c.bookingId, eventId: c.eventId, before: c.before!, after: c.after!, changedAt: c.changedAt! }),
  },
  {
    name: "payments",
    does: "card bookings: save the card at `scheduled` far ahead (SetupIntent), authorise at `awaiting_payment` (off-session on a saved card; also right after the confirmation above moved a new booking there, and the same for the card saved at `scheduled`), capture at `completed` / `delivery_failed`, charge the fee or void at `cancelled` / `no_drivers`",
    applies: (c) => !!c.after && (c.after.paymentMethod === "card") && paymentEdge(c) !== null,
    run: async (c) => (await import("../payments/service")).onBookingWritten(c.bookingId, paymentEdge(c)!),
  },
  {
    name: "earnings",
    does: "at `completed` / `delivery_failed`, after the capture above in the same invocation: the driver's ledger (fare, commission; cash: commission owed) and the transfer of the card share",
    applies: (c) => !!c.after && !!c.after.driverId && paymentEdge(c) === "capture",
    run: async (c) => (await import("../earnings/trips")).onTripCompleted(c.bookingId, c.changedAt),
  },
  {
    name: "bookings.deliveryCode",
    does: "a delivery whose parcel class needs the recipient's code: at pickup (`in_progress`) create the code and text it to the recipient (once); verify each counted guess the driver stores (`proof.code`)",
    applies: (c) => issuesCode(c.before, c.after) || guessedCode(c.before, c.after),
    run: async (c) => {
      const proof = await import("../bookings/deliveryProof");
      if (issuesCode(c.before, c.after)) await proof.issueRecipientCode(c.bookingId);
      if (guessedCode(c.before, c.after)) await proof.verifyCodeGuess(c.bookingId, String(c.after!.deliveryCodeAttempt), c.eventId);
    },
  },
  {
    name: "dispatch",
    does: "entering `searching` (also when the confirmation above just put a new booking there): start a dispatch attempt (round 1 of offers); leaving it early: stop the attempt",
    applies: (c) => entered(c, "searching") || left(c, "searching") || c.confirmedAs === "searching",
    run: async (c) => {
      const dispatch = await import("../dispatch/service");
      if (c.confirmedAs === "searching") return dispatch.handleBookingWrite(c.bookingId, c.eventId, { status: "requested" }, { status: "searching" });
      return dispatch.handleBookingWrite(c.bookingId, c.eventId, c.before ?? null, c.after ?? null);
    },
  },
  {
    name: "chat",
    does: "open the trip chat at assignment, hand it to a new driver, schedule its closing at the end of the trip",
    applies: (c) => !!c.after && (chatPhase(c.before) !== chatPhase(c.after) || c.before?.driverId !== c.after.driverId),
    run: async (c) => (await import("../chat/service")).syncChatWithBooking(c.bookingId),
  },
  {
    name: "tracking.eta",
    does: "entering `accepted`: compute the driver's ETA to the pickup now and refresh it every 30 s (Cloud Tasks) while the driver is on the way",
    applies: (c) => entered(c, "accepted"),
    run: async (c) => (await import("../tracking/etaTasks")).startEtaRefresh(c.bookingId),
  },
  {
    name: "safety.tripShares",
    does: "a shared trip (links in `bookings/{id}/shares`): its public `tripShares/{token}` follows the status, ETA and driver; deleted when the trip ends; the position refresh (Cloud Tasks) starts with a driver",
    applies: (c) => !!c.before && (statusChanged(c) || !c.after || c.before.driverId !== c.after.driverId || c.before.eta?.pickupSeconds !== c.after.eta?.pickupSeconds),
    run: async (c) => (await import("../safety/shares")).onBookingChangeForShares(c.bookingId),
  },
];

/**
 * What a booking means for its chat (chat/policy.ts planChatSync): the driver takes part, the trip is over, or
 * neither. A move within a phase (accepted → arrived → in_progress) changes nothing there.
 */
export function chatPhase(booking: DocumentData | undefined): "active" | "over" | "none" {
  const status = statusOf(booking) ?? "";
  if (ACTIVE_TRIP.has(status) && booking?.driverId) return "active";
  return TRIP_OVER.has(status) ? "over" : "none";
}

export type PaymentEdge = "save_card" | "authorise" | "capture" | "settle_cancellation";

/** Which payment step a booking write asks for (the payments step re-reads the booking before acting). */
export function paymentEdge(c: Pick<BookingChange, "before" | "after" | "confirmedAs">): PaymentEdge | null {
  const { before, after } = c;
  if (!after) return null;
  // The confirmation in this invocation just moved the new booking: its payment step now, not one hop later.
  if (c.confirmedAs === "awaiting_payment") return "authorise";
  if (c.confirmedAs === "scheduled") return "save_card";
  // A booking far ahead saves the card now and is authorised off-session at its lead time (payments/savedCard.ts).
  if (entered(c as BookingChange, "scheduled")) return "save_card";
  if (entered(c as BookingChange, "awaiting_payment")) return "authorise";
  if (entered(c as BookingChange, "completed") || entered(c as BookingChange, "delivery_failed")) return "capture";
  // Not when the final fare lands on a booking already completed: that write is the bookings step's own, made in
  // the invocation that captured (a failed capture is retried with that event, and the recovery sweep backs it up).
  const riderOrServerCancelled = (b: DocumentData | undefined) => b?.status === "cancelled" && b?.cancellation?.by !== "driver";
  if (riderOrServerCancelled(after) && !riderOrServerCancelled(before)) return "settle_cancellation";
  // Nobody took the booking: the authorisation hold on the rider's card is released (no fee).
  if (entered(c as BookingChange, "no_drivers")) return "settle_cancellation";
  return null;
}
