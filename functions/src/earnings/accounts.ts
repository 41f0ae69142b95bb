// Driver onboarding on Stripe Connect (Express): the account is created once per driver (an idempotency key and
// a transaction make racing calls agree), and its status is mirrored from Stripe onto driverAccounts/{uid}.
// The mirror always re-reads the account from Stripe, so account.updated events in any order, or twice, leave
// the latest truth.
import { db, fieldValue } from "../common/firebase";
import * as logger from "../common/logger";
import { stripe, type Stripe } from "../payments/stripeClient";
import { paths, type AccountStatus } from "./schema";

export const ONBOARDING_RETURN_URL = "https://fleetfire.app/driver/onboarding/done";
export const ONBOARDING_REFRESH_URL = "https://fleetfire.app/driver/onboarding/retry";

export function statusOf(account: Pick<Stripe.Account, "charges_enabled" | "payouts_enabled" | "details_submitted" | "requirements">): AccountStatus {
  const currentlyDue = [...(account.requirements?.currently_due ?? [])].sort();
  const pastDue = [...(account.requirements?.past_due ?? [])].sort();
  const chargesEnabled = account.charges_enabled === true;
  const payoutsEnabled = account.payouts_enabled === true;
  return {
    ready: chargesEnabled && payoutsEnabled && currentlyDue.length === 0 && pastDue.length === 0,
    chargesEnabled,
    payoutsEnabled,
    detailsSubmitted: account.details_submitted === true,
    currentlyDue,
    pastDue,
    disabledReason: account.requirements?.disabled_reason ?? null,
  };
}

/** The driver's Connect account id, created on first need. */
export async function ensureAccount(uid: string, email: string | undefined): Promise<string> {
  const ref = db().doc(paths.account(uid));
  const existing = (await ref.get()).get("stripeAccountId");
  if (typeof existing === "string") return existing;
  const account = await stripe().accounts.create(
    { type: "express", country: "PT", ...(email ? { email } : {}), capabilities: { transfers: { requested: true } }, metadata: { uid } },
    { idempotencyKey: `connect-account-${uid}` },
  );
  return db().runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    const stored = snap.get("stripeAccountId");
    if (typeof stored === "string") return stored;
    tx.set(ref, { driverId: uid, stripeAccountId: account.id, ...statusOf(account), createdAt: fieldValue().serverTimestamp(), updatedAt: fieldValue().serverTimestamp() });
    tx.set(db().doc(paths.accountOwner(account.id)), { uid });
    return account.id;
  });
}

export async function onboardingLink(accountId: string): Promise<{ url: string; expiresAt: number }> {
  const link = await stripe().accountLinks.create({ account: accountId, type: "account_onboarding", return_url: ONBOARDING_RETURN_URL, refresh_url: ONBOARDING_REFRESH_URL });
  return { url: link.url, expiresAt: link.expires_at };
}

export async function ownerOf(accountId: string): Promise<string | undefined> {
  const uid = (await db().doc(paths.accountOwner(accountId)).get()).get("uid");
  return typeof uid === "string" ? uid : undefined;
}

/**
 * account.updated: re-reads the account and mirrors its status. Returns the driver and whether the account is
 * ready now (the caller then transfers what was waiting).
 */
export async function syncAccount(accountId: string): Promise<{ uid: string; status: AccountStatus } | undefined> {
  const uid = await ownerOf(accountId);
  if (!uid) {
    logger.warn("account.updated for an account no driver owns", { accountId });
    return undefined;
  }
  const account = await stripe().accounts.retrieve(accountId);
  const status = statusOf(account);
  await db().doc(paths.account(uid)).set({ driverId: uid, stripeAccountId: accountId, ...status, updatedAt: fieldValue().serverTimestamp() }, { merge: true });
  return { uid, status };
}

export async function accountOf(uid: string): Promise<({ stripeAccountId: string } & AccountStatus) | undefined> {
  const data = (await db().doc(paths.account(uid)).get()).data();
  return typeof data?.stripeAccountId === "string" ? (data as { stripeAccountId: string } & AccountStatus) : undefined;
}
