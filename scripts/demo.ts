// `npm run demo [-- --fast] [--seed]`: a scripted day in Lisbon against the emulators of `npm start` (same
// FLEETFIRE_PORT_OFFSET). Prints progress per trip, a summary table and the admin's report; exit code 0 only
// if every trip reached its expected final state. --fast: short drives and waits; --seed: load the demo city
// first when it is missing.
import { DemoSetupError } from "./demo/endpoints";
import { runDemo } from "./demo/run";
import { reportTable, tripTable } from "./demo/summary";

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
  console.log(`\n${result.ok ? "Every trip reached its expected final state." : "Some trips did NOT reach their expected final state."}`);
  process.exit(result.ok ? 0 : 1);
} catch (error) {
  if (error instanceof DemoSetupError) {
    console.error(`\n[fleetfire demo] ${error.message}\n`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
}
