// Callable reviewFare (admins): decides on the excess of a final fare above its cap (bookings' fare.review).
// Nothing above the cap is ever charged without this decision; an approval charges exactly the recorded
// excess, off-session on the card of the trip, once (Stripe idempotency key review-<bookingId>).
import { HttpsError, type CallableRequest } from "firebase-functions/v2/https";
import { writeAuditEvent } from "../common/auditTrail";
import { db, fieldValue } from "../common/firebase";
import * as logger from "../common/logger";
import { validate } from "../common/validation";
import { applyObservation, paymentAmountsOf } from "./ledger";
import { describeFailure } from "./paymentState";
import { paths, reviewFareInputSchema, type ReviewFareOutput } from "./schema";
import { chargeOffSession } from "./service";
import { isTransientStripeError, stripe } from "./stripeClient";

type Request = Pick<CallableRequest, "auth" | "data">;

interface PendingReview {
  status: "pending" | "approved" | "declined";
  proposedMinor: number;
  capMinor: number;
  chargedMinor?: number;
}

export async function reviewFare(request: Request): Promise<ReviewFareOutput> {
  const input = validate(reviewFareInputSchema, request.data);
  if (!request.auth) throw new HttpsError("unauthenticated", "Sign in first.");
  if (request.auth.token.role !== "admin") throw new HttpsError("permission-denied", "Only admins review fares.");
  const bookingRef = db().doc(paths.booking(input.bookingId));
  const booking = await bookingRef.get();
  if (!booking.exists) throw new HttpsError("not-found", `No booking ${input.bookingId}.`);
  const review = booking.get("fare.review") as PendingReview | undefined;
  if (!review) throw new HttpsError("failed-precondition", "This booking's fare has nothing waiting for review.");
  const wanted = input.decision === "approve" ? "approved" : "declined";
  if (review.status === wanted) return { status: wanted, chargedMinor: review.chargedMinor ?? 0 }; // a retried call
  if (review.status !== "pending") throw new HttpsError("failed-precondition", `The review was already ${review.status}.`);

  const finalMinor = Number(booking.get("fare.finalMinor") ?? 0);
  const excess = Math.max(0, review.proposedMinor - finalMinor);
  let chargedMinor = 0;
  if (wanted === "approved" && excess > 0) {
    if (booking.get("paymentMethod") !== "card") {
      throw new HttpsError("failed-precondition", "Only card trips are charged through Stripe; settle a cash excess by hand.");
    }
    chargedMinor = await chargeExcess(input.bookingId, excess, request.auth.uid);
  }
  const adminUid = request.auth.uid;
  await db().runTransaction(async (tx) => {
    tx.update(bookingRef, {
      "fare.review.status": wanted,
      "fare.review.chargedMinor": chargedMinor,
      "fare.review.decidedBy": adminUid,
      "fare.review.decidedAt": fieldValue().serverTimestamp(),
      "fare.review.note": input.note,
      updatedAt: fieldValue().serverTimestamp(),
    });
    // The decision in the booking's audit trail (the charge itself is the ledger's `payment` event).
    writeAuditEvent(tx, input.bookingId, `fare-review-${wanted}`, {
      type: "fare_fixed",
      riderId: String(booking.get("riderId")),
      driverId: booking.get("driverId") ?? null,
      status: "completed",
      actor: adminUid,
      data: { review: wanted, proposedMinor: review.proposedMinor, chargedMinor, currency: booking.get("fare.currency") ?? "eur", note: input.note },
    });
  });
  logger.info("fare review decided", { bookingId: input.bookingId, decision: wanted, chargedMinor });
  return { status: wanted, chargedMinor };
}

async function chargeExcess(bookingId: string, amount: number, adminUid: string): Promise<number> {
  const snap = await db().doc(paths.payment(bookingId)).get();
  const payment = paymentAmountsOf(snap.data());
  const intentId = snap.get("intentId");
  if (!payment || typeof intentId !== "string" || payment.status !== "captured") {
    throw new HttpsError("failed-precondition", "The trip's card payment is not captured; nothing can be added to it.");
  }
  try {
    const main = await stripe().paymentIntents.retrieve(intentId);
    const extra = await chargeOffSession(main, amount, { bookingId, kind: "review", by: adminUid }, `review-${bookingId}`);
    if (extra.status !== "succeeded") throw new HttpsError("failed-precondition", `The card was not charged (${extra.status}).`);
    await applyObservation(
      bookingId,
      { status: "captured", amountCapturedMinor: payment.amountCapturedMinor + amount },
      { method: "card", actor: adminUid, set: { reviewCharge: { intentId: extra.id, amountMinor: amount, status: "succeeded" } } },
    );
    return amount;
  } catch (error) {
    if (error instanceof HttpsError) throw error;
    if (isTransientStripeError(error)) throw new HttpsError("unavailable", "Stripe is unreachable; try again.");
    throw new HttpsError("failed-precondition", `Stripe refused the charge: ${describeFailure(error as { code?: string; message?: string })}`);
  }
}
