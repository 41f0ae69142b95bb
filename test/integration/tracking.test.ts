import { createRequire } from "node:module";
import path from "node:path";
import { collection, disableNetwork, doc, enableNetwork, onSnapshot, setDoc } from "firebase/firestore";
import { Timestamp } from "firebase-admin/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminDb, waitFor, waitForDoc } from "../helpers/admin";
import { signedInClient, uniqueId, type ClientUser } from "../helpers/clients";
import { emulatorEndpoints, projectId, repoRoot } from "../helpers/emulators";
import { LocationUploader } from "../helpers/trackingDriverApp";

// The functions' service modules use CommonJS `require` for lazy SDK loading; give them one that resolves
// from the functions package, as in the deployed runtime.
(globalThis as { require?: NodeJS.Require }).require ??= createRequire(path.join(repoRoot, "functions", "src", "index.ts"));

type Presence = typeof import("../../functions/src/tracking/presence");
type Eta = typeof import("../../functions/src/tracking/eta");
type EtaTasks = typeof import("../../functions/src/tracking/etaTasks");
let presence: Presence;
let eta: Eta;
let etaTasks: EtaTasks;

const LISBON = { lat: 38.7223, lng: -9.1393 };
const DRIVER = { role: "driver" };

describe("tracking", () => {
  const opened: ClientUser[] = [];
  beforeAll(async () => {
    process.env.GCLOUD_PROJECT ??= projectId;
    presence = await import("../../functions/src/tracking/presence");
    eta = await import("../../functions/src/tracking/eta");
    etaTasks = await import("../../functions/src/tracking/etaTasks");
  });
  afterAll(async () => {
    await Promise.all(opened.map((c) => c.close()));
  });

  async function seedVehicle(driverId: string, categoryId: string, status = "active"): Promise<string> {
    const id = uniqueId("vehicle");
    await adminDb().doc(`vehicles/${id}`).set({ driverId, categoryId, status, make: "Toyota", model: "Corolla", year: 2021, color: "white", plate: "AA-00-00" });
    return id;
  }

  describe("no Cloud Function runs per location update", () => {
    it("no trigger of the running functions matches driverLocations/{uid}, while the drivers/{uid} mirror is registered", async () => {
      const { functions } = await emulatorEndpoints();
      expect(functions, "the functions emulator is running").toBeDefined();
      const response = await fetch(`http://${functions!.host}:${functions!.port}/backends`);
      const { backends } = (await response.json()) as { backends: Array<{ functionTriggers: Array<Record<string, unknown>> }> };
      const triggers = backends.flatMap((b) => b.functionTriggers);
      const documentPatterns = triggers.flatMap((t) => {
        const event = t.eventTrigger as { eventFilters?: Record<string, string>; eventFilterPathPatterns?: Record<string, string>; resource?: string } | undefined;
        return event ? [event.eventFilterPathPatterns?.document ?? event.eventFilters?.document ?? event.resource ?? ""] : [];
      });
      // A trigger pattern matches driverLocations/{uid} when each segment is equal or a wildcard.
      const matchesLocationDoc = (pattern: string) => {
        const segments = pattern.replace(/^.*\/documents\//, "").split("/");
        if (segments.some((s) => s === "{**}" || s.includes("=**"))) return true;
        return segments.length === 2 && (segments[0] === "driverLocations" || /^\{.*\}$/.test(segments[0]!));
      };
      expect(documentPatterns).toContain("drivers/{uid}");
      expect(documentPatterns.filter(matchesLocationDoc)).toEqual([]);
    });

    it("a stream of location writes changes nothing but the location document", async () => {
      const uid = uniqueId("quiet-driver");
      const driver = await signedInClient(uid, DRIVER);
      opened.push(driver);
      const uploader = new LocationUploader(driver.db, uid, 1000);
      for (let i = 0; i < 3; i++) {
        uploader.report({ lat: LISBON.lat + i * 0.0001, lng: LISBON.lng });
        await uploader.idle();
      }
      expect({ accepted: uploader.accepted, rejected: uploader.rejected }).toEqual({ accepted: 3, rejected: 0 });
      const location = (await adminDb().doc(`driverLocations/${uid}`).get()).data();
      // No function wrote to the document (the trigger list above proves none can). Counting the project's
      // idempotency markers instead would be flaky: other domains' background work writes them meanwhile.
      expect(Object.keys(location!).sort()).toEqual(["geohash", "lat", "lng", "updatedAt"]);
    });

    it("the driver app drives plausibly; a 274 km jump is refused and named as an implausible jump", async () => {
      const uid = uniqueId("jumping-driver");
      const driver = await signedInClient(uid, DRIVER);
      opened.push(driver);
      const uploader = new LocationUploader(driver.db, uid, 1000);
      const reasons: Array<string | undefined> = [];
      uploader.onAck = (_p, accepted, reason) => accepted || reasons.push(reason);
      uploader.report(LISBON); // the first position: anywhere
      await uploader.idle();
      uploader.report({ lat: LISBON.lat + 15 / 111_195, lng: LISBON.lng }); // 15 m a second later: a car
      await uploader.idle();
      uploader.report({ lat: LISBON.lat + 274_000 / 111_195, lng: LISBON.lng }); // the pickup of a trip in Porto
      await uploader.idle();
      expect({ accepted: uploader.accepted, rejected: uploader.rejected }).toEqual({ accepted: 2, rejected: 1 });
      expect(reasons).toEqual(["position rejected: implausible jump"]);
      expect((await adminDb().doc(`driverLocations/${uid}`).get()).get("lat")).toBeCloseTo(LISBON.lat + 15 / 111_195, 9);
    });
  });

  describe("mirror of drivers/{uid} into driverLocations/{uid}", () => {
    it("follows going online, changing vehicle and going offline, and leaves dispatch's busy + riderId alone", async () => {
      const uid = uniqueId("mirror-driver");
      const economy = await seedVehicle(uid, "economy");
      const comfort = await seedVehicle(uid, "comfort");
      const notMine = await seedVehicle("someone-else", "van");
      const driverRef = adminDb().doc(`drivers/${uid}`);
      const locationPath = `driverLocations/${uid}`;

      await driverRef.set({ approved: true, vehicleId: economy, status: "available" });
      await waitForDoc(locationPath, (d) => d?.status === "available" && d?.categoryId === "economy", "online with economy");

      await driverRef.update({ vehicleId: comfort });
      await waitForDoc(locationPath, (d) => d?.categoryId === "comfort", "vehicle change");

      await driverRef.update({ vehicleId: notMine });
      await waitForDoc(locationPath, (d) => d?.categoryId === null, "no category for a vehicle that is not the driver's");
      await driverRef.update({ vehicleId: comfort });
      await waitForDoc(locationPath, (d) => d?.categoryId === "comfort", "back to comfort");

      // Dispatch's assignment transaction sets both documents; the mirror must find nothing to undo.
      await adminDb().runTransaction(async (tx) => {
        tx.update(driverRef, { status: "busy" });
        tx.set(adminDb().doc(locationPath), { status: "busy", riderId: "rider-x" }, { merge: true });
      });
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect((await adminDb().doc(locationPath).get()).data()).toMatchObject({ status: "busy", riderId: "rider-x", categoryId: "comfort" });

      // Bookings releases the driver; the mirror follows drivers.status and never touches riderId.
      await driverRef.update({ status: "available" });
      await waitForDoc(locationPath, (d) => d?.status === "available" && d?.riderId === "rider-x", "released");

      await driverRef.update({ status: "offline" });
      await waitForDoc(locationPath, (d) => d?.status === "offline", "offline");
      await driverRef.set({ approved: false, vehicleId: comfort, status: "available" });
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect((await adminDb().doc(locationPath).get()).data()?.status).toBe("offline");
    });
  });

  describe("presence", () => {
    it("sets stale available drivers offline, never busy or fresh ones", async () => {
      const now = Date.now();
      const sweepAt = now + 60 * 60_000; // an hour from now: positions written "now" are stale then
      const ids = { stale: uniqueId("stale"), fresh: uniqueId("fresh"), busy: uniqueId("busy"), lagging: uniqueId("lagging") };
      const seed = async (uid: string, driverStatus: string, locationStatus: string, updatedAtMs: number) => {
        // The location first, already in step, so the mirror trigger has nothing to write.
        await adminDb().doc(`driverLocations/${uid}`).set({ lat: LISBON.lat, lng: LISBON.lng, geohash: "eycs0p8ukc", updatedAt: Timestamp.fromMillis(updatedAtMs), status: locationStatus, categoryId: null });
        await adminDb().doc(`drivers/${uid}`).set({ approved: true, status: driverStatus });
      };
      await seed(ids.stale, "available", "available", now);
      await seed(ids.fresh, "available", "available", sweepAt - 60_000);
      await seed(ids.busy, "busy", "busy", now);
      await seed(ids.lagging, "busy", "available", now); // drivers says busy before the location caught up
      await new Promise((resolve) => setTimeout(resolve, 1500));

      const result = await presence.setStaleDriversOffline(5, sweepAt);
      expect(result.setOffline).toContain(ids.stale);
      for (const uid of [ids.fresh, ids.busy, ids.lagging]) expect(result.setOffline).not.toContain(uid);

      const state = async (uid: string) => ({
        driver: (await adminDb().doc(`drivers/${uid}`).get()).get("status"),
        location: (await adminDb().doc(`driverLocations/${uid}`).get()).get("status"),
      });
      expect(await state(ids.stale)).toEqual({ driver: "offline", location: "offline" });
      expect(await state(ids.fresh)).toEqual({ driver: "available", location: "available" });
      expect((await state(ids.busy)).driver).toBe("busy");
      expect((await state(ids.lagging)).driver).toBe("busy");
      // Running it again finds nothing more to do for these drivers.
      const again = await presence.setStaleDriversOffline(5, sweepAt);
      expect(again.setOffline).not.toContain(ids.stale);
    });
  });

  describe("rider ETA", () => {
    it("is written on status changes, throttled otherwise, 0 once arrived, and absent after the pickup", async () => {
      const bookingId = uniqueId("eta-booking");
      const driverId = uniqueId("eta-driver");
      const bookingRef = adminDb().doc(`bookings/${bookingId}`);
      await adminDb().doc(`driverLocations/${driverId}`).set({ lat: 38.7369, lng: -9.1427, geohash: "eycs2", updatedAt: Timestamp.now(), status: "busy" });
      await bookingRef.set({ status: "accepted", riderId: "rider-eta", driverId, pickup: { lat: 38.7139, lng: -9.1334, address: "Baixa" } });

      const first = await eta.refreshBookingEta(bookingId, { force: true });
      expect(first?.refreshed).toBe(true);
      expect(first!.pickupSeconds).toBeGreaterThan(300); // ~2.7 km straight line
      expect(first!.pickupSeconds).toBeLessThan(900);
      expect((await bookingRef.get()).get("eta.pickupSeconds")).toBe(first!.pickupSeconds);

      await adminDb().doc(`driverLocations/${driverId}`).update({ lat: 38.7145, lng: -9.1340 });
      expect(await eta.refreshBookingEta(bookingId, { minIntervalSeconds: 60 })).toEqual({ pickupSeconds: first!.pickupSeconds, refreshed: false });
      const forced = await eta.refreshBookingEta(bookingId, { force: true });
      expect(forced).toMatchObject({ refreshed: true, pickupSeconds: 60 });

      await bookingRef.update({ status: "arrived" });
      expect(await eta.refreshBookingEta(bookingId, { force: true })).toEqual({ pickupSeconds: 0, refreshed: true });
      await bookingRef.update({ status: "in_progress" });
      const before = (await bookingRef.get()).get("eta");
      expect(await eta.refreshBookingEta(bookingId, { force: true })).toBeNull();
      expect((await bookingRef.get()).get("eta")).toEqual(before);
    });

    it("a queued Cloud Task refreshes the ETA of an accepted booking", async () => {
      const bookingId = uniqueId("eta-task");
      const driverId = uniqueId("eta-task-driver");
      await adminDb().doc(`driverLocations/${driverId}`).set({ lat: 38.7369, lng: -9.1427, geohash: "eycs2", updatedAt: Timestamp.now(), status: "busy" });
      await adminDb().doc(`bookings/${bookingId}`).set({ status: "accepted", riderId: "rider-eta", driverId, pickup: { lat: 38.7139, lng: -9.1334 } });
      expect(await etaTasks.scheduleEtaRefresh(bookingId, 1)).toBe(true);
      await waitForDoc(`bookings/${bookingId}`, (d) => typeof d?.eta?.pickupSeconds === "number", "the task's ETA");
      await adminDb().doc(`bookings/${bookingId}`).update({ status: "cancelled" }); // ends the chain
    });
  });

  describe("offline driver app", () => {
    it("on reconnect the latest position wins in driverLocations and every queued track chunk arrives", async () => {
      const driverId = uniqueId("offline-driver");
      const riderId = uniqueId("offline-rider");
      const bookingId = uniqueId("offline-booking");
      const driver = await signedInClient(driverId, DRIVER);
      const rider = await signedInClient(riderId);
      opened.push(driver, rider);
      await adminDb().doc(`bookings/${bookingId}`).set({ status: "in_progress", riderId, driverId, pickup: LISBON });

      const uploader = new LocationUploader(driver.db, driverId, 1000);
      uploader.report({ lat: LISBON.lat, lng: LISBON.lng });
      await uploader.idle();
      await adminDb().doc(`driverLocations/${driverId}`).set({ riderId, status: "busy" }, { merge: true });

      const seen: number[] = [];
      const stop = onSnapshot(doc(rider.db, "driverLocations", driverId), (snap) => {
        const lat = snap.get("lat");
        if (typeof lat === "number") seen.push(lat);
      });

      await disableNetwork(driver.db);
      const chunkWrites: Array<Promise<void>> = [];
      const T0 = Date.now();
      for (let i = 1; i <= 6; i++) {
        uploader.report({ lat: LISBON.lat + i * 0.0002, lng: LISBON.lng, accuracy: 5 });
        if (i % 2 === 0) {
          const points = [i - 1, i].map((k) => ({ lat: LISBON.lat + k * 0.0002, lng: LISBON.lng, t: T0 + k * 1000 }));
          chunkWrites.push(setDoc(doc(collection(driver.db, "bookings", bookingId, "track")), { points }));
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const latest = LISBON.lat + 6 * 0.0002;
      // Offline: nothing reached the server.
      expect((await adminDb().doc(`driverLocations/${driverId}`).get()).get("lat")).toBe(LISBON.lat);
      expect((await adminDb().collection(`bookings/${bookingId}/track`).get()).size).toBe(0);

      await enableNetwork(driver.db);
      await Promise.all(chunkWrites);
      await uploader.idle();

      expect((await adminDb().doc(`driverLocations/${driverId}`).get()).get("lat")).toBe(latest);
      expect(uploader.rejected).toBe(0);
      const chunks = await adminDb().collection(`bookings/${bookingId}/track`).get();
      expect(chunks.size).toBe(3);
      const ts = chunks.docs.flatMap((c) => (c.get("points") as Array<{ t: number }>).map((p) => p.t)).sort((a, b) => a - b);
      expect(ts).toEqual([1, 2, 3, 4, 5, 6].map((k) => T0 + k * 1000));
      await waitFor(async () => seen[seen.length - 1], (lat) => lat === latest, { what: "the rider's listener to see the latest position" });
      stop();
    });
  });
});
