// Payouts from the driver's Stripe account to their bank. Accounts on a manual schedule are paid by the platform
// (payDriver, from the daily job); on an automatic schedule Stripe pays and only the events arrive. Either way:
//   payout-{id}        −amount  (kind payout) once the payout exists (created, paid, or failed: whichever comes first)
//   payoutfailed-{id}  +amount  (kind payout) when it failed: the money is back on the account
// A failed platform payout is retried once per failure (idempotency key payout-retry-{failedId}), up to
// MAX_PAYOUT_ATTEMPTS. Both outcomes reach the driver's inbox (notify, keyed by the payout).
import { db, fieldValue } from "../common/firebase";
import * as logger from "../common/logger";
import { notify } from "../notifications/notify";
import { stripe, type Stripe } from "../payments/stripeClient";
import { accountOf, ownerOf } from "./accounts";
import { appendInTransaction, summaryOf } from "./ledger";
import { paths } from "./schema";

export const MAX_PAYOUT_ATTEMPTS = 3;
const STATUS_RANK: Record<string, number> = { pending: 0, in_transit: 1, paid: 2, failed: 3, canceled: 3 };

type PayoutLike = Pick<Stripe.Payout, "id" | "amount" | "currency" | "status" | "created" | "failure_code" | "method"> & { metadata?: Stripe.Metadata | null };

const money = (minor: number, currency: string) => `${(minor / 100).toFixed(2)} ${currency.toUpperCase()}`;

/** Records what Stripe says about a payout (ledger entries, the payout document). Returns whether it failed now. */
export async function recordPayout(uid: string, payout: PayoutLike): Promise<{ failedNow: boolean; paidNow: boolean }> {
  const ref = db().doc(paths.payout(uid, payout.id));
  return db().runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    const failed = payout.status === "failed" || payout.status === "canceled";
    const occurredAt = new Date(payout.created * 1000);
    const entries = [
      { driverId: uid, entryId: `payout-${payout.id}`, kind: "payout" as const, amountMinor: -payout.amount, currency: payout.currency, occurredAt, ref: payout.id, note: `Payout to your bank (${payout.method ?? "standard"})` },
      ...(failed ? [{ driverId: uid, entryId: `payoutfailed-${payout.id}`, kind: "payout" as const, amountMinor: payout.amount, currency: payout.currency, occurredAt, ref: payout.id, note: `Payout failed (${payout.failure_code ?? "failed"}): back on your balance` }] : []),
    ];
    const append = await appendInTransaction(tx, entries);
    append.write();
    const stored = snap.get("status") as string | undefined;
    const status = stored && STATUS_RANK[stored]! >= (STATUS_RANK[payout.status] ?? 0) ? stored : payout.status;
    tx.set(
      ref,
      {
        driverId: uid,
        payoutId: payout.id,
        amountMinor: payout.amount,
        currency: payout.currency,
        status,
        failureCode: payout.failure_code ?? snap.get("failureCode") ?? null,
        attempt: Number(payout.metadata?.attempt ?? snap.get("attempt") ?? 1),
        retryOf: payout.metadata?.retryOf ?? snap.get("retryOf") ?? null,
        createdAt: snap.get("createdAt") ?? fieldValue().serverTimestamp(),
        updatedAt: fieldValue().serverTimestamp(),
      },
      { merge: true },
    );
    return { failedNow: status !== stored && (status === "failed" || status === "canceled"), paidNow: status !== stored && status === "paid" };
  });
}

/** Pays out the account's available balance (manual schedule). The key follows the ledger's state: same state, same payout. */
export async function payDriver(uid: string, options: { retryOf?: PayoutLike } = {}): Promise<PayoutLike | undefined> {
  const account = await accountOf(uid);
  if (!account?.payoutsEnabled) return undefined;
  const stripeAccount = account.stripeAccountId;
  let amount: number;
  let key: string;
  let attempt = 1;
  if (options.retryOf) {
    attempt = Number(options.retryOf.metadata?.attempt ?? 1) + 1;
    if (attempt > MAX_PAYOUT_ATTEMPTS) return undefined;
    amount = options.retryOf.amount;
    key = `payout-retry-${options.retryOf.id}`;
  } else {
    const balance = await stripe().balance.retrieve({}, { stripeAccount });
    amount = balance.available.filter((b) => b.currency === "eur").reduce((sum, b) => sum + b.amount, 0);
    const summary = summaryOf((await db().doc(paths.summary(uid)).get()).data());
    // entryCount moves with every payout entry (a failure adds one), so a new state never reuses a failed payout's key.
    key = `payout-${uid}-${summary.entryCount}-${summary.transferredMinor}`;
  }
  if (amount <= 0) return undefined;
  const payout = await stripe().payouts.create(
    { amount, currency: "eur", method: "standard", metadata: { uid, attempt: String(attempt), ...(options.retryOf ? { retryOf: options.retryOf.id } : {}) } },
    { stripeAccount, idempotencyKey: key },
  );
  await recordPayout(uid, payout);
  return payout;
}

/** payout.created / payout.updated / payout.paid / payout.failed on a driver's account. */
export async function onPayoutEvent(accountId: string | undefined, payout: PayoutLike): Promise<string> {
  const uid = accountId ? await ownerOf(accountId) : payout.metadata?.uid;
  if (!uid) return "payout of an account no driver owns";
  const { failedNow, paidNow } = await recordPayout(uid, payout);
  const data = { payoutId: payout.id, amount: money(payout.amount, payout.currency) };
  if (paidNow) await notify(uid, { template: "payout_paid", category: "payment", data, transactional: true }, `payout-paid-${payout.id}`);
  if (payout.status === "failed") {
    if (failedNow) await notify(uid, { template: "payout_failed", category: "payment", data: { ...data, reason: payout.failure_code ?? "" }, transactional: true }, `payout-failed-${payout.id}`);
    // Retried from the (replayed) failure itself: the key payout-retry-{id} makes a repeat the same payout.
    if (payout.metadata?.uid) {
      try {
        const retry = await payDriver(uid, { retryOf: payout });
        if (retry) logger.info("failed payout retried", { uid, failed: payout.id, retry: retry.id });
      } catch (error) {
        logger.error("payout retry refused", { uid, payoutId: payout.id, error: String(error) });
        if (!(error as { type?: string }).type?.startsWith("StripeInvalid")) throw error;
      }
    }
  }
  return payout.status;
}
