// The one place that writes a booking's payment state. Every source of truth (a Stripe API answer, a webhook,
// a driver confirming cash) becomes a PaymentObservation applied here in ONE transaction that also:
//   - records the Stripe event id (stripeEvents/{id}), so a replayed webhook finds it and changes nothing;
//   - keeps `bookings/{id}.payment {status, method}` in step and moves awaiting_payment → searching|payment_failed;
//   - appends a `payment` audit event (deterministic id; when the payment moves the booking, through the
//     one transition writer, bookings/transition.ts);
//   - issues the receipt and its e-mail when asked (see receipts.ts).
import type { DocumentData, Transaction } from "firebase-admin/firestore";
import { db, fieldValue } from "../common/firebase";
import { writeAuditEvent } from "../common/auditTrail";
import { writeTransition } from "../bookings/transition";
import type { BookingStatus } from "../common/schema";
import * as logger from "../common/logger";
import { mergePayment, type PaymentAmounts, type PaymentMethod, type PaymentObservation, type PaymentStatus } from "./paymentState";
import { bookingForPaymentSchema, paths } from "./schema";
import { prepareReceipt, type ReceiptKind } from "./receipts";

export interface ApplyOptions {
  method: PaymentMethod;
  stripeEvent?: { id: string; type: string };
  /** Issue the receipt in the same transaction once money is captured. */
  receipt?: ReceiptKind;
  /** Extra fields for payments/{bookingId} (written whenever the transaction writes). */
  set?: Record<string, unknown>;
  /** Further writes that belong to the same change (e.g. the client secret, a refund record). */
  also?: (tx: Transaction) => void;
  actor?: string;
  reason?: string;
}

export type ApplyOutcome = "applied" | "unchanged" | "duplicate_event" | "no_booking";

const CAPTURED: PaymentStatus[] = ["captured", "partially_refunded", "refunded"];

export function paymentAmountsOf(data: DocumentData | undefined): PaymentAmounts | undefined {
  // A document holding only a saved card (setup) or a tip has no payment of the fare yet.
  if (!data?.status) return undefined;
  return {
    status: data.status,
    amountAuthorizedMinor: data.amountAuthorizedMinor ?? 0,
    amountCapturedMinor: data.amountCapturedMinor ?? 0,
    amountRefundedMinor: data.amountRefundedMinor ?? 0,
    failureReason: data.failureReason ?? null,
  };
}

function amountFor(state: PaymentAmounts): number | undefined {
  if (state.status === "authorized") return state.amountAuthorizedMinor;
  if (state.status === "captured") return state.amountCapturedMinor;
  if (state.status === "partially_refunded" || state.status === "refunded") return state.amountRefundedMinor;
  return undefined;
}

function nextBookingStatus(current: string, payment: PaymentStatus): BookingStatus | undefined {
  if (current !== "awaiting_payment") return undefined;
  if (payment === "authorized" || payment === "captured") return "searching";
  if (payment === "failed") return "payment_failed";
  return undefined;
}

export async function applyObservation(bookingId: string, observed: PaymentObservation, options: ApplyOptions): Promise<{ outcome: ApplyOutcome; payment?: PaymentAmounts; bookingStatus?: string }> {
  const paymentRef = db().doc(paths.payment(bookingId));
  const bookingRef = db().doc(paths.booking(bookingId));
  const eventRef = options.stripeEvent ? db().doc(paths.stripeEvent(options.stripeEvent.id)) : undefined;

  const result = await db().runTransaction(async (tx) => {
    // ---- reads ----
    if (eventRef && (await tx.get(eventRef)).exists) return { outcome: "duplicate_event" as const };
    const [paymentSnap, bookingSnap] = await Promise.all([tx.get(paymentRef), tx.get(bookingRef)]);
    const recordEvent = (outcome: string) =>
      eventRef && tx.create(eventRef, { type: options.stripeEvent!.type, bookingId, outcome, receivedAt: fieldValue().serverTimestamp() });
    const parsed = bookingForPaymentSchema.safeParse(bookingSnap.data());
    if (!parsed.success) {
      logger.warn("payment observation for a missing or unreadable booking", { bookingId, status: observed.status });
      recordEvent("no_booking");
      return { outcome: "no_booking" as const };
    }
    const booking = parsed.data;
    const current = paymentAmountsOf(paymentSnap.data());
    const { next, changed } = mergePayment(current, observed);
    const bookingStatus = nextBookingStatus(booking.status, next.status) ?? booking.status;
    const receipt = options.receipt && CAPTURED.includes(next.status) && next.amountCapturedMinor > 0
      ? await prepareReceipt(tx, bookingId, booking.riderId)
      : undefined;

    // ---- writes ----
    const now = fieldValue().serverTimestamp();
    if (changed || options.set) {
      tx.set(
        paymentRef,
        {
          riderId: booking.riderId,
          method: options.method,
          currency: booking.fare?.currency ?? paymentSnap.get("currency") ?? "eur",
          ...(observed.intentId && !paymentSnap.get("intentId") ? { intentId: observed.intentId } : {}),
          ...(current ? {} : { createdAt: now, intentId: observed.intentId ?? null }),
          ...next,
          ...options.set,
          updatedAt: now,
        },
        { merge: true },
      );
    }
    if (changed) {
      const newStatus = nextBookingStatus(booking.status, next.status);
      const amountMinor = amountFor(next);
      const data = {
        paymentStatus: next.status,
        method: options.method,
        ...(amountMinor !== undefined ? { amountMinor } : {}),
        ...(next.status === "failed" && next.failureReason ? { reason: next.failureReason } : {}),
        ...(options.reason ? { reason: options.reason } : {}),
        ...(options.stripeEvent ? { stripeEventId: options.stripeEvent.id } : {}),
      };
      const payment = { status: next.status, method: options.method, ...(next.failureReason ? { failureReason: next.failureReason } : {}) };
      // One event per payment state (refunds: per refunded total), so a replayed observation rewrites it.
      const eventId = `payment-${next.status}${amountMinor !== undefined ? `-${amountMinor}` : ""}`;
      if (newStatus) {
        // The authorisation decides the booking's next move: this is that transition, with its one event.
        writeTransition(tx, bookingId, bookingSnap.data()!, { to: newStatus, actor: options.actor ?? "server", eventId, fields: { payment }, event: { type: "payment", data } });
      } else {
        tx.update(bookingRef, { payment, updatedAt: now });
        writeAuditEvent(tx, bookingId, eventId, {
          type: "payment",
          riderId: booking.riderId,
          driverId: booking.driverId ?? null,
          status: booking.status as BookingStatus,
          actor: options.actor ?? "server",
          data,
        });
      }
    }
    receipt?.write({ booking, payment: next, method: options.method, kind: options.receipt! });
    options.also?.(tx);
    recordEvent(changed ? "applied" : "unchanged");
    return { outcome: changed ? ("applied" as const) : ("unchanged" as const), payment: next, bookingStatus, movedToSearching: changed && nextBookingStatus(booking.status, next.status) === "searching" };
  });
  const { movedToSearching, ...outcome } = result;
  if (movedToSearching) await startSearchAfterAuthorisation(bookingId);
  return outcome;
}

/**
 * The authorisation just moved the booking to `searching` (a webhook, an off-session charge): its dispatch attempt
 * starts now, not one booking-trigger hop later. The trigger event of the same write runs the dispatch step too and
 * finds the attempt claimed (dispatch/service.ts claimAttempt re-checks the job). A failure here is only logged:
 * that trigger event is the backstop, and the payment itself is already applied.
 */
async function startSearchAfterAuthorisation(bookingId: string): Promise<void> {
  try {
    const dispatch = await import("../dispatch/service");
    await dispatch.handleBookingWrite(bookingId, `authorised-${bookingId}`, { status: "awaiting_payment" }, { status: "searching" });
  } catch (error) {
    logger.warn("dispatch start after the authorisation failed (the booking trigger starts it)", { bookingId, error: String(error) });
  }
}
