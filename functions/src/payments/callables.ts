// Callables: refundPayment (admin) and confirmCashCollected (the trip's driver). Validation first, then
// auth and state checks; a rejected call writes nothing.
import { HttpsError, type CallableRequest } from "firebase-functions/v2/https";
import { db, fieldValue } from "../common/firebase";
import { validate } from "../common/validation";
import { applyObservation, paymentAmountsOf } from "./ledger";
import { refundable } from "./paymentState";
import {
  bookingForPaymentSchema,
  confirmCashCollectedInputSchema,
  paths,
  refundPaymentInputSchema,
  type ConfirmCashCollectedOutput,
  type RefundPaymentOutput,
} from "./schema";
import { isTransientStripeError, stripe } from "./stripeClient";

type Request = Pick<CallableRequest, "auth" | "data">;

export async function refundPayment(request: Request): Promise<RefundPaymentOutput> {
  const input = validate(refundPaymentInputSchema, request.data);
  if (!request.auth) throw new HttpsError("unauthenticated", "Sign in first.");
  if (request.auth.token.role !== "admin") throw new HttpsError("permission-denied", "Only admins can refund payments.");
  const snap = await db().doc(paths.payment(input.bookingId)).get();
  const payment = paymentAmountsOf(snap.data());
  if (!payment) throw new HttpsError("not-found", `No payment for booking ${input.bookingId}.`);
  const intentId = snap.get("intentId");
  if (snap.get("method") !== "card" || typeof intentId !== "string") {
    throw new HttpsError("failed-precondition", "Only card payments are refunded through Stripe; settle cash refunds by hand.");
  }
  const remaining = refundable(payment);
  const amount = input.amountMinor ?? remaining;
  if (remaining === 0) throw new HttpsError("failed-precondition", "Nothing is left to refund on this payment.", { refundableMinor: 0 });
  if (amount > remaining) {
    throw new HttpsError("failed-precondition", `amountMinor ${amount} exceeds the refundable amount ${remaining} (captured ${payment.amountCapturedMinor}, refunded ${payment.amountRefundedMinor}).`, {
      refundableMinor: remaining,
      issues: [{ path: "amountMinor", message: `must be at most ${remaining}` }],
    });
  }
  let refund;
  try {
    refund = await stripe().refunds.create(
      { payment_intent: intentId, amount, reason: "requested_by_customer", metadata: { bookingId: input.bookingId, reason: input.reason, by: request.auth.uid } },
      // Same booking, same refunded-so-far, same amount → the same refund (a retried call cannot refund twice).
      { idempotencyKey: `refund-${input.bookingId}-${payment.amountRefundedMinor}-${amount}` },
    );
  } catch (error) {
    if (isTransientStripeError(error)) throw new HttpsError("unavailable", "Stripe is unreachable; try again.");
    throw new HttpsError("failed-precondition", `Stripe refused the refund: ${(error as Error).message}`);
  }
  const uid = request.auth.uid;
  const result = await applyObservation(
    input.bookingId,
    { status: "partially_refunded", amountCapturedMinor: payment.amountCapturedMinor, amountRefundedMinor: payment.amountRefundedMinor + amount },
    {
      method: "card",
      actor: uid,
      reason: input.reason,
      also: (tx) =>
        tx.set(db().doc(paths.refund(input.bookingId, refund.id)), { amountMinor: amount, reason: input.reason, by: uid, stripeRefundId: refund.id, createdAt: fieldValue().serverTimestamp() }),
    },
  );
  return { refundId: refund.id, amountMinor: amount, amountRefundedMinor: result.payment?.amountRefundedMinor ?? payment.amountRefundedMinor + amount, status: result.payment?.status ?? "partially_refunded" };
}

export async function confirmCashCollected(request: Request): Promise<ConfirmCashCollectedOutput> {
  const input = validate(confirmCashCollectedInputSchema, request.data);
  if (!request.auth) throw new HttpsError("unauthenticated", "Sign in first.");
  const snap = await db().doc(paths.booking(input.bookingId)).get();
  if (!snap.exists) throw new HttpsError("not-found", `No booking ${input.bookingId}.`);
  const parsed = bookingForPaymentSchema.safeParse(snap.data());
  if (!parsed.success) throw new HttpsError("failed-precondition", "The booking is not in a payable shape.");
  const booking = parsed.data;
  if (booking.driverId !== request.auth.uid) throw new HttpsError("permission-denied", "Only the booking's driver confirms cash collection.");
  if (booking.paymentMethod !== "cash") throw new HttpsError("failed-precondition", "This booking is not paid in cash.");
  if (booking.status !== "completed" && booking.status !== "delivery_failed") throw new HttpsError("failed-precondition", `The booking is ${booking.status}; cash is confirmed once it is completed.`);
  const finalMinor = booking.fare?.finalMinor;
  if (finalMinor == null) throw new HttpsError("failed-precondition", "The booking has no final fare yet.");
  const result = await applyObservation(
    input.bookingId,
    { status: "captured", amountCapturedMinor: finalMinor },
    { method: "cash", receipt: "fare", actor: request.auth.uid, set: { collectedBy: request.auth.uid } },
  );
  return { status: result.payment?.status ?? "captured", amountCapturedMinor: result.payment?.amountCapturedMinor ?? finalMinor };
}
