// The confirmation of a new booking (trigger on create): validate, check the quote, fix the fare, create the
// boarding PIN and decide where the booking goes next. The status change itself is logged in the audit
// trail by the status-change trigger (lifecycle.ts), like every other one.
import type { Timestamp } from "firebase-admin/firestore";
import { db, fieldValue } from "../common/firebase";
import { processOnce } from "../common/idempotency";
import * as logger from "../common/logger";
import { describeIssues, summarise } from "../common/validation";
import { writeAuditEvent } from "./events";
import { generatePin } from "./policy";
import { checkQuote, stopOrderFor } from "./ports";
import { enqueueScheduledStart, scheduledStartMs } from "./scheduling";
import { newBookingSchema, pinPath } from "./schema";
import { statusAfterConfirmation } from "./stateMachine";

export type ConfirmationOutcome = "awaiting_payment" | "searching" | "scheduled" | "cancelled" | "skipped";

export async function confirmBooking(bookingId: string, eventId: string, createdAt?: Timestamp): Promise<ConfirmationOutcome> {
  const ref = db().doc(`bookings/${bookingId}`);
  const snapshot = await ref.get();
  if (snapshot.data()?.status !== "requested") {
    logger.info("booking confirmation skipped: not requested", { bookingId, status: snapshot.data()?.status ?? null });
    return "skipped";
  }

  const parsed = newBookingSchema.safeParse(snapshot.data());
  const rejection = parsed.success ? undefined : { reason: "invalid_booking", detail: summarise(describeIssues(parsed.error)) };
  const quote = parsed.success ? await checkQuote(bookingId, parsed.data) : undefined;
  const quoteRejection = quote && !quote.ok ? { reason: "quote_mismatch", detail: quote.reason } : undefined;

  let next: ConfirmationOutcome = "cancelled";
  if (parsed.success && quote?.ok) {
    const booking = parsed.data;
    const startMs = booking.scheduledAt ? scheduledStartMs(booking.scheduledAt.toMillis()) : undefined;
    const scheduled = startMs !== undefined && startMs > Date.now();
    next = statusAfterConfirmation({ paymentMethod: booking.paymentMethod, scheduled });
    // Enqueued before the status is written: if the commit then fails, the task finds no `scheduled` booking.
    if (scheduled) await enqueueScheduledStart(bookingId, startMs!);
  }
  const stopOrder = parsed.success ? await stopOrderFor(parsed.data) : [];

  const result = await processOnce("bookingConfirmed", eventId, async (tx) => {
    const current = await tx.get(ref);
    if (current.data()?.status !== "requested") return "skipped" as const; // the rider cancelled first
    const base = {
      "timeline.requested": createdAt ?? current.createTime ?? fieldValue().serverTimestamp(),
      updatedAt: fieldValue().serverTimestamp(),
    };
    const problem = rejection ?? quoteRejection;
    if (problem || !parsed.success || !quote?.ok) {
      tx.update(ref, { ...base, status: "cancelled", cancellation: { by: "server", reason: problem?.reason ?? "invalid_booking", feeMinor: 0 } });
      logger.warn("booking rejected", { bookingId, ...problem });
      return "cancelled" as const;
    }
    const booking = parsed.data;
    tx.update(ref, {
      ...base,
      status: next,
      fare: { estimateMinor: quote.fare.estimateMinor, finalMinor: null, currency: quote.fare.currency, breakdown: quote.fare.breakdown },
      route: { distanceMeters: quote.route.distanceMeters, durationSeconds: quote.route.durationSeconds, stopOrder },
      payment: { method: booking.paymentMethod, status: "pending" },
    });
    tx.set(db().doc(pinPath(bookingId)), { pin: generatePin(), riderId: booking.riderId, createdAt: fieldValue().serverTimestamp() });
    writeAuditEvent(tx, bookingId, booking.riderId, `fare-${eventId}`, {
      type: "fare_fixed",
      status: next as "awaiting_payment" | "searching" | "scheduled",
      previousStatus: "requested",
      actor: "server",
      data: { amountMinor: quote.fare.estimateMinor, currency: quote.fare.currency, final: false },
    });
    return next;
  });
  const outcome = result.processed ? result.result : "skipped";
  logger.info("booking confirmation", { bookingId, eventId, outcome });
  return outcome;
}
