// Service areas end to end: an admin's config is validated like pricing (an invalid polygon is flagged with its
// field path, the last valid version stays in force); a quote or booking with a point outside every area is
// refused with the reason; dispatch offers only drivers whose area covers the trip; and the before-booking
// snapshot (nearbyCars) answers coarse figures only.
import { FirebaseError } from "firebase/app";
import { doc, setDoc } from "firebase/firestore";
import { FieldValue } from "firebase-admin/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminDb, waitFor } from "../helpers/admin";
import { signedInClient, uniqueId, type ClientUser } from "../helpers/clients";
import { uniquePhoneNumber } from "../helpers/phoneAuth";
import { seedDrivers, setDispatchSettings, type DriverFixture } from "../helpers/dispatchFixtures";
import { bookingData, ensurePricing, LISBON, quote, waitForStatus } from "./bookings/harness";
import { cellOf } from "../../functions/src/dispatch/geocells";
import { cellCentre, SNAPSHOT_DEPTH } from "../../functions/src/dispatch/snapshotLogic";

type P = { lat: number; lng: number };
const rect = (latMin: number, lngMin: number, latMax: number, lngMax: number): P[] => [
  { lat: latMin, lng: lngMin }, { lat: latMin, lng: lngMax }, { lat: latMax, lng: lngMax }, { lat: latMax, lng: lngMin },
];
// Central Lisbon (Rossio, Marquês, Saldanha) and Belém; Oriente and Porto are outside both.
const central = { id: "central", name: "Central Lisbon", polygon: rect(38.70, -9.16, 38.745, -9.12) };
const west = { id: "west", name: "Belém", polygon: rect(38.685, -9.23, 38.71, -9.19) };
const PORTO = { lat: 41.15, lng: -8.61 };

const areasRef = () => adminDb().doc("serviceAreas/ride");
const activeRef = () => adminDb().doc("serviceAreasActive/ride");

/** Writes the config as the console does (replacing the document) and waits for the trigger's verdict. */
async function setAreas(areas: unknown[]) {
  await areasRef().set({ areas });
  return (await waitFor(async () => (await areasRef().get()).data(), (d) => d?.validation !== undefined, { timeoutMs: 60_000, what: "the areas to be validated" }))!;
}

async function callError(promise: Promise<unknown>): Promise<FirebaseError & { details?: Record<string, unknown> }> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error, "the call should have failed").toBeInstanceOf(FirebaseError);
  return error as FirebaseError & { details?: Record<string, unknown> };
}

describe("service areas", () => {
  const opened: ClientUser[] = [];
  let rider: ClientUser;

  beforeAll(async () => {
    await ensurePricing();
    rider = await signedInClient(uniqueId("rider"), {}, { phoneNumber: uniquePhoneNumber() });
    opened.push(rider);
  }, 90_000);

  afterAll(async () => {
    // The areas are one document per service type shared with every other file: leave ride unrestricted again.
    await adminDb().recursiveDelete(areasRef());
    await activeRef().delete();
    await Promise.all(opened.map((c) => c.close()));
  });

  it("a valid config becomes active; an invalid polygon is flagged at its path and the last valid one stays in force", { timeout: 120_000 }, async () => {
    const valid = await setAreas([central, west]);
    expect(valid.validation).toMatchObject({ ok: true, errors: [] });
    const version = valid.validation.activeVersion as number;
    expect((await activeRef().get()).data()).toMatchObject({ version, config: { areas: [central, west] } });
    expect((await adminDb().doc(`serviceAreas/ride/versions/${version}`).get()).data()?.config.areas).toEqual([central, west]);

    const [a, b, c, d] = central.polygon as [P, P, P, P];
    const bowTie = { ...central, polygon: [a, c, b, d] };
    const invalid = await setAreas([bowTie, west, { ...west, name: "twice" }]);
    expect(invalid.validation.ok).toBe(false);
    expect(invalid.validation.activeVersion).toBe(version);
    expect(invalid.validation.errors).toEqual(expect.arrayContaining([
      { path: "areas.0.polygon", message: "the polygon's edges cross each other" },
      { path: "areas.2.id", message: "the id west is used twice" },
    ]));
    const active = (await activeRef().get()).data()!;
    expect(active.version).toBe(version);
    expect(active.config.areas).toEqual([central, west]);

    // Putting the valid config back is valid again, without a new version.
    const back = await setAreas([central, west]);
    expect(back.validation).toMatchObject({ ok: true, activeVersion: version });
  });

  it("a quote with its pickup or drop-off outside every area is refused failed-precondition with the reason", { timeout: 60_000 }, async () => {
    await waitFor(() => activeRef().get(), (s) => s.data()?.config.areas.length === 2, { what: "the areas to be active" });
    const inside = await quote(rider, { pickup: LISBON.rossio, dropoff: LISBON.belem });
    expect(inside.quoteId).toBeTruthy();

    const pickupOut = await callError(quote(rider, { pickup: LISBON.oriente, dropoff: LISBON.rossio }));
    expect(pickupOut.code).toBe("functions/failed-precondition");
    expect(pickupOut.message).toContain("Outside the service area: the pickup is outside every ride service area");
    expect(pickupOut.details).toEqual({ reason: "outside_service_area", detail: "the pickup is outside every ride service area" });
    const dropoffOut = await callError(quote(rider, { pickup: LISBON.rossio, dropoff: PORTO }));
    expect(dropoffOut.code).toBe("functions/failed-precondition");
    expect(dropoffOut.message).toContain("the drop-off is outside every ride service area");
    const stopOut = await callError(quote(rider, { pickup: LISBON.rossio, stops: [LISBON.oriente], dropoff: LISBON.saldanha }));
    expect(stopOut.message).toContain("the stop 1 is outside");
    // No quote was stored for the refused calls.
    const stored = await adminDb().collection("quotes").where("riderId", "==", rider.uid).get();
    expect(stored.docs.map((d) => d.id)).toEqual([inside.quoteId]);
  });

  it("a booking whose drop-off left the areas after its quote ends cancelled outside_service_area, its quote unclaimed", { timeout: 120_000 }, async () => {
    const { quoteId } = await quote(rider, { pickup: LISBON.rossio, dropoff: LISBON.saldanha });
    // The admin shrinks central Lisbon: Saldanha (38.7369) is no longer in it.
    const shrunk = { ...central, polygon: rect(38.70, -9.16, 38.73, -9.12) };
    expect((await setAreas([shrunk, west])).validation.ok).toBe(true);

    const id = uniqueId("booking");
    await setDoc(doc(rider.db, "bookings", id), bookingData(rider.uid, quoteId, { pickup: LISBON.rossio, dropoff: LISBON.saldanha }));
    const cancelled = await waitForStatus(id, "cancelled");
    expect(cancelled.cancellation).toEqual({ by: "server", reason: "outside_service_area", feeMinor: 0 });
    expect((await adminDb().doc(`quotes/${quoteId}`).get()).data()?.bookingId).toBeNull();
    expect((await adminDb().doc(`bookings/${id}/private/pin`).get()).exists).toBe(false);
    const events = (await adminDb().collection(`bookings/${id}/events`).get()).docs.map((d) => d.data());
    expect(events.find((e) => e.type === "cancelled")?.data).toMatchObject({ by: "server", reason: "outside_service_area" });

    expect((await setAreas([central, west])).validation.ok).toBe(true);
  });

  it("dispatch offers the trip only to drivers whose area covers it: not outside every area, not in another area, not outside an admin's areaIds", { timeout: 150_000 }, async () => {
    expect((await setAreas([central, west])).validation.ok).toBe(true);
    const cat = uniqueId("cat");
    // The round timer may run late on a loaded machine: positions stay fresh for the test's length.
    await setDispatchSettings(cat, { offersPerRound: 10, candidates: 10, offerTtlSeconds: 60, freshnessSeconds: 3600 });
    const at = (position: P, extra: Partial<DriverFixture> = {}): DriverFixture => ({ uid: uniqueId("drv"), position, categoryId: cat, ...extra });
    const inCentral = at({ lat: 38.716, lng: -9.141 });
    const inBelem = at({ lat: 38.698, lng: -9.205 }); // 6 km away: within the search radius, but another area
    const nowhere = at({ lat: 38.7678, lng: -9.0991 }); // Oriente: outside every area
    const restricted = at({ lat: 38.717, lng: -9.142 });
    await seedDrivers([inCentral, inBelem, nowhere, restricted]);
    // An admin limits this driver to Belém in the console (no client may write areaIds: firestore.rules).
    await adminDb().doc(`drivers/${restricted.uid}`).update({ areaIds: ["west"] });

    const ref = adminDb().collection("bookings").doc(uniqueId("booking"));
    await ref.set({
      status: "searching", riderId: uniqueId("rider"), quoteId: "quote-test", categoryId: cat, serviceType: "ride",
      pickup: LISBON.rossio, dropoff: LISBON.saldanha, stops: [], paymentMethod: "cash",
      timeline: { requested: FieldValue.serverTimestamp(), searching: FieldValue.serverTimestamp() },
      createdAt: FieldValue.serverTimestamp(), updatedAt: FieldValue.serverTimestamp(),
    });
    const offers = await waitFor(async () => (await ref.collection("offers").get()).docs.map((d) => d.id), (o) => o.length > 0, { timeoutMs: 90_000, what: "offers" });
    expect(offers).toEqual([inCentral.uid]);
    const job = (await adminDb().doc(`dispatchJobs/${ref.id}`).get()).data()!;
    expect(job.offeredTo).toEqual([inCentral.uid]);
  });

  it("nearbyCars answers a count bucket and whole minutes, never a position; outside the areas it says so", { timeout: 90_000 }, async () => {
    const cat = uniqueId("cat");
    const cars = [{ lat: 38.7141, lng: -9.1392 }, { lat: 38.7150, lng: -9.1380 }, { lat: 38.7160, lng: -9.1420 }, { lat: 38.7100, lng: -9.1350 }];
    await seedDrivers(cars.map((position) => ({ uid: uniqueId("drv"), position, categoryId: cat })));
    const looker = await signedInClient(uniqueId("rider"));
    opened.push(looker);

    type Snapshot = { cars: string; etaMinutes: number | null; inServiceArea: boolean };
    const centre = cellCentre(cellOf(LISBON.rossio, SNAPSHOT_DEPTH));
    const near = await looker.call<object, Snapshot>("nearbyCars", { pickup: centre, serviceType: "ride", categoryId: cat });
    expect(near).toEqual({ cars: "3-5", etaMinutes: expect.any(Number), inServiceArea: true });
    expect(Number.isInteger(near.etaMinutes)).toBe(true);
    expect(near.etaMinutes).toBeGreaterThanOrEqual(2);
    const text = JSON.stringify(near);
    for (const leak of ["lat", "lng", "geohash", "drv", ...cars.map((c) => String(c.lat))]) expect(text).not.toContain(leak);

    const empty = await looker.call<object, Snapshot>("nearbyCars", { pickup: LISBON.rossio, serviceType: "ride", categoryId: uniqueId("cat") });
    expect(empty).toEqual({ cars: "0", etaMinutes: null, inServiceArea: true });
    const outside = await looker.call<object, Snapshot>("nearbyCars", { pickup: PORTO, serviceType: "ride", categoryId: cat });
    expect(outside).toEqual({ cars: "0", etaMinutes: null, inServiceArea: false });
    // A pickup moved ~250 m within the same grid cell (≈ 1.2 km × 1.9 km) gives the very same answer.
    const moved = await looker.call<object, Snapshot>("nearbyCars", { pickup: { lat: centre.lat + 0.002, lng: centre.lng - 0.002 }, serviceType: "ride", categoryId: cat });
    expect(moved).toEqual(near);

    // 12 calls a minute per user: the 4 above, 8 more, then refused.
    for (let i = 0; i < 8; i++) await looker.call("nearbyCars", { pickup: LISBON.rossio, serviceType: "ride", categoryId: cat });
    const refused = await callError(looker.call("nearbyCars", { pickup: LISBON.rossio, serviceType: "ride", categoryId: cat }));
    expect(refused.code).toBe("functions/resource-exhausted");
  });
});
