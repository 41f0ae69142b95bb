// bookings/{id}/changes/{changeId}: proposals priced by proposeTripChange. The rider reads their own; nobody
// writes one from a client (the price and the route are the server's), and the booking's route fields stay
// server-only after creation.
import { addDoc, collection, deleteDoc, doc, getDoc, getDocs, query, setDoc, Timestamp, updateDoc, where } from "firebase/firestore";
import { describe, it } from "vitest";
import { allowed, denied, useRulesEnv } from "../helpers/rules";

const proposal = {
  riderId: "rita",
  status: "proposed",
  dropoff: { lat: 38.77, lng: -9.1 },
  stops: [],
  estimateMinor: 1500,
  maxMinor: 1800,
  currency: "eur",
  breakdown: [],
  distanceMeters: 9000,
  durationSeconds: 900,
  basedOn: { status: "accepted", routeVersion: 0, estimateMinor: 900 },
  createdAt: Timestamp.now(),
  expiresAt: Timestamp.fromMillis(Date.now() + 300_000),
};

describe("rules: trip change proposals", () => {
  const rules = useRulesEnv();
  const seed = () =>
    rules.seed(async (db) => {
      await setDoc(doc(db, "bookings/b1"), { status: "accepted", riderId: "rita", driverId: "dave", dropoff: { lat: 38.73, lng: -9.14 }, stops: [] });
      await setDoc(doc(db, "bookings/b1/changes/c1"), proposal);
    });

  it("lets the rider and admins read the rider's proposals", async () => {
    await seed();
    await allowed(getDoc(doc(rules.as("rita"), "bookings/b1/changes/c1")));
    await allowed(getDocs(query(collection(rules.as("rita"), "bookings/b1/changes"), where("riderId", "==", "rita"))));
    await allowed(getDoc(doc(rules.as("root", { role: "admin" }), "bookings/b1/changes/c1")));
  });

  it("denies the driver, other users and strangers a read, and an unfiltered list", async () => {
    await seed();
    await denied(getDoc(doc(rules.as("dave", { role: "driver" }), "bookings/b1/changes/c1")));
    await denied(getDoc(doc(rules.as("mallory"), "bookings/b1/changes/c1")));
    await denied(getDoc(doc(rules.anonymous(), "bookings/b1/changes/c1")));
    await denied(getDocs(collection(rules.as("rita"), "bookings/b1/changes")));
  });

  it("denies every client write of a proposal, even the rider's own", async () => {
    await seed();
    await denied(addDoc(collection(rules.as("rita"), "bookings/b1/changes"), proposal));
    await denied(updateDoc(doc(rules.as("rita"), "bookings/b1/changes/c1"), { estimateMinor: 1 }));
    await denied(updateDoc(doc(rules.as("rita"), "bookings/b1/changes/c1"), { status: "applied" }));
    await denied(deleteDoc(doc(rules.as("rita"), "bookings/b1/changes/c1")));
    await denied(setDoc(doc(rules.as("root", { role: "admin" }), "bookings/b1/changes/c2"), proposal));
  });

  it("keeps the booking's destination, stops, fare and route version server-only for its rider", async () => {
    await seed();
    await denied(updateDoc(doc(rules.as("rita"), "bookings/b1"), { dropoff: { lat: 38.77, lng: -9.1 } }));
    await denied(updateDoc(doc(rules.as("rita"), "bookings/b1"), { stops: [{ lat: 38.75, lng: -9.12 }] }));
    await denied(updateDoc(doc(rules.as("rita"), "bookings/b1"), { routeVersion: 1 }));
    await denied(updateDoc(doc(rules.as("rita"), "bookings/b1"), { "fare.estimateMinor": 1 }));
  });
});
