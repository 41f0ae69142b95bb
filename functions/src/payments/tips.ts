// Tips: callable tipDriver (the trip's rider, after completion, within the window, once, bounded by the admin's
// cap) and the one writer of tips/{bookingId}, applyTip. 100 % of the tip is the driver's: the record carries
// the whole amount and the earnings ledger credits it as is.
//
// How the money moves: a card trip's tip is charged at once, off-session, on the card the trip's authorisation
// saved (setup_future_usage); a cash trip's tip (or a card the bank wants confirmed on-session) is a
// PaymentIntent whose client secret the app confirms with Stripe. Either way the PaymentIntent carries
// metadata {bookingId, kind: "tip"}; its answer or its webhook reaches applyTip, which moves the record forward
// only and, at `succeeded`, issues the tip's own receipt (receipts/tip-{bookingId}) in the same transaction.
import { HttpsError, type CallableRequest } from "firebase-functions/v2/https";
import type { DocumentData } from "firebase-admin/firestore";
import { db, fieldValue } from "../common/firebase";
import * as logger from "../common/logger";
import { validate } from "../common/validation";
import { settings } from "./config";
import { prepareReceipt } from "./receipts";
import { bookingForPaymentSchema, paths, tipDriverInputSchema, type TipDriverOutput } from "./schema";
import { ensureCustomer } from "./service";
import { isTransientStripeError, stripe, type Stripe } from "./stripeClient";
import { checkTip, mergeTip, observeTipIntent, type TipObservation, type TipState, type TipStatus } from "./tipPolicy";

type Request = Pick<CallableRequest, "auth" | "data">;

/** The stored tip, as tips/{bookingId} holds it. */
interface TipRecord extends TipState {
  bookingId: string;
  riderId: string;
  driverId: string;
  amountMinor: number;
  currency: string;
  bookingPaymentMethod: "card" | "cash";
}

const millisOf = (value: unknown): number | undefined =>
  value && typeof (value as { toMillis?: unknown }).toMillis === "function" ? (value as { toMillis: () => number }).toMillis() : undefined;

export async function tipDriver(request: Request, nowMs = Date.now()): Promise<TipDriverOutput> {
  const input = validate(tipDriverInputSchema, request.data);
  if (!request.auth) throw new HttpsError("unauthenticated", "Sign in first.");
  const uid = request.auth.uid;
  const snap = await db().doc(paths.booking(input.bookingId)).get();
  if (!snap.exists) throw new HttpsError("not-found", `No booking ${input.bookingId}.`);
  const parsed = bookingForPaymentSchema.safeParse(snap.data());
  if (!parsed.success) throw new HttpsError("failed-precondition", "The booking is not in a payable shape.");
  const booking = parsed.data;
  if (booking.riderId !== uid) throw new HttpsError("permission-denied", "Only the trip's rider tips its driver.");
  if (booking.status !== "completed") throw new HttpsError("failed-precondition", `The booking is ${booking.status}; tips are for completed trips.`);
  const driverId = booking.driverId;
  const fareMinor = booking.fare?.finalMinor;
  if (!driverId || fareMinor == null) throw new HttpsError("failed-precondition", "The trip has no driver or no final fare.");

  const check = checkTip({ amountMinor: input.amountMinor, fareMinor, completedAtMs: millisOf(snap.get("timeline.completed")), nowMs, settings: await settings.tips() });
  if (!check.ok) {
    if (check.code === "invalid-argument") {
      throw new HttpsError("invalid-argument", `amountMinor ${check.message}.`, { issues: [{ path: "amountMinor", message: check.message }], minMinor: check.minMinor, maxMinor: check.maxMinor });
    }
    throw new HttpsError("failed-precondition", check.message, { reason: check.reason });
  }

  const record = await claimTip(input.bookingId, {
    bookingId: input.bookingId,
    riderId: uid,
    driverId,
    amountMinor: input.amountMinor,
    currency: booking.fare?.currency ?? "eur",
    bookingPaymentMethod: booking.paymentMethod ?? "cash",
    status: "pending",
    intentId: null,
    failureReason: null,
  });

  let intent: Stripe.PaymentIntent;
  try {
    intent = await chargeTip(record);
  } catch (error) {
    if (isTransientStripeError(error)) throw new HttpsError("unavailable", "Stripe is unreachable; try again.");
    // Stripe refused the request itself: no money moved, so the claim is released and the rider may try again.
    await db().runTransaction(async (tx) => {
      const ref = db().doc(paths.tip(input.bookingId));
      if ((await tx.get(ref)).get("status") === "pending") tx.delete(ref);
    });
    logger.error("tip refused by Stripe", { bookingId: input.bookingId, error: String(error) });
    throw new HttpsError("failed-precondition", `Stripe refused the tip: ${(error as Error).message}`);
  }
  const applied = await applyTip(input.bookingId, observeTipIntent(intent), { clientSecret: intent.client_secret });
  const state = applied.tip ?? record;
  return outputOf({ ...record, ...state }, state.status === "succeeded" ? null : intent.client_secret, applied.receiptNumberText ?? (await receiptNumberOf(input.bookingId)));
}

/**
 * Creates tips/{bookingId} once. An existing tip of the same amount that is not charged yet is the same tip (a
 * retried call, or the app confirming again): it is resumed with the same Stripe idempotency key. Anything else
 * is a second tip, refused.
 */
async function claimTip(bookingId: string, fresh: TipRecord): Promise<TipRecord> {
  const ref = db().doc(paths.tip(bookingId));
  return db().runTransaction(async (tx) => {
    const existing = (await tx.get(ref)).data() as TipRecord | undefined;
    if (existing) {
      if (existing.status === "succeeded" || existing.amountMinor !== fresh.amountMinor) {
        throw new HttpsError("failed-precondition", "This trip already has a tip.", { reason: "already_tipped", tipStatus: existing.status, amountMinor: existing.amountMinor });
      }
      return existing;
    }
    const now = fieldValue().serverTimestamp();
    tx.create(ref, { ...fresh, driverShareMinor: fresh.amountMinor, receiptId: null, createdAt: now, updatedAt: now, succeededAt: null });
    return fresh;
  });
}

/** Off-session on the trip's saved card when there is one; otherwise an intent the app confirms. */
async function chargeTip(tip: TipRecord): Promise<Stripe.PaymentIntent> {
  const metadata = { bookingId: tip.bookingId, riderId: tip.riderId, driverId: tip.driverId, kind: "tip" };
  const base = { amount: tip.amountMinor, currency: tip.currency, description: `fleetfire tip for booking ${tip.bookingId}`, metadata };
  const key = `tip-${tip.bookingId}`;
  const mainIntentId = (await db().doc(paths.payment(tip.bookingId)).get()).get("intentId");
  if (tip.bookingPaymentMethod === "card" && typeof mainIntentId === "string") {
    const main = await stripe().paymentIntents.retrieve(mainIntentId);
    const customer = typeof main.customer === "string" ? main.customer : main.customer?.id;
    const paymentMethod = typeof main.payment_method === "string" ? main.payment_method : main.payment_method?.id;
    if (customer && paymentMethod) {
      try {
        return await stripe().paymentIntents.create({ ...base, customer, payment_method: paymentMethod, off_session: true, confirm: true }, { idempotencyKey: key });
      } catch (error) {
        // The bank wants the rider (authentication_required) or declined: the same intent, now waiting for a
        // payment method, is what the app confirms on-session.
        const failed = (error as { type?: string; raw?: { payment_intent?: { id?: string } } }).raw?.payment_intent?.id;
        if ((error as { type?: string }).type === "StripeCardError" && failed) return stripe().paymentIntents.retrieve(failed);
        throw error;
      }
    }
  }
  const customer = await ensureCustomer(tip.riderId);
  return stripe().paymentIntents.create({ ...base, customer }, { idempotencyKey: key });
}

/**
 * The one writer of tips/{bookingId} after its creation: merges what Stripe says (forward only), mirrors the tip
 * on payments/{bookingId}.tip, stores the client secret for the rider, records the Stripe event and, at
 * `succeeded`, issues the tip's receipt — all in one transaction, so a replayed or out-of-order event changes
 * nothing.
 */
export async function applyTip(
  bookingId: string,
  observed: TipObservation,
  options: { stripeEvent?: { id: string; type: string }; clientSecret?: string | null } = {},
): Promise<{ outcome: "applied" | "unchanged" | "duplicate_event" | "no_tip"; tip?: TipRecord; receiptNumberText?: string }> {
  const tipRef = db().doc(paths.tip(bookingId));
  const eventRef = options.stripeEvent ? db().doc(paths.stripeEvent(options.stripeEvent.id)) : undefined;
  return db().runTransaction(async (tx) => {
    if (eventRef && (await tx.get(eventRef)).exists) return { outcome: "duplicate_event" as const };
    const [tipSnap, bookingSnap] = await Promise.all([tx.get(tipRef), tx.get(db().doc(paths.booking(bookingId)))]);
    const recordEvent = (outcome: string) =>
      eventRef && tx.create(eventRef, { type: options.stripeEvent!.type, bookingId, kind: "tip", outcome, receivedAt: fieldValue().serverTimestamp() });
    const current = tipSnap.data() as (TipRecord & DocumentData) | undefined;
    const booking = bookingForPaymentSchema.safeParse(bookingSnap.data());
    if (!current || !booking.success || (observed.intentId && current.intentId && observed.intentId !== current.intentId)) {
      logger.warn("tip observation without its tip", { bookingId, intentId: observed.intentId ?? null });
      recordEvent("no_tip");
      return { outcome: "no_tip" as const };
    }
    const { next, changed } = mergeTip({ status: current.status, intentId: current.intentId ?? null, failureReason: current.failureReason ?? null }, observed);
    const receiptId = paths.tipReceiptId(bookingId);
    const receipt = next.status === "succeeded" ? await prepareReceipt(tx, bookingId, current.riderId, receiptId) : undefined;

    const now = fieldValue().serverTimestamp();
    if (changed) {
      tx.update(tipRef, {
        ...next,
        updatedAt: now,
        ...(next.status === "succeeded" && current.status !== "succeeded" ? { succeededAt: now, receiptId } : {}),
      });
      tx.set(db().doc(paths.payment(bookingId)), { riderId: current.riderId, tip: { amountMinor: current.amountMinor, status: next.status, intentId: next.intentId }, updatedAt: now }, { merge: true });
    }
    if (options.clientSecret && next.status !== "succeeded") {
      tx.set(db().doc(paths.client(bookingId)), { riderId: current.riderId, tip: { intentId: next.intentId, clientSecret: options.clientSecret }, updatedAt: now }, { merge: true });
    }
    let receiptNumberText: string | undefined;
    if (receipt) {
      const tipAmounts = { status: "captured" as const, amountAuthorizedMinor: current.amountMinor, amountCapturedMinor: current.amountMinor, amountRefundedMinor: 0 };
      receiptNumberText = receipt.write({ booking: { ...booking.data, fare: { ...booking.data.fare, currency: current.currency } }, payment: tipAmounts, method: "card", kind: "tip" });
    }
    recordEvent(changed ? "applied" : "unchanged");
    const tip: TipRecord = { ...current, ...next };
    return { outcome: changed ? ("applied" as const) : ("unchanged" as const), tip, ...(receiptNumberText ? { receiptNumberText } : {}) };
  });
}

async function receiptNumberOf(bookingId: string): Promise<string | null> {
  return ((await db().doc(paths.receipt(paths.tipReceiptId(bookingId))).get()).get("numberText") as string | undefined) ?? null;
}

function outputOf(tip: TipRecord & { status: TipStatus }, clientSecret: string | null | undefined, receiptNumberText: string | null): TipDriverOutput {
  const succeeded = tip.status === "succeeded";
  return {
    bookingId: tip.bookingId,
    amountMinor: tip.amountMinor,
    currency: tip.currency,
    status: tip.status === "pending" ? "requires_action" : tip.status,
    clientSecret: succeeded ? null : (clientSecret ?? null),
    failureReason: succeeded ? null : (tip.failureReason ?? null),
    receiptId: succeeded ? paths.tipReceiptId(tip.bookingId) : null,
    receiptNumberText: succeeded ? receiptNumberText : null,
  };
}
