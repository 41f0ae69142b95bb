// The earnings side of stripeWebhook (payments/webhook.ts verifies the signature, then hands these events here).
// Every handler re-reads Stripe's truth or writes entries with ids derived from Stripe's objects, so a replay
// or an out-of-order delivery converges on the same ledger; a marker (processedEvents/stripeEarnings__{id}) written
// after success makes an exact replay a no-op. A thrown error answers 500 and Stripe delivers again.
import { db, fieldValue, timestamp } from "../common/firebase";
import { eventMarkerPath } from "../common/idempotency";
import * as logger from "../common/logger";
import type { Stripe } from "../payments/stripeClient";
import { syncAccount } from "./accounts";
import { onPayoutEvent } from "./payouts";
import { onChargeRefunded } from "./refunds";
import { paths } from "./schema";
import { settleWaiting } from "./transfers";

export interface EarningsEvent {
  id: string;
  type: string;
  account?: string;
  data: { object: Record<string, unknown> };
}

const MARKER_SCOPE = "stripeEarnings";

export async function handleEarningsEvent(event: EarningsEvent): Promise<string> {
  const marker = db().doc(eventMarkerPath(MARKER_SCOPE, event.id));
  if ((await marker.get()).exists) return "duplicate_event";
  const outcome = await dispatch(event);
  await marker.set({ scope: MARKER_SCOPE, eventId: event.id, type: event.type, outcome, processedAt: fieldValue().serverTimestamp(), expireAt: timestamp().fromMillis(Date.now() + 7 * 86_400_000) });
  logger.info("Stripe earnings event processed", { eventId: event.id, type: event.type, outcome });
  return outcome;
}

async function dispatch(event: EarningsEvent): Promise<string> {
  const object = event.data.object;
  switch (event.type) {
    case "account.updated": {
      const synced = await syncAccount(String(object.id));
      if (!synced) return "unknown account";
      if (!synced.status.ready) return "account not ready";
      const settled = await settleWaiting(synced.uid);
      return `account ready; settled ${Object.keys(settled).length} source(s)`;
    }
    case "transfer.created":
    case "transfer.updated":
    case "transfer.reversed":
      return acknowledgeTransfer(object as unknown as Stripe.Transfer);
    case "payout.created":
    case "payout.updated":
    case "payout.paid":
    case "payout.failed":
    case "payout.canceled":
      return onPayoutEvent(event.account, object as unknown as Stripe.Payout);
    case "charge.refunded":
      return onChargeRefunded(object as { payment_intent?: string; metadata?: Record<string, string> });
    default:
      // application_fee.*: fleetfire uses separate charges and transfers, so it takes no application fees.
      return "ignored: no application fees in separate charges and transfers";
  }
}

/**
 * transfer.*: the API answer already recorded the transfer; this completes a record left `transferring` by a
 * crash between the Stripe call and the write (same source, same amount).
 */
async function acknowledgeTransfer(transfer: Pick<Stripe.Transfer, "id" | "amount" | "metadata">): Promise<string> {
  const uid = transfer.metadata?.uid;
  const source = transfer.metadata?.source;
  if (!uid || !source) return "transfer without fleetfire metadata";
  const ref = db().doc(paths.transfer(uid, source));
  return db().runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    if (snap.get("status") === "transferring" && snap.get("amountMinor") === transfer.amount) {
      tx.update(ref, { status: "transferred", transferId: transfer.id, settledAt: fieldValue().serverTimestamp() });
      return "transfer recorded";
    }
    return snap.get("transferId") === transfer.id ? "transfer known" : "transfer not matched";
  });
}
