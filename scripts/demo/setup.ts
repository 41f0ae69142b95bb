// Before the day starts: the demo city must be seeded, and what an earlier run left behind is cleared the
// way an admin would in the console (unfinished bookings of the demo riders cancelled, demo drivers parked
// offline at their seeded positions), so that every run starts from the same fleet.
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import { geohashForLocation } from "geofire-common";
import { adminAuth, adminDb, waitFor } from "../../test/helpers/admin";
import { driverPositions, users, vehicles } from "../seed/data";
import { DemoSetupError } from "./endpoints";

const TERMINAL = new Set(["completed", "cancelled", "no_drivers", "payment_failed", "delivery_failed"]);
export const demoRiders = users.filter((u) => u.role === "rider");
export const demoDrivers = users.filter((u) => u.role === "driver");

/** What is missing of the seed (empty when the demo city is loaded). */
async function missingSeed(): Promise<string[]> {
  const db = adminDb();
  const missing: string[] = [];
  for (const user of users) {
    const exists = await adminAuth().getUser(user.uid).then(() => true, () => false);
    if (!exists) missing.push(`Auth user ${user.uid}`);
  }
  const paths = [
    ...users.map((u) => `users/${u.uid}`),
    ...Object.entries(vehicles).flatMap(([id, v]) => [`vehicles/${id}`, `drivers/${v.driverId}`]),
    "pricingActive/ride",
    "pricingActive/delivery",
  ];
  const snaps = await db.getAll(...paths.map((p) => db.doc(p)));
  snaps.forEach((snap, i) => snap.exists || missing.push(paths[i]!));
  return missing;
}

const activation = (path: string) => path.startsWith("pricingActive/");

/** Checks the seed; with `seedIfMissing` (the tests) loads it with the same code as `npm run seed`. */
export async function ensureSeed({ seedIfMissing, offset }: { seedIfMissing: boolean; offset: number }): Promise<"present" | "seeded"> {
  let missing = await missingSeed();
  if (!missing.length) return "present";
  // Just seeded (npm start has only now printed its banner): the pricing domain has yet to validate the configs.
  if (missing.every(activation) && (await adminDb().getAll(...["ride", "delivery"].map((t) => adminDb().doc(`pricing/${t}`)))).every((s) => s.exists)) {
    missing = await waitFor(missingSeed, (m) => m.length === 0, { timeoutMs: 60_000, intervalMs: 1_000, what: "the seeded pricing to become active" }).catch(() => missing);
    if (!missing.length) return "present";
  }
  if (!seedIfMissing) {
    throw new DemoSetupError(
      `The demo city is not loaded (missing: ${missing.slice(0, 4).join(", ")}${missing.length > 4 ? ", …" : ""}).\n` +
        `  npm start loads it when the emulators are ready; to load it now (same code as npm run seed):\n` +
        `  FLEETFIRE_PORT_OFFSET=${offset} npm run demo -- --seed`,
    );
  }
  const { seed } = await import("../seed");
  await seed();
  // The pricing domain validates the seeded configs before quotes may use them.
  await waitFor(async () => (await missingSeed()).length, (n) => n === 0, { timeoutMs: 60_000, intervalMs: 500, what: "the seeded pricing to become active" });
  return "seeded";
}

/** Cancels what an earlier (interrupted) run left open and parks the demo drivers offline. */
export async function resetDemoState(): Promise<{ cancelledBookings: number }> {
  const db = adminDb();
  let cancelledBookings = 0;
  for (const rider of demoRiders) {
    const open = (await db.collection("bookings").where("riderId", "==", rider.uid).get()).docs.filter((d) => !TERMINAL.has(d.get("status")));
    for (const booking of open) {
      await booking.ref.update({ status: "cancelled", cancellation: { by: "server", reason: "demo_reset", feeMinor: 0 }, updatedAt: FieldValue.serverTimestamp() });
      cancelledBookings += 1;
    }
  }
  const batch = db.batch();
  for (const driver of demoDrivers) {
    const at = driverPositions[driver.uid]!;
    batch.set(db.doc(`drivers/${driver.uid}`), { status: "offline", currentBookingId: FieldValue.delete(), updatedAt: FieldValue.serverTimestamp() }, { merge: true });
    batch.set(
      db.doc(`driverLocations/${driver.uid}`),
      // updatedAt in the past: the app's first position must be accepted at once (rules: > updatedAt + 1 s).
      { ...at, geohash: geohashForLocation([at.lat, at.lng]), heading: 0, speed: 0, status: "offline", riderId: FieldValue.delete(), updatedAt: Timestamp.fromMillis(Date.now() - 60_000) },
      { merge: true },
    );
  }
  await batch.commit();
  // A cancelled leftover releases its driver in a trigger that may land after the batch: park them again.
  if (cancelledBookings) {
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const again = db.batch();
    for (const driver of demoDrivers) again.set(db.doc(`drivers/${driver.uid}`), { status: "offline" }, { merge: true });
    await again.commit();
  }
  return { cancelledBookings };
}
