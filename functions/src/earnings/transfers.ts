// Separate charges and transfers (docs/payments.md says why): each money source a driver earns from (a card
// trip's charge, a tip's charge) has a record earnings/{uid}/transfers/{source}. Settling it transfers, with the
// charge as source_transaction, what the platform owes the driver (pending, debts netted) up to the source's cap.
//   1. a transaction on the summary decides the amount and reserves it (status transferring, transferredMinor +=);
//   2. the Stripe transfer, keyed by (driver, source, attempt): a retry makes the same request, Stripe answers
//      with the same transfer;
//   3. a transaction records the transfer id (status transferred).
// A driver whose account is not ready keeps the record `waiting`; account.updated settles them once it is.
import type { Transaction } from "firebase-admin/firestore";
import { db, fieldValue } from "../common/firebase";
import * as logger from "../common/logger";
import { isPermanentStripeError, stripe } from "../payments/stripeClient";
import { accountOf } from "./accounts";
import { summaryFields, summaryOf } from "./ledger";
import { pendingTransfer, transferAmount } from "./ledgerMath";
import { paths } from "./schema";

export type TransferStatus = "waiting" | "transferring" | "transferred" | "netted" | "failed" | "none";

export interface SourceRecord {
  source: string;
  bookingId: string | null;
  kind: "fare" | "tip";
  paymentMethod: "card" | "cash";
  chargeId: string | null;
  currency: string;
  fareMinor: number;
  commissionMinor: number;
  /** The most this source may fund (the driver's share of the charge). */
  capMinor: number;
  status: TransferStatus;
  amountMinor: number;
  reversedMinor: number;
  clawbackMinor: number;
  attempt: number;
  transferId: string | null;
  occurredAt: FirebaseFirestore.Timestamp;
}

/** Creates the source record once (inside the caller's transaction, after its reads). */
export function createSourceRecord(tx: Transaction, uid: string, record: Omit<SourceRecord, "status" | "amountMinor" | "reversedMinor" | "clawbackMinor" | "attempt" | "transferId"> & { status?: TransferStatus }) {
  tx.set(db().doc(paths.transfer(uid, record.source)), {
    driverId: uid,
    amountMinor: 0,
    reversedMinor: 0,
    clawbackMinor: 0,
    attempt: 0,
    transferId: null,
    ...record,
    status: record.status ?? "waiting",
    createdAt: fieldValue().serverTimestamp(),
  });
}

type Plan = { transfer: { amount: number; attempt: number; accountId: string; record: SourceRecord } } | { done: TransferStatus };

async function reserve(uid: string, source: string): Promise<Plan> {
  const account = await accountOf(uid);
  const ref = db().doc(paths.transfer(uid, source));
  const summaryRef = db().doc(paths.summary(uid));
  return db().runTransaction(async (tx) => {
    const [snap, summarySnap] = await Promise.all([tx.get(ref), tx.get(summaryRef)]);
    if (!snap.exists) return { done: "none" as const };
    const record = snap.data() as SourceRecord;
    if (record.status === "transferring" && account) return { transfer: { amount: record.amountMinor, attempt: record.attempt, accountId: account.stripeAccountId, record } };
    if (record.status !== "waiting" && record.status !== "failed") return { done: record.status };
    if (!account?.ready || !record.chargeId) {
      if (record.status !== "waiting") tx.update(ref, { status: "waiting" });
      return { done: "waiting" as const };
    }
    const summary = summaryOf(summarySnap.data(), record.currency);
    const amount = transferAmount(pendingTransfer(summary, summary.transferredMinor), record.capMinor - record.clawbackMinor);
    if (amount === 0) {
      tx.update(ref, { status: "netted", amountMinor: 0, settledAt: fieldValue().serverTimestamp() });
      return { done: "netted" as const };
    }
    const attempt = record.attempt + 1;
    tx.update(ref, { status: "transferring", amountMinor: amount, attempt });
    tx.set(summaryRef, summaryFields(uid, { ...summary, transferredMinor: summary.transferredMinor + amount }), { merge: true });
    return { transfer: { amount, attempt, accountId: account.stripeAccountId, record } };
  });
}

/** Settles one source: transfers its part (or records it waiting / netted). Safe to call any number of times. */
export async function settleSource(uid: string, source: string): Promise<TransferStatus> {
  const plan = await reserve(uid, source);
  if ("done" in plan) return plan.done;
  const { amount, attempt, accountId, record } = plan.transfer;
  const ref = db().doc(paths.transfer(uid, source));
  let transferId: string;
  try {
    const transfer = await stripe().transfers.create(
      {
        amount,
        currency: record.currency,
        destination: accountId,
        source_transaction: record.chargeId!,
        ...(record.bookingId ? { transfer_group: record.bookingId } : {}),
        description: `fleetfire ${record.kind} ${source}`,
        metadata: { uid, source, ...(record.bookingId ? { bookingId: record.bookingId } : {}) },
      },
      { idempotencyKey: `transfer-${uid}-${source}-${attempt}` },
    );
    transferId = transfer.id;
  } catch (error) {
    // A concurrent run holding the same key (idempotency conflict) is not a refusal: retry later.
    if (!isPermanentStripeError(error) || (error as { type?: string }).type === "StripeIdempotencyError") throw error;
    // Stripe refused (the account lost its transfers capability, the charge was refunded meanwhile): release the
    // reservation; the record waits for the account's next update.
    logger.error("transfer refused by Stripe: the source waits", { uid, source, amount, error: String(error) });
    await db().runTransaction(async (tx) => {
      const [snap, summarySnap] = await Promise.all([tx.get(ref), tx.get(db().doc(paths.summary(uid)))]);
      if (snap.get("status") !== "transferring" || snap.get("attempt") !== attempt) return;
      const summary = summaryOf(summarySnap.data());
      tx.update(ref, { status: "failed", amountMinor: 0, lastError: String((error as Error).message ?? error).slice(0, 300) });
      tx.set(db().doc(paths.summary(uid)), summaryFields(uid, { ...summary, transferredMinor: summary.transferredMinor - amount }), { merge: true });
    });
    return "failed";
  }
  await db().runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    if (snap.get("status") !== "transferring" || snap.get("attempt") !== attempt) return;
    tx.update(ref, { status: "transferred", transferId, settledAt: fieldValue().serverTimestamp() });
  });
  return "transferred";
}

/** Every source of the driver still waiting (or stuck mid-transfer), in the order they were earned. */
export async function settleWaiting(uid: string): Promise<Record<string, TransferStatus>> {
  const snap = await db().collection(paths.transfers(uid)).where("status", "in", ["waiting", "transferring", "failed"]).get();
  const sources = snap.docs.sort((a, b) => a.get("occurredAt").toMillis() - b.get("occurredAt").toMillis() || (a.id < b.id ? -1 : 1));
  const result: Record<string, TransferStatus> = {};
  for (const doc of sources) result[doc.id] = await settleSource(uid, doc.id);
  return result;
}
