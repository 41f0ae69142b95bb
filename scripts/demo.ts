// `npm run demo [-- --fast] [--seed]`: a scripted day in Lisbon against the emulators of `npm start` (same
// FLEETFIRE_PORT_OFFSET). Prints progress per trip, a summary table, the admin's report, the night's payouts and
// the reconciliation; exit code 0 only if every trip reached its expected final state and the night's jobs found
// what they should. --fast: short drives and waits; --seed: load the demo city first when it is missing.
import { DemoSetupError } from "./demo/endpoints";
import { runDemo } from "./demo/run";
import { payoutTable, reportTable, tripTable } from "./demo/summary";

const fast = process.argv.includes("--fast");
const seedIfMissing = process.argv.includes("--seed");
try {
  const result = await runDemo({ fast, seedIfMissing });
  console.log(`\nTrips\n${tripTable(result.trips)}`);
  for (const trip of result.trips.filter((t) => !t.ok)) console.log(`  ${trip.label}: ${trip.problem}`);
  if (result.delivery) {
    console.log(`\nDelivery round ${result.delivery.planId}: ${result.delivery.ok ? "every parcel delivered" : result.delivery.problem}`);
    for (const van of result.delivery.vans) console.log(`  ${van.driverId}: ${van.done.join(" → ")}`);
  }
  const [usage, financial] = result.reports;
  if (usage) console.log(`\nReport: usage (getReport ${usage.rows[0]?.day ?? ""})\n${reportTable(usage, ["day", "bookings", "completed", "cancelled", "activeRiders", "activeDrivers", "offersSent", "offersAccepted", "averagePickupWaitSeconds", "averageTripDistanceMeters"])}`);
  if (financial) console.log(`\nReport: financial\n${reportTable(financial, ["day", "currency", "completedTrips", "grossFaresMinor", "cardFaresMinor", "cashFaresMinor", "taxMinor", "capturedMinor", "netRevenueMinor"])}`);
  if (result.payouts) console.log(`\nThe night's payouts\n${payoutTable(result.payouts)}`);
  const night = result.reconciliation;
  if (night) {
    const says = (r: { ok: boolean; differences: Array<{ driverId: string; what: string }> } | null) => (!r ? "not run" : r.ok ? "no difference" : r.differences.map((d) => `${d.driverId} ${d.what}`).join(", "));
    console.log(`\nReconciliation: ${says(night.clean)}; with an injected difference: ${says(night.injected)}; restored: ${says(night.restored)}`);
  }
  if (result.nightProblem) console.log(`  the night's jobs: ${result.nightProblem}`);
  console.log(`\n${result.ok ? "Every trip reached its expected final state; the drivers are paid and the books reconcile." : "Some trips (or the night's jobs) did NOT reach their expected final state."}`);
  process.exit(result.ok ? 0 : 1);
} catch (error) {
  if (error instanceof DemoSetupError) {
    console.error(`\n[fleetfire demo] ${error.message}\n`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
}
