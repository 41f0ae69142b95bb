import { collection, doc, getDoc, getDocs, query, serverTimestamp, setDoc, Timestamp, updateDoc, where } from "firebase/firestore";
import { describe, it } from "vitest";
import { allowed, denied, useRulesEnv } from "../helpers/rules";

const ADMIN = { role: "admin" };
const DRIVER = { role: "driver" };
const order = (id: string) => ({ id, location: { lat: 38.72, lng: -9.14 }, demand: 1, serviceSeconds: 120, window: { start: 1, end: 2 } });
const van = (driverId: string) => ({ driverId, start: { lat: 38.71, lng: -9.13 }, end: null, capacity: 10, shift: { start: 0, end: 3 } });

describe("rules: delivery plans and routes", () => {
  const rules = useRulesEnv();
  const request = (uid: string, extra: Record<string, unknown> = {}) => ({
    orders: [order("o1")], vans: [van("d1")], objective: "distance", revision: 1, status: "requested",
    createdBy: uid, createdAt: serverTimestamp(), updatedAt: serverTimestamp(), ...extra,
  });
  const seedPlan = (extra: Record<string, unknown> = {}) =>
    rules.seed((db) => setDoc(doc(db, "deliveryPlans/p1"), { ...request("boss"), createdAt: Timestamp.now(), updatedAt: Timestamp.now(), status: "planned", plannedRevision: 1, ...extra }));

  it("an admin creates a request as themself, revision 1, status requested; nobody else does", async () => {
    await allowed(setDoc(doc(rules.as("boss", ADMIN), "deliveryPlans/p1"), request("boss")));
    await denied(setDoc(doc(rules.as("boss", ADMIN), "deliveryPlans/p2"), request("someone-else")));
    await denied(setDoc(doc(rules.as("boss", ADMIN), "deliveryPlans/p2"), request("boss", { objective: "fastest" })));
    await denied(setDoc(doc(rules.as("boss", ADMIN), "deliveryPlans/p2"), request("boss", { orders: "o1" })));
    await denied(setDoc(doc(rules.as("boss", ADMIN), "deliveryPlans/p2"), request("boss", { vans: [] })));
    await denied(setDoc(doc(rules.as("d1", DRIVER), "deliveryPlans/p2"), request("d1")));
  });

  it("a request may name its city (whose speed profile times it) and link orders to bookings; a bad city is refused", async () => {
    const db = rules.as("boss", ADMIN);
    const linked = { id: "o2", bookingId: "b1", serviceSeconds: 120, window: { start: 1, end: 2 } };
    await allowed(setDoc(doc(db, "deliveryPlans/p1"), request("boss", { city: "lisbon", orders: [order("o1"), linked] })));
    await denied(setDoc(doc(db, "deliveryPlans/p2"), request("boss", { city: "" })));
    await denied(setDoc(doc(db, "deliveryPlans/p2"), request("boss", { city: "x".repeat(65) })));
    await denied(setDoc(doc(db, "deliveryPlans/p2"), request("boss", { city: 7 })));
    await seedPlan();
    await allowed(updateDoc(doc(db, "deliveryPlans/p1"), { city: "porto", revision: 2, status: "requested", updatedAt: serverTimestamp() }));
    await seedPlan();
    await denied(updateDoc(doc(db, "deliveryPlans/p1"), { city: ["porto"], revision: 2, status: "requested", updatedAt: serverTimestamp() }));
  });

  it("booking claims are read by admins only and written by nobody; speed profiles are the console's alone", async () => {
    await rules.seed((db) => setDoc(doc(db, "deliveryBookingClaims/b1"), { planId: "p1", orderId: "o1", driverId: "d1", claimedAt: 1 }));
    await allowed(getDoc(doc(rules.as("boss", ADMIN), "deliveryBookingClaims/b1")));
    await denied(getDoc(doc(rules.as("d1", DRIVER), "deliveryBookingClaims/b1")));
    await denied(setDoc(doc(rules.as("boss", ADMIN), "deliveryBookingClaims/b2"), { planId: "p1", orderId: "o1", driverId: "d1", claimedAt: 1 }));
    const hourly = Array.from({ length: 24 }, () => 0.5);
    await denied(setDoc(doc(rules.as("boss", ADMIN), "citySpeedProfiles/lisbon"), { hourly, timeZone: "Europe/Lisbon" }));
    await denied(getDoc(doc(rules.as("boss", ADMIN), "citySpeedProfiles/lisbon")));
  });

  it("a re-run bumps the revision by one and asks again; the server's fields stay the server's", async () => {
    await seedPlan();
    const db = rules.as("boss", ADMIN);
    await allowed(updateDoc(doc(db, "deliveryPlans/p1"), { orders: [order("o1"), order("o2")], revision: 2, status: "requested", updatedAt: serverTimestamp() }));
    await seedPlan();
    await denied(updateDoc(doc(db, "deliveryPlans/p1"), { orders: [order("o1"), order("o2")], revision: 1, status: "requested", updatedAt: serverTimestamp() }));
    await denied(updateDoc(doc(db, "deliveryPlans/p1"), { revision: 2, status: "planned", updatedAt: serverTimestamp() }));
    await denied(updateDoc(doc(db, "deliveryPlans/p1"), { revision: 2, status: "requested", plannedRevision: 2, updatedAt: serverTimestamp() }));
    await denied(updateDoc(doc(db, "deliveryPlans/p1"), { vans: Array.from({ length: 31 }, (_, i) => van(`d${i}`)), revision: 2, status: "requested", updatedAt: serverTimestamp() }));
    await denied(updateDoc(doc(rules.as("d1", DRIVER), "deliveryPlans/p1"), { revision: 2, status: "requested", updatedAt: serverTimestamp() }));
  });

  it("only admins read plans", async () => {
    await seedPlan();
    await allowed(getDoc(doc(rules.as("boss", ADMIN), "deliveryPlans/p1")));
    await denied(getDoc(doc(rules.as("d1", DRIVER), "deliveryPlans/p1")));
  });

  it("a route is read by its driver (get or query on driverId) and admins, by no other driver", async () => {
    await rules.seed((db) => setDoc(doc(db, "deliveryRoutes/p1__d1"), { planId: "p1", driverId: "d1", revision: 1, stops: [], updatedAt: 1 }));
    await allowed(getDoc(doc(rules.as("d1", DRIVER), "deliveryRoutes/p1__d1")));
    await allowed(getDocs(query(collection(rules.as("d1", DRIVER), "deliveryRoutes"), where("driverId", "==", "d1"))));
    await allowed(getDoc(doc(rules.as("boss", ADMIN), "deliveryRoutes/p1__d1")));
    await denied(getDoc(doc(rules.as("d2", DRIVER), "deliveryRoutes/p1__d1")));
    await denied(getDocs(collection(rules.as("d2", DRIVER), "deliveryRoutes")));
    await denied(getDoc(doc(rules.as("d1"), "deliveryRoutes/p1__d1")));
    await denied(updateDoc(doc(rules.as("d1", DRIVER), "deliveryRoutes/p1__d1"), { stops: [] }));
  });
});
