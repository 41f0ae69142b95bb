// A paid tip is the driver's in full: tips/{bookingId} (payments/tips.ts, the one writer) reaching `succeeded`
// appends a `tip` entry to the driver's ledger and transfers it with the tip's own charge as source_transaction.
// Ids derive from the booking (entry tip-{bookingId}, source tip-{bookingId}), so a replayed event adds nothing.
import type { DocumentData } from "firebase-admin/firestore";
import { db, timestamp } from "../common/firebase";
import * as logger from "../common/logger";
import { stripe } from "../payments/stripeClient";
import { appendInTransaction } from "./ledger";
import { paths } from "./schema";
import { createSourceRecord, settleSource, type TransferStatus } from "./transfers";

export async function onTipWritten(bookingId: string, tip: DocumentData | undefined): Promise<TransferStatus | "not paid"> {
  if (!tip || tip.status !== "succeeded" || typeof tip.driverId !== "string") return "not paid";
  const driverId = tip.driverId;
  const amount = Number(tip.driverShareMinor ?? tip.amountMinor);
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    logger.error("a paid tip without a positive amount: not in the ledger", { bookingId });
    return "not paid";
  }
  const source = `tip-${bookingId}`;
  const currency = String(tip.currency ?? "eur");
  const occurredAt: Date = tip.succeededAt?.toDate?.() ?? new Date();
  const intent = typeof tip.intentId === "string" ? await stripe().paymentIntents.retrieve(tip.intentId) : undefined;
  const chargeId = typeof intent?.latest_charge === "string" ? intent.latest_charge : intent?.latest_charge?.id ?? null;
  await db().runTransaction(async (tx) => {
    const record = await tx.get(db().doc(paths.transfer(driverId, source)));
    const append = await appendInTransaction(tx, [
      { driverId, entryId: source, kind: "tip", amountMinor: amount, currency, bookingId, occurredAt, ref: chargeId, note: "Tip (100 % yours)" },
    ]);
    append.write();
    if (!record.exists) {
      createSourceRecord(tx, driverId, { source, bookingId, kind: "tip", paymentMethod: "card", chargeId, currency, fareMinor: amount, commissionMinor: 0, capMinor: amount, occurredAt: timestamp().fromDate(occurredAt) });
    }
  });
  return settleSource(driverId, source);
}
