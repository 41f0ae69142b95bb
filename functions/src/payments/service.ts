// Reactions to booking changes (the booking pipeline's payments step calls onBookingWritten): authorise when a card booking
// enters awaiting_payment, capture at completion, void or charge the fee at cancellation. Every Stripe call
// carries an idempotency key derived from the booking, so a redelivered or concurrent trigger makes the same
// request and Stripe answers with the same object: one intent, one capture.
import { db, fieldValue } from "../common/firebase";
import * as logger from "../common/logger";
import { applyObservation, paymentAmountsOf } from "./ledger";
import { authorisationAmount, describeFailure, observeIntent, settlement } from "./paymentState";
import { bookingForPaymentSchema, paths, type BookingForPayment } from "./schema";
import { isPermanentStripeError, isTransientStripeError, stripe, type Stripe } from "./stripeClient";

/**
 * The payments step of the booking pipeline (pipeline/bookingWritten.ts decides the edge). It re-reads the
 * booking: at `completed` the bookings step has just fixed the final fare, at a rider's cancellation the fee.
 * Missing either, it throws, and the event is retried.
 */
export async function onBookingWritten(bookingId: string, edge: "save_card" | "authorise" | "capture" | "settle_cancellation"): Promise<void> {
  const parsed = bookingForPaymentSchema.safeParse((await db().doc(paths.booking(bookingId)).get()).data());
  if (!parsed.success || parsed.data.paymentMethod !== "card") return;
  const booking = parsed.data;
  const fareCharged = booking.status === "completed" || booking.status === "delivery_failed";
  if (edge === "capture" && fareCharged && booking.fare?.finalMinor == null) throw new Error(`booking ${bookingId}: ${booking.status} without a final fare yet`);
  if (edge === "settle_cancellation" && booking.status === "cancelled" && booking.cancellation?.by === "rider" && booking.cancellation.feeMinor == null) {
    throw new Error(`booking ${bookingId}: cancelled without a decided fee yet`);
  }
  try {
    if (edge === "save_card" && booking.status === "scheduled") await (await import("./savedCard")).saveCardForLater(bookingId, booking);
    else if (edge === "authorise" && booking.status === "awaiting_payment") await authorise(bookingId, booking);
    else if (edge === "capture" && fareCharged) await settleCompleted(bookingId, booking);
    else if (edge === "settle_cancellation" && (booking.status === "cancelled" || booking.status === "no_drivers")) await settleCancelled(bookingId, booking);
  } catch (error) {
    // Stripe refused the request itself (invalid state or amount): retrying cannot help, so log for follow-up.
    // Anything else (network, Stripe 5xx, transaction contention) is rethrown and the trigger is retried; the
    // idempotency keys make the retry safe.
    logger.error("payment step failed", { bookingId, status: booking.status, error: String(error) });
    if (!isPermanentStripeError(error)) throw error;
  }
}

/** customers/{uid}.stripeCustomerId, created on first need; the idempotency key makes racing creators agree. */
export async function ensureCustomer(uid: string): Promise<string> {
  const ref = db().doc(paths.customer(uid));
  const existing = (await ref.get()).get("stripeCustomerId");
  if (typeof existing === "string") return existing;
  const customer = await stripe().customers.create({ metadata: { uid } }, { idempotencyKey: `customer-${uid}` });
  return db().runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    const stored = snap.get("stripeCustomerId");
    if (typeof stored === "string") return stored;
    tx.set(ref, { stripeCustomerId: customer.id, createdAt: fieldValue().serverTimestamp() });
    return customer.id;
  });
}

export async function authorise(bookingId: string, booking: BookingForPayment): Promise<void> {
  const existing = await db().doc(paths.payment(bookingId)).get();
  if (existing.get("intentId")) return;
  const estimate = booking.fare?.estimateMinor;
  if (!estimate) {
    await applyObservation(bookingId, { status: "failed", failureReason: "no_fare_estimate: the booking has no fare estimate to authorise" }, { method: "card" });
    return;
  }
  const amount = authorisationAmount(estimate);
  const saved = await (await import("./savedCard")).savedCardOf(bookingId);
  if (saved) {
    await authoriseOffSession(bookingId, booking, amount, saved);
  } else {
    const customer = await ensureCustomer(booking.riderId);
    const intent = await stripe().paymentIntents.create(
      {
        amount,
        currency: booking.fare?.currency ?? "eur",
        customer,
        capture_method: "manual",
        setup_future_usage: "off_session",
        // A trip changed on the way or an hourly hire extended raises this hold (raiseHold) where the card allows.
        payment_method_options: { card: { request_incremental_authorization: "if_available" } },
        description: `fleetfire booking ${bookingId}`,
        metadata: { bookingId, riderId: booking.riderId, kind: "fare" },
      },
      { idempotencyKey: `authorise-${bookingId}` },
    );
    await applyObservation(bookingId, observeIntent(intent), {
      method: "card",
      set: { amountRequestedMinor: amount, customerId: customer },
      also: (tx) =>
        tx.set(db().doc(paths.client(bookingId)), { riderId: booking.riderId, intentId: intent.id, clientSecret: intent.client_secret, updatedAt: fieldValue().serverTimestamp() }, { merge: true }),
    });
  }
  // The rider may have cancelled while the intent was being created: the cancellation trigger found no intent.
  const now = bookingForPaymentSchema.safeParse((await db().doc(paths.booking(bookingId)).get()).data());
  if (now.success && now.data.status === "cancelled") await settleCancelled(bookingId, now.data);
}

export type HoldOutcome = "covered" | "raised" | "declined" | "no_hold";

/**
 * Raises a card booking's hold so that it covers a new estimate (a trip changed on the way, an hourly hire
 * extended): Stripe's incremental authorisation on the same intent, so the capture stays one capture. `declined`
 * when the bank refuses (the hold stays as it was); `no_hold` for cash or a booking without an authorised hold.
 */
export async function raiseHold(bookingId: string, estimateMinor: number): Promise<HoldOutcome> {
  const snap = await db().doc(paths.payment(bookingId)).get();
  const payment = paymentAmountsOf(snap.data());
  const intentId = snap.get("intentId") as string | undefined;
  if (!payment || !intentId || payment.status !== "authorized") return "no_hold";
  const amount = authorisationAmount(estimateMinor);
  if (payment.amountAuthorizedMinor >= amount) return "covered";
  try {
    const intent = await stripe().paymentIntents.incrementAuthorization(intentId, { amount }, { idempotencyKey: `increment-${bookingId}-${amount}` });
    await applyObservation(bookingId, observeIntent(intent), { method: "card", set: { amountRequestedMinor: amount } });
    return "raised";
  } catch (error) {
    if (isTransientStripeError(error)) throw error;
    logger.warn("the card's hold could not be raised", { bookingId, amount, error: String(error) });
    return "declined";
  }
}

/**
 * A far-ahead booking at its lead time: the hold is made off-session on the card saved at booking, nobody has to
 * confirm anything. A refusal (declined, or the bank wants the rider: authentication_required) fails the payment,
 * and the ledger moves the booking awaiting_payment → payment_failed: no dispatch, the rider is notified.
 */
async function authoriseOffSession(bookingId: string, booking: BookingForPayment, amount: number, saved: { customerId: string; paymentMethodId: string }): Promise<void> {
  let observed;
  try {
    const intent = await stripe().paymentIntents.create(
      {
        amount,
        currency: booking.fare?.currency ?? "eur",
        customer: saved.customerId,
        payment_method: saved.paymentMethodId,
        capture_method: "manual",
        off_session: true,
        confirm: true,
        payment_method_options: { card: { request_incremental_authorization: "if_available" } },
        description: `fleetfire booking ${bookingId}`,
        metadata: { bookingId, riderId: booking.riderId, kind: "fare", offSession: "true" },
      },
      { idempotencyKey: `authorise-${bookingId}` },
    );
    observed = observeIntent(intent);
  } catch (error) {
    if (isTransientStripeError(error)) throw error;
    const raw = error as { code?: string; decline_code?: string; message?: string; raw?: { payment_intent?: { id?: string } } };
    const intentId = raw.raw?.payment_intent?.id;
    observed = { status: "failed" as const, ...(intentId ? { intentId } : {}), failureReason: describeFailure(raw) };
  }
  await applyObservation(bookingId, observed, { method: "card", set: { amountRequestedMinor: amount, customerId: saved.customerId, offSession: true } });
}

async function capture(bookingId: string, intentId: string, amount: number): Promise<Stripe.PaymentIntent> {
  try {
    return await stripe().paymentIntents.capture(intentId, { amount_to_capture: amount }, { idempotencyKey: `capture-${bookingId}` });
  } catch (error) {
    // Already captured or voided (e.g. by an earlier run whose idempotency record expired): read the truth.
    if ((error as { code?: string }).code === "payment_intent_unexpected_state") return stripe().paymentIntents.retrieve(intentId);
    throw error;
  }
}

export async function settleCompleted(bookingId: string, booking: BookingForPayment): Promise<void> {
  const snap = await db().doc(paths.payment(bookingId)).get();
  const payment = paymentAmountsOf(snap.data());
  const intentId = snap.get("intentId") as string | undefined;
  const finalMinor = booking.fare?.finalMinor;
  if (!payment || !intentId || finalMinor == null) {
    logger.warn("completed card booking without an authorised payment or final fare", { bookingId });
    return;
  }
  if (payment.status === "captured" || payment.status === "partially_refunded" || payment.status === "refunded") return; // settled already
  if (payment.status !== "authorized") {
    logger.warn("completed card booking whose payment is not authorised", { bookingId, paymentStatus: payment.status });
    return;
  }
  const { captureMinor, extraMinor } = settlement(finalMinor, payment.amountAuthorizedMinor, booking.fare?.maxMinor ?? payment.amountAuthorizedMinor);
  if (captureMinor < finalMinor && extraMinor === 0) logger.warn("final fare above the booking's cap: the excess is not charged", { bookingId, finalMinor, captureMinor });
  const intent = await capture(bookingId, intentId, captureMinor);
  const extraCharge = extraMinor > 0 ? await chargeExtra(bookingId, intent, extraMinor) : undefined;
  const observed = observeIntent(intent);
  await applyObservation(
    bookingId,
    { ...observed, amountCapturedMinor: (observed.amountCapturedMinor ?? 0) + (extraCharge?.status === "succeeded" ? extraMinor : 0) },
    { method: "card", receipt: "fare", ...(extraCharge ? { set: { extraCharge } } : {}) },
  );
}

/**
 * The final fare exceeded the authorisation: the difference is charged off-session to the card saved by the
 * first intent (setup_future_usage). If the bank insists on the rider (authentication_required) or declines,
 * the shortfall is recorded in payments/{id}.extraCharge for follow-up instead of blocking the trip.
 */
async function chargeExtra(bookingId: string, main: Stripe.PaymentIntent, amount: number) {
  try {
    const extra = await chargeOffSession(main, amount, { bookingId, kind: "extra" }, `extra-${bookingId}`);
    return { intentId: extra.id, amountMinor: amount, status: extra.status === "succeeded" ? "succeeded" : "failed" };
  } catch (error) {
    if (isTransientStripeError(error)) throw error;
    const raw = error as { code?: string; decline_code?: string; message?: string; raw?: { payment_intent?: { id?: string } } };
    return { intentId: raw.raw?.payment_intent?.id ?? null, amountMinor: amount, status: "failed", reason: describeFailure(raw) };
  }
}

/** A second PaymentIntent on the card the trip's main intent saved (setup_future_usage), confirmed off-session. */
export function chargeOffSession(main: Stripe.PaymentIntent, amount: number, metadata: Record<string, string>, idempotencyKey: string): Promise<Stripe.PaymentIntent> {
  return stripe().paymentIntents.create(
    {
      amount,
      currency: main.currency,
      customer: typeof main.customer === "string" ? main.customer : main.customer?.id ?? "",
      payment_method: typeof main.payment_method === "string" ? main.payment_method : main.payment_method?.id ?? "",
      off_session: true,
      confirm: true,
      metadata,
    },
    { idempotencyKey },
  );
}

export async function settleCancelled(bookingId: string, booking: BookingForPayment): Promise<void> {
  const snap = await db().doc(paths.payment(bookingId)).get();
  const payment = paymentAmountsOf(snap.data());
  const intentId = snap.get("intentId") as string | undefined;
  if (!payment || !intentId) return; // nothing was authorised yet; authorise() re-checks after creating
  const fee = booking.cancellation?.feeMinor ?? 0;
  if (fee > 0 && payment.status === "authorized") {
    const intent = await capture(bookingId, intentId, Math.min(fee, payment.amountAuthorizedMinor));
    await applyObservation(bookingId, observeIntent(intent), { method: "card", receipt: "cancellation_fee" });
    return;
  }
  if (!["requires_action", "authorized", "failed"].includes(payment.status)) return;
  await voidIntent(bookingId, intentId);
}

/** Cancels the booking's intent (idempotent) and records the result. */
export async function voidIntent(bookingId: string, knownIntentId?: string): Promise<void> {
  const intentId = knownIntentId ?? ((await db().doc(paths.payment(bookingId)).get()).get("intentId") as string | undefined);
  if (!intentId) return;
  let intent: Stripe.PaymentIntent;
  try {
    intent = await stripe().paymentIntents.cancel(intentId, { cancellation_reason: "requested_by_customer" }, { idempotencyKey: `cancel-${bookingId}` });
  } catch (error) {
    if ((error as { code?: string }).code !== "payment_intent_unexpected_state") throw error;
    intent = await stripe().paymentIntents.retrieve(intentId);
  }
  await applyObservation(bookingId, observeIntent(intent), { method: "card" });
}
