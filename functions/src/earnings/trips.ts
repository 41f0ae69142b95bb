// The earnings step of the booking pipeline, at `completed` or `delivery_failed` (FARE_CHARGED_STATUSES: a failed
// delivery is charged its fare with the return leg, and earns like a completed trip), right after the payments
// step captured the card in the same invocation: no extra trigger run. A card trip adds its fare and the platform's commission to the
// driver's ledger and transfers the share (netting any debt); a cash trip adds the commission as the driver's debt.
// Entry ids derive from the booking, so a retried or repeated event changes nothing.
import type { Timestamp } from "firebase-admin/firestore";
import { FARE_CHARGED_STATUSES } from "../bookings/stateMachine";
import { db, timestamp } from "../common/firebase";
import * as logger from "../common/logger";
import { stripe } from "../payments/stripeClient";
import { appendInTransaction } from "./ledger";
import { commissionFor, type CommissionConfig } from "./ledgerMath";
import { bookingForEarningsSchema, paths } from "./schema";
import { createSourceRecord, settleSource } from "./transfers";

const CAPTURED = ["captured", "partially_refunded", "refunded"];
const STILL_SETTLING = ["requires_action", "authorized"];

/** The commission of the service type's active pricing (validated with it: pricing/configSchema.ts). */
export async function commissionConfig(serviceType: string | undefined): Promise<CommissionConfig | undefined> {
  if (!serviceType) return undefined;
  const active = (await db().doc(paths.pricingActive(serviceType)).get()).get("config.commission");
  return active && typeof active.rateBps === "number" ? (active as CommissionConfig) : undefined;
}

const money = (minor: number, currency: string) => `${(minor / 100).toFixed(2)} ${currency.toUpperCase()}`;

export async function onTripCompleted(bookingId: string, completedAt: Timestamp | undefined): Promise<string> {
  const parsed = bookingForEarningsSchema.safeParse((await db().doc(paths.booking(bookingId)).get()).data());
  if (!parsed.success || !(FARE_CHARGED_STATUSES as readonly string[]).includes(parsed.data.status) || !parsed.data.driverId) return "not a charged trip with a driver";
  const booking = parsed.data;
  const driverId = booking.driverId!;
  // It becomes a document id (earnings/{uid}): a reserved or path-like id is nobody's ledger (and would fail forever).
  if (!/^[^/]{1,128}$/.test(driverId) || /^__.*__$/.test(driverId) || driverId === "." || driverId === "..") {
    logger.error("completed trip with an unusable driverId: no earnings recorded", { bookingId });
    return "not a usable driver id";
  }
  const finalMinor = booking.fare?.finalMinor;
  if (finalMinor == null) throw new Error(`booking ${bookingId}: ${booking.status} without a final fare yet`);
  const currency = booking.fare?.currency ?? "eur";
  const occurredAt = completedAt?.toDate() ?? new Date();
  const config = await commissionConfig(booking.serviceType);

  if (booking.paymentMethod !== "card") {
    const commission = commissionFor(finalMinor, config);
    await db().runTransaction(async (tx) => {
      const recordRef = db().doc(paths.transfer(driverId, bookingId));
      const record = await tx.get(recordRef);
      const append = await appendInTransaction(tx, [
        { driverId, entryId: `cashcommission-${bookingId}`, kind: "cash_commission", amountMinor: -commission, currency, bookingId, occurredAt, note: `Commission on a cash fare of ${money(finalMinor, currency)}` },
      ]);
      append.write();
      if (!record.exists) {
        createSourceRecord(tx, driverId, { source: bookingId, bookingId, kind: "fare", paymentMethod: "cash", chargeId: null, currency, fareMinor: finalMinor, commissionMinor: commission, capMinor: 0, occurredAt: timestampOf(occurredAt), status: "none" });
      }
    });
    return "cash commission recorded";
  }

  const payment = (await db().doc(paths.payment(bookingId)).get()).data();
  if (payment && STILL_SETTLING.includes(payment.status)) throw new Error(`booking ${bookingId}: the card payment is not captured yet`);
  if (!payment || !CAPTURED.includes(payment.status) || typeof payment.intentId !== "string") {
    logger.warn("completed card trip without a captured payment: no earnings recorded", { bookingId, paymentStatus: payment?.status });
    return "no captured payment";
  }
  const intent = await stripe().paymentIntents.retrieve(payment.intentId);
  const chargeId = typeof intent.latest_charge === "string" ? intent.latest_charge : intent.latest_charge?.id ?? null;
  const fareMinor = payment.amountCapturedMinor as number;
  const commission = commissionFor(fareMinor, config);
  const share = fareMinor - commission;
  await db().runTransaction(async (tx) => {
    const recordRef = db().doc(paths.transfer(driverId, bookingId));
    const record = await tx.get(recordRef);
    const append = await appendInTransaction(tx, [
      { driverId, entryId: `fare-${bookingId}`, kind: "fare_share", amountMinor: fareMinor, currency, bookingId, occurredAt, ref: chargeId, note: "Fare (card)" },
      { driverId, entryId: `commission-${bookingId}`, kind: "commission", amountMinor: -commission, currency, bookingId, occurredAt, note: "Platform commission" },
    ]);
    append.write();
    if (!record.exists) {
      // The share may draw on the trip's main charge only (an off-session top-up is a second charge).
      const cap = Math.min(share, intent.amount_received);
      createSourceRecord(tx, driverId, { source: bookingId, bookingId, kind: "fare", paymentMethod: "card", chargeId, currency, fareMinor, commissionMinor: commission, capMinor: cap, occurredAt: timestampOf(occurredAt) });
    }
  });
  return `card share ${await settleSource(driverId, bookingId)}`;
}

const timestampOf = (date: Date): Timestamp => timestamp().fromDate(date);
