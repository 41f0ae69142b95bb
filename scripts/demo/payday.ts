// The drivers get paid. In the morning every demo driver taps "Set up payouts" (startDriverOnboarding, as the app
// does) and fills Stripe's hosted onboarding form (on the local Stripe test server). At night the scheduled jobs
// run in this process exactly as the functions would (functions/src, like the integration tests): the payout
// run for the demo's drivers (payDriver each; never payAllDrivers, which would pay every account of the
// emulators), the bank settles, payout.paid reaches the ledger; then the reconciliation of the demo's drivers
// must find nothing, and an injected difference (one transfer record's amount tampered, then restored) must be
// reported for the right driver, leaving the demo city clean for the next run.
import { FieldValue, type QueryDocumentSnapshot } from "firebase-admin/firestore";
import { adminDb, waitFor } from "../../test/helpers/admin";
import { useStripeTestServer } from "../../test/helpers/serverEnv";
import { completeOnboarding, settlePayouts } from "../../test/stripe-server/connectClient";
import type { DriverApp } from "./driverApp";
import { euros } from "./geo";
import type { Say } from "./progress";

export interface DriverPayout {
  driverId: string;
  name: string;
  accountId: string;
  /** The payout of this run, or null when nothing was available on the driver's Stripe account. */
  payoutId: string | null;
  amountMinor: number;
  /** earnings/{uid}/payouts/{payoutId}.status once the bank settled (paid). */
  status: string | null;
  balanceBeforeMinor: number;
  balanceAfterMinor: number;
  owedToPlatformMinor: number;
}

export interface PayoutsOutcome {
  drivers: DriverPayout[];
  paidMinor: number;
}

export interface Difference {
  driverId: string;
  what: string;
  ledgerMinor: number;
  stripeMinor: number;
  detail: string;
}

export interface ReconciliationReport {
  day: string;
  ok: boolean;
  accounts: number;
  differences: Difference[];
}

export interface ReconciliationOutcome {
  /** After the payouts: must be ok, with no difference. */
  clean: ReconciliationReport;
  /** With one transfer record's amount tampered by +100: must list that driver's `transfers` difference. */
  injected: (ReconciliationReport & { tampered: { driverId: string; path: string; deltaMinor: number } }) | null;
  /** After the field was restored: ok again. */
  restored: ReconciliationReport | null;
}

export interface NightOutcome {
  payouts: PayoutsOutcome;
  reconciliation: ReconciliationOutcome;
  ok: boolean;
  problem: string | null;
}

const TAMPER_MINOR = 100;
const SETTLED = ["transferred", "netted", "none", "failed"];

const accountDoc = async (uid: string) => (await adminDb().doc(`driverAccounts/${uid}`).get()).data();
const summaryOf = async (uid: string) => (await adminDb().doc(`earnings/${uid}`).get()).data() ?? {};

/** Morning: each driver sets up payouts (an Express account, then the hosted form); resolves with the account ids. */
export async function setUpPayouts(drivers: DriverApp[], say: Say): Promise<Map<string, string>> {
  const accounts = new Map<string, string>();
  await Promise.all(drivers.map(async (driver) => {
    const { accountId, status } = await driver.user.call<Record<string, never>, { accountId: string; status: { ready: boolean } }>("startDriverOnboarding", {});
    // An earlier run already onboarded this account: the app shows it ready, nothing to fill in.
    if (!status.ready) await completeOnboarding(accountId);
    await waitFor(() => accountDoc(driver.uid), (d) => d?.ready === true, { timeoutMs: 60_000, intervalMs: 400, what: `${driver.name}'s payouts to be ready` });
    accounts.set(driver.uid, accountId);
    say(`${driver.name} taps "Set up payouts": Stripe Express account ${accountId}${status.ready ? " (set up on an earlier day)" : ", hosted onboarding completed"}; payouts ready`);
  }));
  return accounts;
}

/** The transfers of the day settle in the completion step; the night waits until none is in flight. */
async function transfersSettled(uid: string): Promise<void> {
  await waitFor(
    async () => (await adminDb().collection(`earnings/${uid}/transfers`).get()).docs.map((d) => d.get("status") as string),
    (statuses) => statuses.every((s) => SETTLED.includes(s)),
    { timeoutMs: 60_000, intervalMs: 500, what: `${uid}'s transfers to settle` },
  );
}

async function payoutRun(drivers: DriverApp[], accounts: Map<string, string>, say: Say): Promise<PayoutsOutcome> {
  const { payDriver } = await import("../../functions/src/earnings/payouts");
  const paid: DriverPayout[] = [];
  for (const driver of drivers) {
    await transfersSettled(driver.uid);
    const before = await summaryOf(driver.uid);
    const payout = await payDriver(driver.uid);
    const accountId = accounts.get(driver.uid)!;
    const row: DriverPayout = {
      driverId: driver.uid,
      name: driver.name,
      accountId,
      payoutId: payout?.id ?? null,
      amountMinor: payout?.amount ?? 0,
      status: null,
      balanceBeforeMinor: before.balanceMinor ?? 0,
      balanceAfterMinor: before.balanceMinor ?? 0,
      owedToPlatformMinor: before.owedToPlatformMinor ?? 0,
    };
    if (payout) say(`payout run: ${driver.name} is paid ${euros(payout.amount, payout.currency)} to the bank (${payout.id}, ${payout.status})`);
    else say(`payout run: ${driver.name} has nothing on the Stripe account to pay out${row.owedToPlatformMinor ? ` (cash trips: owes the platform ${euros(row.owedToPlatformMinor)} of commission, netted from later card trips)` : ""}`);
    paid.push(row);
  }
  for (const row of paid.filter((r) => r.payoutId)) {
    await settlePayouts(row.accountId);
    const doc = await waitFor(async () => (await adminDb().doc(`earnings/${row.driverId}/payouts/${row.payoutId}`).get()).data(), (d) => d?.status === "paid", {
      timeoutMs: 60_000,
      intervalMs: 400,
      what: `payout ${row.payoutId} to be paid`,
    });
    await waitFor(
      async () => (await adminDb().collection(`users/${row.driverId}/notifications`).where("template", "==", "payout_paid").get()).docs.map((d) => d.get("data.payoutId")),
      (ids) => ids.includes(row.payoutId),
      { timeoutMs: 60_000, intervalMs: 400, what: `the payout_paid notification of ${row.payoutId}` },
    );
    row.status = doc!.status as string;
    row.balanceAfterMinor = (await summaryOf(row.driverId)).balanceMinor ?? 0;
    say(`the bank pays ${row.name}'s payout (payout.paid reaches the ledger and the inbox): balance ${euros(row.balanceBeforeMinor)} → ${euros(row.balanceAfterMinor)}`);
  }
  return { drivers: paid, paidMinor: paid.reduce((sum, r) => sum + r.amountMinor, 0) };
}

function reportOf(report: { day: string; ok: boolean; accounts: number; differences: Difference[] }): ReconciliationReport {
  return {
    day: report.day,
    ok: report.ok,
    accounts: report.accounts,
    differences: report.differences.map(({ driverId, what, ledgerMinor, stripeMinor, detail }) => ({ driverId, what, ledgerMinor, stripeMinor, detail })),
  };
}

const listed = (report: ReconciliationReport) =>
  report.ok ? "no difference" : report.differences.map((d) => `${d.driverId} ${d.what}: ledger ${euros(d.ledgerMinor)} vs Stripe ${euros(d.stripeMinor)}`).join("; ");

/** Marks a tampered transfer record with its true amount, so that a run killed before the restore is undone. */
const TAMPER_MARK = "demoTamperedFromMinor";

/**
 * Restores every transfer record a demo run tampered and never restored (killed between the two writes): the
 * mark holds the true amount. Returns the paths restored.
 */
export async function restoreLeftoverTampers(): Promise<string[]> {
  const left = await adminDb().collectionGroup("transfers").where(TAMPER_MARK, ">=", 0).get();
  for (const record of left.docs) await record.ref.update({ amountMinor: record.get(TAMPER_MARK), [TAMPER_MARK]: FieldValue.delete() });
  return left.docs.map((d) => d.ref.path);
}

async function reconcileDemo(driverIds: string[], say: Say): Promise<ReconciliationOutcome> {
  const { reconcileEarnings } = await import("../../functions/src/earnings/reconcile");
  const leftover = await restoreLeftoverTampers();
  if (leftover.length) say(`restored ${leftover.length} transfer record(s) an interrupted earlier run left tampered`);
  const reconcile = async () => reportOf(await reconcileEarnings(new Date(), driverIds));
  const clean = await reconcile();
  say(`nightly reconciliation of ${clean.accounts} driver accounts against Stripe's balance transactions: ${listed(clean)}`);

  // A transferred source of the first demo driver who has one: its amount tampered in the ledger.
  let target: QueryDocumentSnapshot | undefined;
  for (const uid of driverIds) {
    const records = (await adminDb().collection(`earnings/${uid}/transfers`).where("status", "==", "transferred").get()).docs;
    target = records.find((d) => (d.get("amountMinor") as number) > 0);
    if (target) break;
  }
  if (!target) return { clean, injected: null, restored: null };
  const driverId = target.get("driverId") as string;
  const original = target.get("amountMinor") as number;
  let injected: ReconciliationOutcome["injected"] = null;
  try {
    await target.ref.update({ amountMinor: original + TAMPER_MINOR, [TAMPER_MARK]: original });
    injected = { ...(await reconcile()), tampered: { driverId, path: target.ref.path, deltaMinor: TAMPER_MINOR } };
    say(`a difference is injected (${target.ref.path}.amountMinor +${euros(TAMPER_MINOR)}); the reconciliation reports: ${listed(injected)}`);
  } finally {
    await target.ref.update({ amountMinor: original, [TAMPER_MARK]: FieldValue.delete() });
  }
  const restored = await reconcile();
  say(`the record is restored; the reconciliation again: ${listed(restored)}`);
  return { clean, injected, restored };
}

/** Night: the payout run, the bank, and the reconciliation — as the scheduled functions would run them. */
export async function nightJobs(drivers: DriverApp[], accounts: Map<string, string>, say: Say): Promise<NightOutcome> {
  useStripeTestServer();
  say("night: the scheduled jobs run (payout run, then the reconciliation), for the demo's drivers");
  const payouts = await payoutRun(drivers, accounts, say);
  const reconciliation = await reconcileDemo(drivers.map((d) => d.uid), say);
  const problems: string[] = [];
  const unpaid = payouts.drivers.filter((d) => d.payoutId && d.status !== "paid");
  if (unpaid.length) problems.push(`payouts not paid: ${unpaid.map((d) => d.driverId).join(", ")}`);
  if (!reconciliation.clean.ok) problems.push(`the reconciliation found differences: ${listed(reconciliation.clean)}`);
  const caught = reconciliation.injected?.differences.some((d) => d.driverId === reconciliation.injected!.tampered.driverId && d.what === "transfers");
  if (!caught) problems.push("the injected difference was not reported");
  if (!reconciliation.restored?.ok) problems.push("the reconciliation is not clean after the restore");
  return { payouts, reconciliation, ok: problems.length === 0, problem: problems.join("; ") || null };
}
