import { onDocumentWritten } from "firebase-functions/v2/firestore";
import { onCall } from "firebase-functions/v2/https";
import { onSchedule } from "firebase-functions/v2/scheduler";
import { stripeSecretKey } from "../common/config";
import { retried } from "../common/pipeline";

/** Callable `startDriverOnboarding({})`, drivers: creates their Connect Express account once and returns an Account Link. */
export const startDriverOnboarding = onCall({ secrets: [stripeSecretKey] }, async (request) => {
  const callables = await import("./callables");
  return callables.startDriverOnboarding(request);
});

/** Callable `getEarnings({weekId?, driverId?})`: a driver's balance, week and per-trip lines (own; admins: anyone's). */
export const getEarnings = onCall(async (request) => {
  const callables = await import("./callables");
  return callables.getEarnings(request);
});

/** Daily: pay out the drivers' Stripe balances (accounts on the manual payout schedule). */
export const payDrivers = onSchedule({ schedule: "0 6 * * *", timeZone: "Europe/Lisbon", secrets: [stripeSecretKey] }, async () => {
  const { payAllDrivers } = await import("./jobs");
  await payAllDrivers();
});

/** Nightly: compare every driver's ledger with Stripe's balance transactions (earningsReconciliations/{day}). */
export const reconcileEarningsNightly = onSchedule({ schedule: "15 4 * * *", timeZone: "Europe/Lisbon", secrets: [stripeSecretKey] }, async () => {
  const { reconcileEarnings } = await import("./reconcile");
  await reconcileEarnings();
});

/** Mondays: last week's statement (document + CSV) for every driver whose ledger moved. */
export const weeklyEarningsStatements = onSchedule({ schedule: "0 5 * * 1", timeZone: "Europe/Lisbon" }, async () => {
  const { writeLastWeekStatements } = await import("./statements");
  await writeLastWeekStatements();
});

/** A tip paid (tips/{bookingId}, payments/tips.ts): 100 % to the driver's ledger, transferred on the tip's charge. */
export const earningsOnTipWritten = onDocumentWritten({ document: "tips/{bookingId}", secrets: [stripeSecretKey], retry: true }, retried("earningsOnTipWritten", async (event) => {
  const { onTipWritten } = await import("./tips");
  await onTipWritten(event.params.bookingId, event.data?.after.data());
}));
