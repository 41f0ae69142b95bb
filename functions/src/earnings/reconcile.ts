// The nightly reconciliation: for every driver with a Connect account, the ledger against Stripe's balance
// transactions on that account, and the ledger against itself. Every difference is listed in
// earningsReconciliations/{day} (admins read it); `ok` is true when there is none.
//   - transfers: Σ (transferred − reversed) over the transfer records  vs  Σ transfer + transfer_refund on Stripe,
//     and every Stripe transfer id known to a record;
//   - payouts:   paidOutMinor (payout entries)  vs  −Σ payout + payout_failure on Stripe;
//   - balance:   the summary's balanceMinor  vs  Σ of the entries.
import { db, fieldValue } from "../common/firebase";
import * as logger from "../common/logger";
import { timeZone } from "../analytics/timeZone";
import { stripe, type Stripe } from "../payments/stripeClient";
import { localDate } from "./ledgerMath";
import { paths } from "./schema";

export interface Difference {
  driverId: string;
  accountId: string;
  what: "transfers" | "payouts" | "balance" | "unknown_transfer";
  ledgerMinor: number;
  stripeMinor: number;
  detail: string;
}

export async function reconcileDriver(uid: string, accountId: string): Promise<Difference[]> {
  const differences: Difference[] = [];
  const [summarySnap, entries, transfers] = await Promise.all([
    db().doc(paths.summary(uid)).get(),
    db().collection(paths.entries(uid)).get(),
    db().collection(paths.transfers(uid)).get(),
  ]);
  const summary = summarySnap.data() ?? {};
  const entrySum = entries.docs.reduce((sum, d) => sum + (d.get("amountMinor") as number), 0);
  const paidOut = -entries.docs.filter((d) => d.get("kind") === "payout").reduce((sum, d) => sum + (d.get("amountMinor") as number), 0);
  if ((summary.balanceMinor ?? 0) !== entrySum) {
    differences.push({ driverId: uid, accountId, what: "balance", ledgerMinor: summary.balanceMinor ?? 0, stripeMinor: entrySum, detail: "summary balance differs from the sum of the entries" });
  }
  const known = new Set<string>();
  let ledgerTransfers = 0;
  for (const doc of transfers.docs) {
    const transferId = doc.get("transferId");
    if (typeof transferId === "string") {
      known.add(transferId);
      ledgerTransfers += (doc.get("amountMinor") as number) - (doc.get("reversedMinor") as number);
    }
  }
  const txns: Stripe.BalanceTransaction[] = [];
  for await (const txn of stripe().balanceTransactions.list({ limit: 100 }, { stripeAccount: accountId })) txns.push(txn);
  const sum = (types: string[]) => txns.filter((t) => types.includes(t.type)).reduce((s, t) => s + t.amount, 0);
  const stripeTransfers = sum(["transfer", "transfer_refund"]);
  const stripePayouts = -sum(["payout", "payout_failure"]);
  if (ledgerTransfers !== stripeTransfers) {
    differences.push({ driverId: uid, accountId, what: "transfers", ledgerMinor: ledgerTransfers, stripeMinor: stripeTransfers, detail: "net transfers (after reversals) differ" });
  }
  if (paidOut !== stripePayouts) {
    differences.push({ driverId: uid, accountId, what: "payouts", ledgerMinor: paidOut, stripeMinor: stripePayouts, detail: "net payouts (after failures) differ" });
  }
  for (const txn of txns) {
    const source = typeof txn.source === "string" ? txn.source : txn.source?.id;
    if (txn.type === "transfer" && source && !known.has(source)) {
      differences.push({ driverId: uid, accountId, what: "unknown_transfer", ledgerMinor: 0, stripeMinor: txn.amount, detail: `Stripe transfer ${source} has no ledger record` });
    }
  }
  return differences;
}

export function dayId(at: Date): string {
  const { year, month, day } = localDate(at, timeZone());
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** Reconciles every driver account; writes and returns the report. `onlyDrivers` narrows it (tests). */
export async function reconcileEarnings(now = new Date(), onlyDrivers?: string[]): Promise<{ day: string; ok: boolean; differences: Difference[]; accounts: number }> {
  const accounts = await db().collection("driverAccounts").get();
  const differences: Difference[] = [];
  let checked = 0;
  for (const doc of accounts.docs) {
    const accountId = doc.get("stripeAccountId");
    if (typeof accountId !== "string" || (onlyDrivers && !onlyDrivers.includes(doc.id))) continue;
    checked += 1;
    try {
      differences.push(...(await reconcileDriver(doc.id, accountId)));
    } catch (error) {
      logger.error("reconciliation of a driver failed", { uid: doc.id, error: String(error) });
      differences.push({ driverId: doc.id, accountId, what: "transfers", ledgerMinor: 0, stripeMinor: 0, detail: `could not read Stripe: ${String(error).slice(0, 200)}` });
    }
  }
  const day = dayId(now);
  const report = { day, ok: differences.length === 0, differences, accounts: checked };
  await db().doc(paths.reconciliation(day)).set({ ...report, checkedAt: fieldValue().serverTimestamp() });
  if (!report.ok) logger.warn("earnings reconciliation found differences", { day, count: differences.length });
  return report;
}
