// Callables: startDriverOnboarding (a driver) and getEarnings (a driver, own; an admin, anyone's). Validation first,
// then auth; a rejected call writes nothing.
import { HttpsError, type CallableRequest } from "firebase-functions/v2/https";
import { db } from "../common/firebase";
import { validate } from "../common/validation";
import { timeZone } from "../analytics/timeZone";
import { isTransientStripeError, stripe } from "../payments/stripeClient";
import { accountOf, ensureAccount, onboardingLink, statusOf } from "./accounts";
import { summaryOf } from "./ledger";
import { ENTRY_KINDS, pendingTransfer, weekBounds, weekIdOf, type EntryKind } from "./ledgerMath";
import {
  accountStatusSchema,
  getEarningsInputSchema,
  paths,
  startDriverOnboardingInputSchema,
  type GetEarningsOutput,
  type StartDriverOnboardingOutput,
} from "./schema";

type Request = Pick<CallableRequest, "auth" | "data">;

export async function startDriverOnboarding(request: Request): Promise<StartDriverOnboardingOutput> {
  validate(startDriverOnboardingInputSchema, request.data ?? {});
  if (!request.auth) throw new HttpsError("unauthenticated", "Sign in first.");
  if (request.auth.token.role !== "driver") throw new HttpsError("permission-denied", "Only drivers get paid through Stripe Connect.");
  const uid = request.auth.uid;
  try {
    const email = request.auth.token.email_verified === true && typeof request.auth.token.email === "string" ? request.auth.token.email : undefined;
    const accountId = await ensureAccount(uid, email);
    const link = await onboardingLink(accountId);
    const account = await accountOf(uid);
    const status = account ? accountStatusSchema.parse(pickStatus(account)) : statusOf(await stripe().accounts.retrieve(accountId));
    return { accountId, url: link.url, expiresAt: link.expiresAt, status };
  } catch (error) {
    if (error instanceof HttpsError) throw error;
    if (isTransientStripeError(error)) throw new HttpsError("unavailable", "Stripe is unreachable; try again.");
    throw new HttpsError("failed-precondition", `Stripe refused the onboarding: ${(error as Error).message}`);
  }
}

function pickStatus(data: Record<string, unknown>) {
  return Object.fromEntries(Object.keys(accountStatusSchema.shape).map((k) => [k, data[k]]));
}

export async function getEarnings(request: Request): Promise<GetEarningsOutput> {
  const input = validate(getEarningsInputSchema, request.data ?? {});
  if (!request.auth) throw new HttpsError("unauthenticated", "Sign in first.");
  const role = request.auth.token.role;
  if (role !== "driver" && role !== "admin") throw new HttpsError("permission-denied", "Only drivers have earnings.");
  if (input.driverId && input.driverId !== request.auth.uid && role !== "admin") throw new HttpsError("permission-denied", "Only admins read another driver's earnings.");
  const uid = input.driverId ?? request.auth.uid;
  const weekId = input.weekId ?? weekIdOf(new Date(), timeZone());

  const [summarySnap, account, weekEntries, sources, payouts] = await Promise.all([
    db().doc(paths.summary(uid)).get(),
    accountOf(uid),
    db().collection(paths.entries(uid)).where("weekId", "==", weekId).get(),
    db().collection(paths.transfers(uid)).get(),
    db().collection(paths.payouts(uid)).orderBy("createdAt", "desc").limit(10).get(),
  ]);
  const summary = summaryOf(summarySnap.data());
  const pending = pendingTransfer(summary, summary.transferredMinor);
  const totals = Object.fromEntries(ENTRY_KINDS.map((k) => [k, 0])) as Record<EntryKind, number>;
  const trips = new Map<string, GetEarningsOutput["week"]["trips"][number]>();
  const sourceOf = new Map(sources.docs.map((d) => [d.id, d.data()]));
  for (const doc of weekEntries.docs) {
    const entry = doc.data();
    const kind = entry.kind as EntryKind;
    totals[kind] += entry.amountMinor;
    if (!entry.bookingId) continue;
    const source = sourceOf.get(entry.bookingId);
    const line = trips.get(entry.bookingId) ?? {
      bookingId: entry.bookingId,
      occurredAt: (source?.occurredAt ?? entry.occurredAt).toDate().toISOString(),
      paymentMethod: (source?.paymentMethod ?? "unknown") as "card" | "cash" | "unknown",
      fareMinor: source?.fareMinor ?? 0,
      commissionMinor: source?.commissionMinor ?? 0,
      tipMinor: 0,
      clawbackMinor: 0,
      netMinor: 0,
      transfer: (source?.paymentMethod === "card" ? source.status : "none") as GetEarningsOutput["week"]["trips"][number]["transfer"],
    };
    line.netMinor += entry.amountMinor;
    if (kind === "tip") line.tipMinor += entry.amountMinor;
    if (kind === "refund_clawback") line.clawbackMinor -= entry.amountMinor;
    trips.set(entry.bookingId, line);
  }
  return {
    driverId: uid,
    currency: summary.currency,
    balanceMinor: summary.balanceMinor,
    pendingTransferMinor: pending,
    inAccountMinor: summary.transferredMinor - summary.paidOutMinor,
    owedToPlatformMinor: Math.max(0, -pending),
    account: account ? accountStatusSchema.parse(pickStatus(account)) : null,
    week: {
      weekId,
      ...weekBounds(weekId),
      totals,
      netMinor: Object.values(totals).reduce((a, b) => a + b, 0),
      trips: [...trips.values()].sort((a, b) => (a.occurredAt < b.occurredAt ? 1 : -1)),
    },
    payouts: payouts.docs.map((d) => ({
      payoutId: d.id,
      amountMinor: d.get("amountMinor"),
      status: d.get("status"),
      failureCode: d.get("failureCode") ?? null,
      createdAt: d.get("createdAt")?.toDate().toISOString() ?? "",
    })),
  };
}
