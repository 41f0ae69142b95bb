// A refund of a card trip claws back the driver's part of it (in proportion to their share of the fare) and, when
// the share was already transferred, reverses that much of the transfer. charge.refunded only says "something
// was refunded": the refunds themselves are read from Stripe and each one handled once (entry clawback-{refundId},
// reversal keyed by the refund), so events in any order or twice end in the same ledger.
import { db, fieldValue } from "../common/firebase";
import * as logger from "../common/logger";
import { stripe, type Stripe } from "../payments/stripeClient";
import { appendInTransaction } from "./ledger";
import { planClawbacks, reversalAmount } from "./ledgerMath";
import { bookingForEarningsSchema, paths } from "./schema";
import type { SourceRecord } from "./transfers";

interface ClawbackPlan {
  clawbackMinor: number;
  reversalMinor: number;
  reversalId?: string;
}

export async function onChargeRefunded(charge: { payment_intent?: string | null; metadata?: Record<string, string> }): Promise<string> {
  const bookingId = charge.metadata?.bookingId;
  if (!bookingId || !charge.payment_intent || (charge.metadata?.kind && charge.metadata.kind !== "fare")) return "not a trip fare";
  const booking = bookingForEarningsSchema.safeParse((await db().doc(paths.booking(bookingId)).get()).data());
  const driverId = booking.success ? booking.data.driverId : undefined;
  if (!driverId) return "no driver";
  const recordRef = db().doc(paths.transfer(driverId, bookingId));
  const record = (await recordRef.get()).data() as SourceRecord | undefined;
  if (!record || record.paymentMethod !== "card") return "no card earnings for this trip yet";
  const share = record.fareMinor - record.commissionMinor;
  const refunds = (await stripe().refunds.list({ payment_intent: charge.payment_intent, limit: 100 })).data.filter((r: Stripe.Refund) => r.status === "succeeded" || r.status === "pending");
  for (const planned of planClawbacks(refunds, record.fareMinor, share)) await applyRefund(driverId, bookingId, planned);
  return `${refunds.length} refund(s) applied`;
}

async function applyRefund(driverId: string, bookingId: string, refund: { id: string; clawbackMinor: number; created: number }): Promise<void> {
  const recordRef = db().doc(paths.transfer(driverId, bookingId));
  const plan = await db().runTransaction(async (tx) => {
    const snap = await tx.get(recordRef);
    const record = snap.data() as SourceRecord & { clawbacks?: Record<string, ClawbackPlan> };
    const existing = record.clawbacks?.[refund.id];
    if (existing) return { plan: existing, transferId: record.transferId };
    if (record.status === "transferring") throw new Error(`booking ${bookingId}: transfer in flight, refund ${refund.id} waits`);
    const append = await appendInTransaction(tx, [
      {
        driverId,
        entryId: `clawback-${refund.id}`,
        kind: "refund_clawback",
        amountMinor: -refund.clawbackMinor,
        currency: record.currency,
        bookingId,
        occurredAt: new Date(refund.created * 1000),
        ref: refund.id,
        note: "Your part of a refund to the rider",
      },
    ]);
    const reversal = record.status === "transferred" ? reversalAmount(refund.clawbackMinor, record.amountMinor, record.reversedMinor) : 0;
    const plan: ClawbackPlan = { clawbackMinor: refund.clawbackMinor, reversalMinor: reversal };
    append.write({ ...append.summary, transferredMinor: append.summary.transferredMinor - reversal });
    tx.update(recordRef, {
      [`clawbacks.${refund.id}`]: plan,
      clawbackMinor: record.clawbackMinor + refund.clawbackMinor,
      reversedMinor: record.reversedMinor + reversal,
    });
    return { plan, transferId: record.transferId };
  });
  if (plan.plan.reversalMinor > 0 && !plan.plan.reversalId && plan.transferId) {
    const reversal = await stripe().transfers.createReversal(
      plan.transferId,
      { amount: plan.plan.reversalMinor, metadata: { uid: driverId, bookingId, refundId: refund.id } },
      { idempotencyKey: `reversal-${refund.id}` },
    );
    await recordRef.update({ [`clawbacks.${refund.id}.reversalId`]: reversal.id, updatedAt: fieldValue().serverTimestamp() });
    logger.info("transfer reversed after a refund", { driverId, bookingId, refundId: refund.id, amount: plan.plan.reversalMinor });
  }
}
