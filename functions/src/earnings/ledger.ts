// The one writer of a driver's ledger. `appendEarning` (and its batch form) adds entries in ONE transaction with
// the summary earnings/{uid}, so `balanceMinor` always equals the sum of the entries. Entries are append-only and
// carry deterministic ids chosen by the caller from their cause (fare-{bookingId}, payout-{payoutId}, tip-{…}):
// an id already present is skipped, so a retried trigger or a replayed webhook never counts twice.
//
// Other domains (tips) call:
//   const { appendEarning } = await import("../earnings/ledger");
//   await appendEarning({ driverId, entryId: `tip-${tipId}`, kind: "tip", amountMinor, currency, bookingId,
//                         occurredAt, ref: chargeId, note: "Tip" });
//   and, to pay it out with the tip's charge as source: (await import("../earnings/transfers")).settleSource(…)
import type { DocumentData, Transaction } from "firebase-admin/firestore";
import { db, fieldValue, timestamp } from "../common/firebase";
import * as logger from "../common/logger";
import { timeZone } from "../analytics/timeZone";
import { addEntries, EMPTY_TOTALS, pendingTransfer, weekIdOf, type LedgerTotals } from "./ledgerMath";
import { earningInputSchema, paths, type EarningInput } from "./schema";

export interface Summary extends LedgerTotals {
  currency: string;
  transferredMinor: number;
}

export function summaryOf(data: DocumentData | undefined, currency = "eur"): Summary {
  return {
    currency: data?.currency ?? currency,
    balanceMinor: data?.balanceMinor ?? 0,
    paidOutMinor: data?.paidOutMinor ?? 0,
    entryCount: data?.entryCount ?? 0,
    transferredMinor: data?.transferredMinor ?? 0,
  };
}

/** The summary's fields as written: the derived ones (pending, owed) recomputed from the totals every time. */
export function summaryFields(driverId: string, summary: Summary): Record<string, unknown> {
  const pending = pendingTransfer(summary, summary.transferredMinor);
  return {
    driverId,
    currency: summary.currency,
    balanceMinor: summary.balanceMinor,
    paidOutMinor: summary.paidOutMinor,
    entryCount: summary.entryCount,
    transferredMinor: summary.transferredMinor,
    pendingTransferMinor: pending,
    owedToPlatformMinor: Math.max(0, -pending),
    updatedAt: fieldValue().serverTimestamp(),
  };
}

export interface AppendResult {
  appended: string[];
  summary: Summary;
}

/**
 * Appends entries (all for one driver) inside `tx`, after reading what it needs: call before any write of the
 * transaction. Returns the summary after the entries; the caller may change it further and must then write it
 * with `summaryFields` (writeSummary does).
 */
export async function appendInTransaction(tx: Transaction, inputs: readonly EarningInput[]): Promise<AppendResult & { write: (summary?: Summary) => void }> {
  const parsed = inputs.map((i) => earningInputSchema.parse(i));
  const driverId = parsed[0]?.driverId;
  if (!driverId || parsed.some((p) => p.driverId !== driverId)) throw new Error("appendEarnings: one driver per call");
  const summaryRef = db().doc(paths.summary(driverId));
  const refs = parsed.map((p) => db().doc(paths.entry(driverId, p.entryId)));
  const [summarySnap, ...existing] = await Promise.all([tx.get(summaryRef), ...refs.map((r) => tx.get(r))]);
  const before = summaryOf(summarySnap.data(), parsed[0]!.currency);
  const fresh = parsed.filter((p, i) => {
    const stored = existing[i]!;
    if (!stored.exists) return true;
    if (stored.get("amountMinor") !== p.amountMinor || stored.get("kind") !== p.kind) {
      logger.error("ledger entry exists with other values: kept as it is", { driverId, entryId: p.entryId, stored: stored.get("amountMinor"), asked: p.amountMinor });
    }
    return false;
  });
  const unique = fresh.filter((p, i) => fresh.findIndex((q) => q.entryId === p.entryId) === i);
  const totals = addEntries(before, unique);
  const after: Summary = { ...before, ...totals };
  return {
    appended: unique.map((p) => p.entryId),
    summary: after,
    write: (summary = after) => {
      unique.forEach((p, i) => {
        tx.create(db().doc(paths.entry(driverId, p.entryId)), {
          driverId,
          kind: p.kind,
          amountMinor: p.amountMinor,
          currency: p.currency,
          bookingId: p.bookingId,
          note: p.note,
          ref: p.ref,
          occurredAt: timestamp().fromDate(p.occurredAt),
          weekId: weekIdOf(p.occurredAt, timeZone()),
          seq: before.entryCount + i + 1,
          createdAt: fieldValue().serverTimestamp(),
        });
      });
      tx.set(summaryRef, { ...summaryFields(driverId, summary), ...(unique.length ? { lastEntryAt: fieldValue().serverTimestamp() } : {}) }, { merge: true });
    },
  };
}

/** Appends entries for one driver in their own transaction; returns the ids actually added. */
export async function appendEarnings(inputs: readonly EarningInput[]): Promise<AppendResult> {
  if (!inputs.length) throw new Error("appendEarnings: nothing to append");
  return db().runTransaction(async (tx) => {
    const result = await appendInTransaction(tx, inputs);
    if (result.appended.length) result.write();
    return { appended: result.appended, summary: result.summary };
  });
}

/** Appends one entry; true when it was added, false when that id was already in the ledger. */
export async function appendEarning(input: EarningInput): Promise<boolean> {
  return (await appendEarnings([input])).appended.length === 1;
}

export { EMPTY_TOTALS };
