import { collection, deleteDoc, doc, getDoc, getDocs, serverTimestamp, setDoc, Timestamp, updateDoc } from "firebase/firestore";
import { describe, it } from "vitest";
import { allowed, denied, useRulesEnv } from "../helpers/rules";

const admin = { role: "admin" };
// One environment for the file: loading the rules again would reset the emulator's coverage counters.
const rules = useRulesEnv();

describe("rules: analytics aggregates and reports", () => {

  const seedAggregates = () =>
    rules.seed(async (db) => {
      await setDoc(doc(db, "analyticsDaily/2026-07-01"), { day: "2026-07-01", activeRiders: 1 });
      await setDoc(doc(db, "analyticsDaily/2026-07-01/driverDays/d1"), { day: "2026-07-01", driverId: "d1" });
      await setDoc(doc(db, "analyticsDaily/2026-07-01/activeUsers/r1"), { uid: "r1", asRider: 1 });
      await setDoc(doc(db, "driverStats/d1"), { driverId: "d1" });
      await setDoc(doc(db, "analyticsBookings/b1"), { bookingId: "b1", counted: null });
      await setDoc(doc(db, "reports/rep1"), { kind: "usage", csv: "" });
    });

  it("lets admins read every analytics document", async () => {
    await seedAggregates();
    const db = rules.as("root", admin);
    for (const path of ["analyticsDaily/2026-07-01", "analyticsDaily/2026-07-01/driverDays/d1", "analyticsDaily/2026-07-01/activeUsers/r1", "driverStats/d1", "analyticsBookings/b1", "reports/rep1"]) {
      await allowed(getDoc(doc(db, path)));
    }
    await allowed(getDocs(collection(db, "analyticsDaily")));
  });

  it("lets a driver read their own stats only", async () => {
    await seedAggregates();
    await allowed(getDoc(doc(rules.as("d1", { role: "driver" }), "driverStats/d1")));
    await denied(getDoc(doc(rules.as("d2", { role: "driver" }), "driverStats/d1")));
    await denied(getDoc(doc(rules.anonymous(), "driverStats/d1")));
  });

  it("hides aggregates and reports from everyone else", async () => {
    await seedAggregates();
    for (const db of [rules.as("d1", { role: "driver" }), rules.as("r1"), rules.anonymous()]) {
      for (const path of ["analyticsDaily/2026-07-01", "analyticsDaily/2026-07-01/driverDays/d1", "analyticsDaily/2026-07-01/activeUsers/r1", "analyticsBookings/b1", "reports/rep1"]) {
        await denied(getDoc(doc(db, path)));
      }
    }
  });

  it("lets no client, not even an admin, write aggregates or reports", async () => {
    await seedAggregates();
    const db = rules.as("root", admin);
    await denied(setDoc(doc(db, "analyticsDaily/2026-07-02"), { day: "2026-07-02" }));
    await denied(updateDoc(doc(db, "analyticsDaily/2026-07-01"), { activeRiders: 5 }));
    await denied(setDoc(doc(db, "analyticsDaily/2026-07-01/driverDays/d9"), { day: "2026-07-01" }));
    await denied(updateDoc(doc(rules.as("d1", { role: "driver" }), "driverStats/d1"), { acceptanceRate: 1 }));
    await denied(setDoc(doc(db, "analyticsBookings/b2"), { bookingId: "b2" }));
    await denied(setDoc(doc(db, "reports/rep2"), { kind: "usage" }));
    await denied(deleteDoc(doc(db, "reports/rep1")));
  });
});

describe("rules: ratings", () => {
  const rating = (stars: unknown = 5, extra: Record<string, unknown> = {}) => ({ stars, createdAt: serverTimestamp(), ...extra });
  const seedBooking = (status: string, id = "b1") =>
    rules.seed((db) => setDoc(doc(db, `bookings/${id}`), { status, riderId: "rider", driverId: "driver" }));

  it("lets the rider and the driver of a completed booking rate once each", async () => {
    await seedBooking("completed");
    await allowed(setDoc(doc(rules.as("rider"), "bookings/b1/ratings/rider"), rating(5, { comment: "Great trip" })));
    await allowed(setDoc(doc(rules.as("driver", { role: "driver" }), "bookings/b1/ratings/driver"), rating(4)));
  });

  it("refuses a second rating, updates and deletes", async () => {
    await seedBooking("completed");
    await allowed(setDoc(doc(rules.as("rider"), "bookings/b1/ratings/rider"), rating(5)));
    await denied(setDoc(doc(rules.as("rider"), "bookings/b1/ratings/rider"), rating(1)));
    await denied(updateDoc(doc(rules.as("rider"), "bookings/b1/ratings/rider"), { stars: 1 }));
    await denied(deleteDoc(doc(rules.as("rider"), "bookings/b1/ratings/rider")));
  });

  it("refuses strangers, forged raters and bookings not completed", async () => {
    await seedBooking("completed");
    await seedBooking("in_progress", "b2");
    await denied(setDoc(doc(rules.as("stranger"), "bookings/b1/ratings/stranger"), rating(1)));
    await denied(setDoc(doc(rules.as("stranger"), "bookings/b1/ratings/rider"), rating(1)));
    await denied(setDoc(doc(rules.anonymous(), "bookings/b1/ratings/rider"), rating(1)));
    await denied(setDoc(doc(rules.as("rider"), "bookings/b2/ratings/rider"), rating(5)));
    await denied(setDoc(doc(rules.as("rider"), "bookings/missing/ratings/rider"), rating(5)));
  });

  it("refuses stars out of range or not integers, long comments, extra fields and forged times", async () => {
    await seedBooking("completed");
    const db = rules.as("rider");
    const ref = doc(db, "bookings/b1/ratings/rider");
    for (const stars of [0, 6, 4.5, "5", null]) await denied(setDoc(ref, rating(stars)));
    await denied(setDoc(ref, rating(5, { comment: "x".repeat(501) })));
    await denied(setDoc(ref, rating(5, { comment: 5 })));
    await denied(setDoc(ref, rating(5, { driverId: "driver" })));
    await denied(setDoc(ref, { stars: 5, createdAt: Timestamp.fromMillis(0) }));
    await denied(setDoc(ref, { stars: 5 }));
    await allowed(setDoc(ref, rating(1, { comment: "x".repeat(500) })));
  });

  it("lets the rater and admins read a rating, nobody else", async () => {
    await seedBooking("completed");
    await rules.seed((db) => setDoc(doc(db, "bookings/b1/ratings/rider"), { stars: 5, createdAt: Timestamp.now() }));
    await allowed(getDoc(doc(rules.as("rider"), "bookings/b1/ratings/rider")));
    await allowed(getDoc(doc(rules.as("root", admin), "bookings/b1/ratings/rider")));
    await allowed(getDocs(collection(rules.as("root", admin), "bookings/b1/ratings")));
    await denied(getDoc(doc(rules.as("stranger"), "bookings/b1/ratings/rider")));
    await denied(getDocs(collection(rules.as("rider"), "bookings/b1/ratings")));
  });
});
