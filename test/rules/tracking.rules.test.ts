import { deleteDoc, doc, getDoc, getDocs, collection, serverTimestamp, setDoc, Timestamp, updateDoc, type Firestore } from "firebase/firestore";
import { describe, it } from "vitest";
import { allowed, denied, useRulesEnv } from "../helpers/rules";

const DRIVER = { role: "driver" };
const GEOHASH = "eycs0p8ukc"; // Lisbon, geofire-common precision 10

function position(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { lat: 38.7223, lng: -9.1393, geohash: GEOHASH, updatedAt: serverTimestamp(), ...overrides };
}
const without = (key: string) => {
  const p = position();
  delete p[key];
  return p;
};

describe("rules: driverLocations", () => {
  const rules = useRulesEnv();
  const locationOf = (db: Firestore, uid = "d1") => doc(db, "driverLocations", uid);
  const seedLocation = (data: Record<string, unknown>) => rules.seed((db) => setDoc(doc(db, "driverLocations/d1"), data));
  const stored = (ageMs: number, extra: Record<string, unknown> = {}) => ({
    lat: 38.7223, lng: -9.1393, geohash: GEOHASH, updatedAt: Timestamp.fromMillis(Date.now() - ageMs), status: "available", categoryId: "standard", ...extra,
  });

  it("lets a driver create their own location with the client fields, optional ones included", async () => {
    await allowed(setDoc(locationOf(rules.as("d1", DRIVER)), position()));
    await allowed(setDoc(locationOf(rules.as("d2", DRIVER), "d2"), position({ heading: 359.5, speed: 13.2, accuracy: 4 })));
  });

  it("denies another driver, a rider, an admin and anonymous writing someone's location", async () => {
    await denied(setDoc(locationOf(rules.as("d2", DRIVER)), position()));
    await denied(setDoc(locationOf(rules.as("d1")), position())); // d1 without the driver role
    await denied(setDoc(locationOf(rules.as("root", { role: "admin" })), position()));
    await denied(setDoc(locationOf(rules.anonymous()), position()));
  });

  it("requires lat, lng, geohash and updatedAt", async () => {
    for (const key of ["lat", "lng", "geohash", "updatedAt"]) {
      await denied(setDoc(locationOf(rules.as("d1", DRIVER)), without(key)));
    }
  });

  it("checks every client field's type and range", async () => {
    const db = rules.as("d1", DRIVER);
    const bad: Array<Record<string, unknown>> = [
      { lat: 90.01 }, { lat: -90.01 }, { lat: "38.7" },
      { lng: 180.01 }, { lng: -180.01 }, { lng: null },
      { geohash: "eyc" }, { geohash: "eycs0p8ukc123" }, { geohash: "EYCS0P8UKC" }, { geohash: "eycs0p8uka" }, { geohash: 12345678 },
      { heading: -1 }, { heading: 361 }, { heading: "north" },
      { speed: -0.1 }, { speed: 100.1 }, { speed: "fast" },
      { accuracy: -1 }, { accuracy: 10001 }, { accuracy: "good" },
      { updatedAt: Timestamp.fromMillis(Date.now() - 60_000) }, { updatedAt: Timestamp.fromMillis(Date.now() + 60_000) },
    ];
    for (const override of bad) await denied(setDoc(locationOf(db), position(override)));
    const good: Array<Record<string, unknown>> = [
      { lat: 90, lng: 180 }, { lat: -90, lng: -180 }, { geohash: "eycs0p" }, { geohash: "eycs0p8ukc12" },
      { heading: 0 }, { heading: 360 }, { speed: 0 }, { speed: 100 }, { accuracy: 0 }, { accuracy: 10000 },
    ];
    for (const [i, override] of good.entries()) {
      await allowed(setDoc(locationOf(rules.as(`g${i}`, DRIVER), `g${i}`), position(override)));
    }
  });

  it("denies extra fields and the server fields on create", async () => {
    const db = rules.as("d1", DRIVER);
    for (const extra of [{ status: "available" }, { categoryId: "standard" }, { riderId: "r1" }, { altitude: 12 }]) {
      await denied(setDoc(locationOf(db), position(extra)));
    }
  });

  it("lets the driver update the position once the stored one is more than a second old", async () => {
    await seedLocation(stored(5_000));
    await allowed(setDoc(locationOf(rules.as("d1", DRIVER)), position({ lat: 38.7226 }), { merge: true }));
    await seedLocation(stored(5_000));
    await allowed(updateDoc(locationOf(rules.as("d1", DRIVER)), { lat: 38.7201, lng: -9.14, heading: 90, updatedAt: serverTimestamp() }));
  });

  it("rate-limits updates to one a second, also when the server created the document without a position", async () => {
    await seedLocation(stored(200));
    await denied(setDoc(locationOf(rules.as("d1", DRIVER)), position({ lat: 38.7224 }), { merge: true }));
    await seedLocation(stored(1_500));
    await allowed(setDoc(locationOf(rules.as("d1", DRIVER)), position({ lat: 38.7224 }), { merge: true }));
    await denied(setDoc(locationOf(rules.as("d1", DRIVER)), position({ lat: 38.7225 }), { merge: true }));
    await seedLocation({ status: "available", categoryId: "standard" });
    await allowed(setDoc(locationOf(rules.as("d1", DRIVER)), position(), { merge: true }));
  });

  // 70 m/s × the seconds since the stored position + 100 m of GPS slack (tracking/policy.ts).
  const north = (meters: number) => ({ lat: 38.7223 + meters / 111_195, lng: -9.1393 });
  it("lets a position move only as far as a vehicle can since the stored one (70 m/s + 100 m)", async () => {
    const db = rules.as("d1", DRIVER);
    await seedLocation(stored(2_000));
    await allowed(setDoc(locationOf(db), position(north(30)), { merge: true })); // a car at 15 m/s
    await seedLocation(stored(2_000));
    await denied(setDoc(locationOf(db), position({ lat: 38.7223 + 274_000 / 111_195 }), { merge: true })); // 274 km in 2 s
    await seedLocation(stored(2_000));
    await denied(setDoc(locationOf(db), position(north(300)), { merge: true })); // 150 m/s: over 70 × 2 + 100 = 240 m
    await seedLocation(stored(2_000));
    await denied(updateDoc(locationOf(db), { ...north(1_000), updatedAt: serverTimestamp() }));
    // The allowance grows with the time since the stored position: 1 km after 60 s is fine (17 m/s).
    await seedLocation(stored(60_000));
    await allowed(updateDoc(locationOf(db), { ...north(1_000), updatedAt: serverTimestamp() }));
  });

  it("the first position is placed anywhere: a create, or an update of the server's position-less document", async () => {
    // Dispatch needs a first position, and nothing is there to compare it with; a driver cannot delete a
    // stored position to start afresh, so only the very first one is free.
    await allowed(setDoc(locationOf(rules.as("d9", DRIVER), "d9"), position(north(274_000))));
    await seedLocation({ status: "available", categoryId: "standard" });
    await allowed(setDoc(locationOf(rules.as("d1", DRIVER)), position(north(274_000)), { merge: true }));
    await denied(setDoc(locationOf(rules.as("d1", DRIVER)), position(), { merge: true })); // and then no jump back
  });

  it("keeps status, categoryId and riderId out of the driver's reach on update", async () => {
    for (const change of [{ status: "busy" }, { categoryId: "luxury" }, { riderId: "r9" }, { riderId: null }]) {
      await seedLocation(stored(5_000, { riderId: "r1" }));
      await denied(setDoc(locationOf(rules.as("d1", DRIVER)), position(change), { merge: true }));
    }
    await seedLocation(stored(5_000, { riderId: "r1" }));
    // A full overwrite would delete the server fields: denied.
    await denied(setDoc(locationOf(rules.as("d1", DRIVER)), position()));
    await denied(updateDoc(locationOf(rules.as("d1", DRIVER)), { altitude: 3, updatedAt: serverTimestamp() }));
    await denied(updateDoc(locationOf(rules.as("d1", DRIVER)), { lat: 95, updatedAt: serverTimestamp() }));
    await denied(updateDoc(locationOf(rules.as("d2", DRIVER)), { lat: 38.8, updatedAt: serverTimestamp() }));
  });

  it("never lets a client delete a location", async () => {
    await seedLocation(stored(5_000));
    await denied(deleteDoc(locationOf(rules.as("d1", DRIVER))));
    await denied(deleteDoc(locationOf(rules.as("root", { role: "admin" }))));
  });

  it("lets the driver and admins read; the trip's rider only while riderId names them", async () => {
    await seedLocation(stored(5_000, { riderId: "r1" }));
    await allowed(getDoc(locationOf(rules.as("d1", DRIVER))));
    await allowed(getDoc(locationOf(rules.as("root", { role: "admin" }))));
    await allowed(getDoc(locationOf(rules.as("r1"))));
    await denied(getDoc(locationOf(rules.as("r2")))); // another rider
    await denied(getDoc(locationOf(rules.as("d2", DRIVER)))); // another driver
    await denied(getDoc(locationOf(rules.anonymous()))); // a stranger
    await denied(getDocs(collection(rules.as("r1"), "driverLocations"))); // no listing

    await seedLocation(stored(5_000, { riderId: null })); // trip ended or cancelled
    await denied(getDoc(locationOf(rules.as("r1"))));
    await allowed(getDoc(locationOf(rules.as("d1", DRIVER))));
    await seedLocation(stored(5_000)); // never assigned
    await denied(getDoc(locationOf(rules.as("r1"))));
  });
});

describe("rules: bookings/{id}/track", () => {
  const rules = useRulesEnv();
  const chunk = (db: Firestore, id = "c1") => doc(db, "bookings/b1/track", id);
  const T = Date.now();
  const points = (n = 3) => Array.from({ length: n }, (_, i) => ({ lat: 38.7 + i * 0.0001, lng: -9.14, t: T - (n - 1 - i) * 1000 }));
  const seedBooking = (status: string, driverId: string | null = "d1") =>
    rules.seed((db) => setDoc(doc(db, "bookings/b1"), { status, riderId: "r1", driverId }));

  it("lets the assigned driver append chunks while the trip is in progress", async () => {
    await seedBooking("in_progress");
    await allowed(setDoc(chunk(rules.as("d1", DRIVER)), { points: points() }));
    await allowed(setDoc(chunk(rules.as("d1", DRIVER), "c2"), { points: [{ lat: 38.7, lng: -9.14, t: T, accuracy: 5 }] }));
    await allowed(setDoc(chunk(rules.as("d1", DRIVER), "c3"), { points: points(120) }));
  });

  it("denies other drivers, the rider, admins, and the driver outside in_progress", async () => {
    await seedBooking("in_progress");
    await denied(setDoc(chunk(rules.as("d2", DRIVER)), { points: points() }));
    await denied(setDoc(chunk(rules.as("r1")), { points: points() }));
    await denied(setDoc(chunk(rules.as("d1")), { points: points() })); // the right uid without the driver role
    await denied(setDoc(chunk(rules.anonymous()), { points: points() }));
    for (const status of ["accepted", "arrived", "completed", "cancelled"]) {
      await seedBooking(status);
      await denied(setDoc(chunk(rules.as("d1", DRIVER)), { points: points() }));
    }
    await seedBooking("in_progress", null);
    await denied(setDoc(chunk(rules.as("d1", DRIVER)), { points: points() }));
  });

  it("checks the chunk's shape and size cap", async () => {
    await seedBooking("in_progress");
    const db = rules.as("d1", DRIVER);
    const bad: Array<Record<string, unknown>> = [
      { points: [] },
      { points: points(121) },
      { points: "nope" },
      { points: points(), extra: 1 },
      {},
      { points: [{ lat: 91, lng: 0, t: T }] },
      { points: [{ lat: 0, lng: 181, t: T }] },
      { points: [{ lat: 0, lng: 0 }] },
      { points: [{ lat: 0, lng: 0, t: "now" }] },
      { points: [{ lat: 0, lng: 0, t: T, speed: 3 }] },
      { points: [...points(2), { lat: "x", lng: 0, t: T }] },
    ];
    for (const data of bad) await denied(setDoc(chunk(db), data));
  });

  it("bounds the first and last points' time by the server's clock (a forged track cannot stretch time)", async () => {
    await seedBooking("in_progress");
    const db = rules.as("d1", DRIVER);
    const at = (t: number) => ({ lat: 38.7, lng: -9.14, t });
    const now = Date.now();
    await allowed(setDoc(chunk(db, "fresh"), { points: [at(now - 14 * 60_000), at(now - 1000), at(now + 30_000)] }));
    await denied(setDoc(chunk(db, "old"), { points: [at(now - 16 * 60_000), at(now)] })); // first point before the window
    await denied(setDoc(chunk(db, "future"), { points: [at(now), at(now + 179_000 * 119)] })); // "179 s" apart, 6 h ahead
    await denied(setDoc(chunk(db, "ahead"), { points: [at(now + 5 * 60_000)] }));
  });

  it("never allows updates or deletes of a chunk", async () => {
    await seedBooking("in_progress");
    await rules.seed((db) => setDoc(doc(db, "bookings/b1/track/c1"), { points: points() }));
    await denied(setDoc(chunk(rules.as("d1", DRIVER)), { points: points(4) }));
    await denied(updateDoc(chunk(rules.as("d1", DRIVER)), { points: points(1) }));
    await denied(deleteDoc(chunk(rules.as("d1", DRIVER))));
  });

  it("lets the trip's driver, rider and admins read the path, nobody else", async () => {
    await seedBooking("completed");
    await rules.seed((db) => setDoc(doc(db, "bookings/b1/track/c1"), { points: points() }));
    await allowed(getDoc(chunk(rules.as("d1", DRIVER))));
    await allowed(getDocs(collection(rules.as("r1"), "bookings/b1/track")));
    await allowed(getDoc(chunk(rules.as("root", { role: "admin" }))));
    await denied(getDoc(chunk(rules.as("r2"))));
    await denied(getDoc(chunk(rules.as("d2", DRIVER))));
    await denied(getDoc(chunk(rules.anonymous())));
  });
});
