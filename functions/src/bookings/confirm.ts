// The confirmation of a new booking (trigger on create): vet it (vetting.ts: shape, the rider's booking limit,
// the catalogue, the quote, then the paid stop order), fix the fare, create the boarding PIN and decide where
// the booking goes next, in one transition (transition.ts) whose audit event carries the fixed estimate.
import type { Timestamp } from "firebase-admin/firestore";
import { db, fieldValue } from "../common/firebase";
import { processOnce } from "../common/idempotency";
import * as logger from "../common/logger";
import { tryConsumeAllowance } from "../common/rateLimit";
import { describeIssues, summarise } from "../common/validation";
import { settings } from "./config";
import { generatePin } from "./policy";
import { checkCategory, checkQuote, checkServiceArea, proofRequirementFor, stopOrderFor } from "./ports";
import { enqueueScheduledStart, scheduledStartMs } from "./scheduling";
import { newBookingSchema, pinPath, type NewBooking } from "./schema";
import { statusAfterConfirmation } from "./stateMachine";
import { writeTransition } from "./transition";
import { vetNewBooking, type VettingPorts } from "./vetting";

export type ConfirmationOutcome = "awaiting_payment" | "searching" | "scheduled" | "cancelled" | "skipped";

/** The real ports: zod, the rider's booking allowance, the catalogue, pricing's quote check, the route optimiser. */
function vettingPorts(bookingId: string): VettingPorts<NewBooking> {
  return {
    parse: (data) => {
      const parsed = newBookingSchema.safeParse(data);
      return parsed.success ? { ok: true, booking: parsed.data } : { ok: false, detail: summarise(describeIssues(parsed.error)) };
    },
    allowance: (booking) => tryConsumeAllowance("createBooking", booking.riderId, settings.bookingRateLimit(), Date.now(), bookingId),
    categoryProblem: (booking) => checkCategory(booking),
    areaProblem: (booking) => checkServiceArea(booking),
    quote: (booking) => checkQuote(bookingId, booking),
    stopOrder: (booking) => stopOrderFor(booking),
  };
}

export async function confirmBooking(
  bookingId: string,
  eventId: string,
  createdAt?: Timestamp,
  ports: VettingPorts<NewBooking> = vettingPorts(bookingId),
): Promise<ConfirmationOutcome> {
  const ref = db().doc(`bookings/${bookingId}`);
  const snapshot = await ref.get();
  if (snapshot.data()?.status !== "requested") {
    logger.info("booking confirmation skipped: not requested", { bookingId, status: snapshot.data()?.status ?? null });
    return "skipped";
  }

  const vetting = await vetNewBooking(snapshot.data(), ports);
  let next: ConfirmationOutcome = "cancelled";
  if (vetting.ok) {
    const booking = vetting.booking;
    const startMs = booking.scheduledAt ? scheduledStartMs(booking.scheduledAt.toMillis()) : undefined;
    const scheduled = startMs !== undefined && startMs > Date.now();
    next = statusAfterConfirmation({ paymentMethod: booking.paymentMethod, scheduled });
    // Enqueued before the status is written: if the commit then fails, the task finds no `scheduled` booking.
    if (scheduled) await enqueueScheduledStart(bookingId, startMs!);
  }
  // A delivery keeps the proof its parcel class required when it was booked, whatever the config says later.
  const proofRequired = vetting.ok && vetting.booking.serviceType === "delivery" ? await proofRequirementFor(vetting.booking) : undefined;

  const result = await processOnce("bookingConfirmed", eventId, async (tx) => {
    const current = await tx.get(ref);
    const data = current.data();
    if (data?.status !== "requested") return "skipped" as const; // the rider cancelled first
    const requestedAt = { "timeline.requested": createdAt ?? current.createTime ?? fieldValue().serverTimestamp() };
    if (!vetting.ok) {
      const { reason, detail } = vetting.rejection;
      writeTransition(tx, bookingId, data, {
        to: "cancelled",
        eventId: `confirm-${eventId}`,
        fields: { ...requestedAt, cancellation: { by: "server", reason, feeMinor: 0 } },
        event: { type: "cancelled", data: { by: "server", reason, feeMinor: 0 } },
      });
      logger.warn("booking rejected", { bookingId, reason, detail });
      return "cancelled" as const;
    }
    const { booking, quote, stopOrder } = vetting;
    writeTransition(tx, bookingId, data, {
      to: next as "awaiting_payment" | "searching" | "scheduled",
      eventId: `confirm-${eventId}`,
      fields: {
        ...requestedAt,
        fare: { estimateMinor: quote.fare.estimateMinor, finalMinor: null, currency: quote.fare.currency, breakdown: quote.fare.breakdown, maxMinor: quote.fare.maxMinor },
        route: { distanceMeters: quote.route.distanceMeters, durationSeconds: quote.route.durationSeconds, stopOrder },
        payment: { method: booking.paymentMethod, status: "pending" },
        ...(proofRequired ? { proofRequired } : {}),
      },
      event: { data: { amountMinor: quote.fare.estimateMinor, currency: quote.fare.currency, final: false } },
    });
    tx.set(db().doc(pinPath(bookingId)), { pin: generatePin(), riderId: booking.riderId, createdAt: fieldValue().serverTimestamp() });
    return next;
  });
  const outcome = result.processed ? result.result : "skipped";
  logger.info("booking confirmation", { bookingId, eventId, outcome });
  return outcome;
}
