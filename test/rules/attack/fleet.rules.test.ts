// Attack suite: deliveryPlans/{planId} (admin-written requests) and deliveryRoutes/{routeId} (server-written,
// read by their driver only).
import { doc, setDoc } from "firebase/firestore";
import { describe, vi } from "vitest";
import { attackTable, payloadAttacks, people, printAttackCounts, serverOwned, strangers, unauthenticated } from "../../helpers/attackSuite";
import { useRulesEnv } from "../../helpers/rules";
import { ago, now } from "../../helpers/rulesFixtures";

const { rider, driver, otherDriver, driverWithoutRole, admin, mallory } = people;
const order = { id: "o1", location: { lat: 38.72, lng: -9.14 }, demand: 1, serviceSeconds: 120, window: { start: 1, end: 2 } };
const van = { driverId: driver.uid, start: { lat: 38.71, lng: -9.13 }, end: null, capacity: 10, shift: { start: 0, end: 3 } };
const request = () => ({ orders: [order], vans: [van], objective: "distance", revision: 1, status: "requested", createdBy: admin.uid, createdAt: now(), updatedAt: now() });
const stored = { orders: [order], vans: [van], objective: "distance", revision: 1, status: "planned", plannedRevision: 1, createdBy: admin.uid, createdAt: ago(1000), updatedAt: ago(1000) };
const route = { planId: "p1", driverId: driver.uid, revision: 1, stops: [{ orderId: "o1", location: order.location, eta: 1, status: "pending", doneAt: null }], updatedAt: 1 };

// The afterAll that fetches this suite's rules coverage report (four collections, ~150 requests) took over the
// 60 s default on the shared 2-core machine in three runs out of three (load average 20–33).
vi.setConfig({ hookTimeout: 180_000 });

describe("attack suite: delivery fleets", () => {
  const rules = useRulesEnv();
  printAttackCounts("fleet");

  attackTable(rules, {
    collection: "deliveryPlans/{planId}",
    seed: (db) => setDoc(doc(db, "deliveryPlans/p1"), stored),
    controls: [
      { name: "an admin writes a planning request", who: admin, op: { type: "create", path: "deliveryPlans/p2", data: request() } },
      { name: "an admin re-runs a plan with the next revision", who: admin, op: { type: "update", path: "deliveryPlans/p1", data: { orders: [order, { ...order, id: "o2" }], revision: 2, status: "requested", updatedAt: now() } } },
      { name: "an admin reads a plan", who: admin, op: { type: "get", path: "deliveryPlans/p1" } },
      { name: "an admin writes a request for a city, with a booking-linked order", who: admin, op: { type: "create", path: "deliveryPlans/p4", data: { ...request(), city: "lisbon", orders: [order, { id: "o2", bookingId: "b1", serviceSeconds: 60, window: { start: 1, end: 2 } }] } } },
    ],
    attacks: [
      ...unauthenticated("deliveryPlans/p1", request()),
      ...strangers("wrong role", [rider, driver, mallory], [
        { type: "get", path: "deliveryPlans/p1" }, { type: "list", path: "deliveryPlans" },
        { type: "create", path: "deliveryPlans/p3", data: { ...request(), createdBy: rider.uid } },
        { type: "update", path: "deliveryPlans/p1", data: { revision: 2, status: "requested", updatedAt: now() } },
      ]),
      ...payloadAttacks({
        who: admin, type: "create", path: "deliveryPlans/p3", valid: request(),
        required: ["orders", "vans", "objective", "revision", "status", "createdBy", "createdAt", "updatedAt"],
        skipMistype: ["orders", "vans"],
        maxLength: { orders: 200, vans: 30 },
        badValues: { objective: ["time", ""], revision: [0, 2], status: ["planned", "invalid"], vans: [[]], city: ["", "x".repeat(65), 3], createdAt: [ago(60_000)], updatedAt: [ago(60_000)] },
        serverFields: { plannedRevision: 1, result: { vehicles: 1 }, issues: [], plannedAt: 1 },
        forgedIds: { createdBy: otherDriver.uid },
      }),
      ...payloadAttacks({
        who: admin, type: "update", path: "deliveryPlans/p1", valid: { revision: 2, status: "requested", updatedAt: now() },
        badValues: { revision: [1, 3], status: ["planned"], updatedAt: [ago(60_000)] },
        serverFields: { plannedRevision: 2, result: { vehicles: 0 }, createdBy: otherDriver.uid, createdAt: now() },
      }),
      { kind: "illegal transition", name: "an admin deletes a plan", who: admin, op: { type: "delete", path: "deliveryPlans/p1" } },
    ],
  });

  attackTable(
    rules,
    serverOwned({
      collection: "deliveryRoutes/{routeId}",
      path: `deliveryRoutes/p1__${driver.uid}`,
      data: route,
      readers: [driver, admin],
      readerQueries: [{ name: "the driver queries their routes", who: driver, op: { type: "list", path: "deliveryRoutes", where: ["driverId", "==", driver.uid] } }],
      deniedReaders: [["other user's data", otherDriver], ["wrong role", driverWithoutRole], ["wrong role", rider], ["wrong role", mallory]],
      writers: [driver, admin],
      tamper: { stops: [] },
    }),
  );

  attackTable(
    rules,
    serverOwned({
      collection: "deliveryBookingClaims/{bookingId}",
      path: "deliveryBookingClaims/b1",
      data: { planId: "p1", orderId: "o1", driverId: driver.uid, claimedAt: 1 },
      readers: [admin],
      deniedReaders: [["wrong role", driver], ["wrong role", rider], ["wrong role", mallory]],
      writers: [driver, admin, rider],
      tamper: { planId: "mine" },
    }),
  );

  attackTable(
    rules,
    serverOwned({
      collection: "citySpeedProfiles/{city}",
      path: "citySpeedProfiles/lisbon",
      data: { hourly: Array.from({ length: 24 }, () => 1), timeZone: "Europe/Lisbon" },
      readers: [],
      deniedReaders: [["wrong role", admin], ["wrong role", driver], ["wrong role", mallory]],
      writers: [admin, driver],
      tamper: { hourly: Array.from({ length: 24 }, () => 0.05) },
    }),
  );
});
