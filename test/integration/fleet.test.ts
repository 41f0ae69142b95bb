// Delivery plans on the emulators: an admin (dispatcher) writes a planning request, the fleetOnPlanWritten
// trigger solves it (VRPTW over the offline travel estimate: no Maps key on the emulator; timed with the city's
// speed profile) and writes each van's route, which only that van's driver reads. Drivers work their route
// stop by stop through completeDeliveryStop, in order. Re-runs keep the stops arrived at or done. Orders may
// be delivery bookings: the plan takes their addresses from the booking and claims them.
import { FirebaseError } from "firebase/app";
import { collection, doc, getDoc, getDocs, query, serverTimestamp, setDoc, updateDoc, where } from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminDb, waitFor } from "../helpers/admin";
import { signedInClient, uniqueId, type ClientUser } from "../helpers/clients";
import { moveDriver, waitForStatus } from "./bookings/harness";

interface Stop {
  orderId: string; bookingId: string | null; location: { lat: number; lng: number }; pickup: { lat: number; lng: number } | null;
  eta: number; status: "pending" | "arrived" | "done"; arrivedAt: number | null; doneAt: number | null; outcome: "delivered" | "failed" | null;
}
interface Route { planId: string; driverId: string; revision: number; stops: Stop[] }

const opened: ClientUser[] = [];
afterAll(async () => Promise.all(opened.map((c) => c.close())));

const HOUR = 3600_000;
const depot = { lat: 38.7223, lng: -9.1393 };
const shiftStart = Math.ceil(Date.now() / HOUR) * HOUR + HOUR;
const shift = { start: shiftStart, end: shiftStart + 8 * HOUR };
const allDay = { start: shiftStart, end: shift.end - HOUR };
/** Twelve addresses around the depot (a few km), each open for most of the shift, two of them only for an hour. */
const orders = Array.from({ length: 12 }, (_, k) => ({
  id: `o${k + 1}`,
  location: { lat: depot.lat + 0.01 * Math.cos(k) * (1 + (k % 3)), lng: depot.lng + 0.012 * Math.sin(k) * (1 + (k % 4)) },
  demand: 1 + (k % 3),
  serviceSeconds: 180,
  window: k === 3 || k === 8 ? { start: shiftStart + 2 * HOUR, end: shiftStart + 3 * HOUR } : allDay,
}));

async function refused(promise: Promise<unknown>, code: string) {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error, "the call should have been refused").toBeInstanceOf(FirebaseError);
  expect((error as FirebaseError).code).toBe(code);
}
const denied = (promise: Promise<unknown>) => refused(promise, "permission-denied");
const routeData = async (planId: string, driverId: string) => (await adminDb().doc(`deliveryRoutes/${planId}__${driverId}`).get()).data() as Route;

describe("delivery plans (VRPTW) on the emulators", { timeout: 240_000 }, () => {
  let admin: ClientUser;
  let drivers: ClientUser[];
  let rider: ClientUser;
  const planId = uniqueId("plan");

  beforeAll(async () => {
    admin = await signedInClient(uniqueId("dispatcher"), { role: "admin" });
    drivers = await Promise.all([1, 2, 3].map((k) => signedInClient(uniqueId(`van-driver-${k}`), { role: "driver" })));
    rider = await signedInClient(uniqueId("fleet-rider"));
    opened.push(admin, rider, ...drivers);
  });

  const vans = () => drivers.map((d) => ({ driverId: d.uid, start: depot, end: depot, capacity: 10, shift }));
  const routeOf = async (who: ClientUser, driver: ClientUser, plan = planId) => (await getDoc(doc(who.db, `deliveryRoutes/${plan}__${driver.uid}`))).data() as Route;
  const request = (extra: Record<string, unknown>) => ({
    objective: "duration", revision: 1, status: "requested", createdBy: admin.uid, createdAt: serverTimestamp(), updatedAt: serverTimestamp(), ...extra,
  });
  // Generous: a first solve loads its modules, and the emulators share two cores with other suites.
  const placed = (id: string, revision = 1) =>
    waitFor(async () => (await adminDb().doc(`deliveryPlans/${id}`).get()).data(), (p) => (p?.plannedRevision ?? 0) >= revision, {
      timeoutMs: 90_000, intervalMs: 250, what: `plan ${id} revision ${revision} to be solved`,
    });

  it("twelve orders and three vans: every order on exactly one route, within its window; each driver reads only their own", async () => {
    await setDoc(doc(admin.db, `deliveryPlans/${planId}`), request({ orders, vans: vans() }));
    const plan = await placed(planId);
    expect(plan!.status).toBe("planned");
    expect(plan!.result.unassigned).toEqual([]);

    const routes = await Promise.all(drivers.map((d) => routeOf(d, d)));
    const served = routes.flatMap((r) => r.stops.map((s) => s.orderId));
    expect(served.sort()).toEqual(orders.map((o) => o.id).sort());
    for (const route of routes) {
      let load = 0;
      for (const stop of route.stops) {
        const o = orders.find((x) => x.id === stop.orderId)!;
        expect(stop).toMatchObject({ status: "pending", bookingId: null, pickup: null, arrivedAt: null, doneAt: null, outcome: null, location: o.location });
        expect(stop.eta).toBeGreaterThanOrEqual(o.window.start);
        expect(stop.eta).toBeLessThanOrEqual(o.window.end);
        load += o.demand;
      }
      expect(load).toBeLessThanOrEqual(10);
      const etas = route.stops.map((s) => s.eta);
      expect(etas).toEqual([...etas].sort((a, b) => a - b));
    }
    const [d1, d2] = drivers as [ClientUser, ClientUser];
    const mine = await getDocs(query(collection(d1.db, "deliveryRoutes"), where("driverId", "==", d1.uid)));
    expect(mine.docs.map((d) => d.id)).toEqual([`${planId}__${d1.uid}`]);
    await denied(getDoc(doc(d2.db, `deliveryRoutes/${planId}__${d1.uid}`)));
    await denied(getDoc(doc(rider.db, `deliveryRoutes/${planId}__${d1.uid}`)));
    await denied(getDocs(query(collection(d2.db, "deliveryRoutes"), where("driverId", "==", d1.uid))));
    await denied(getDocs(collection(rider.db, "deliveryRoutes")));
    await denied(getDoc(doc(d1.db, `deliveryPlans/${planId}`)));
  });

  it("a driver finishing someone else's stop, or a stop out of order, is refused and changes nothing", async () => {
    const [d1, d2] = drivers as [ClientUser, ClientUser];
    const before = await Promise.all(drivers.map((d) => routeData(planId, d.uid)));
    const [first, second] = before[0]!.stops as [Stop, Stop];
    await refused(d2.call("completeDeliveryStop", { planId, orderId: first.orderId }), "functions/not-found");
    await refused(d1.call("completeDeliveryStop", { planId, orderId: second.orderId }), "functions/failed-precondition");
    await refused(d1.call("completeDeliveryStop", { planId, orderId: second.orderId, step: "arrived" }), "functions/failed-precondition");
    await refused(rider.call("completeDeliveryStop", { planId, orderId: first.orderId }), "functions/permission-denied");
    await refused(d2.call("completeDeliveryStop", { planId: `${planId}__${d1.uid}`, orderId: first.orderId }), "functions/not-found");
    expect(await Promise.all(drivers.map((d) => routeData(planId, d.uid)))).toEqual(before);
  });

  it("an order added after the plan is placed; the stops already done (and the one arrived at) stay where they were", async () => {
    const [d1, d2] = drivers as [ClientUser, ClientUser];
    const first = (await routeOf(d1, d1)).stops[0]!;
    const arrived = await d1.call<unknown, { status: string; arrivedAt: number; doneAt: number | null }>("completeDeliveryStop", { planId, orderId: first.orderId, step: "arrived" });
    expect(arrived).toMatchObject({ status: "arrived", doneAt: null });
    const done = await d1.call<unknown, { status: string; arrivedAt: number; doneAt: number }>("completeDeliveryStop", { planId, orderId: first.orderId });
    expect(done).toMatchObject({ status: "done", arrivedAt: arrived.arrivedAt });
    expect(done.doneAt).toBeGreaterThanOrEqual(arrived.arrivedAt);
    // Repeating a step returns what was recorded.
    expect(await d1.call("completeDeliveryStop", { planId, orderId: first.orderId })).toEqual(done);
    const d2First = (await routeOf(d2, d2)).stops[0]!;
    const d2Arrived = await d2.call<unknown, { arrivedAt: number }>("completeDeliveryStop", { planId, orderId: d2First.orderId, step: "arrived" });

    const added = { id: "o13", location: { lat: depot.lat + 0.015, lng: depot.lng - 0.01 }, demand: 1, serviceSeconds: 180, window: allDay };
    await updateDoc(doc(admin.db, `deliveryPlans/${planId}`), { orders: [...orders, added], revision: 2, status: "requested", updatedAt: serverTimestamp() });
    const plan = await placed(planId, 2);
    expect(plan!.status).toBe("planned");
    expect(plan!.result.unassigned).toEqual([]);

    const after = await routeOf(d1, d1);
    expect(after.revision).toBe(2);
    expect(after.stops[0]).toEqual({ ...first, status: "done", arrivedAt: arrived.arrivedAt, doneAt: done.doneAt, outcome: "delivered" });
    expect(after.stops.slice(1).every((s) => s.status === "pending")).toBe(true);
    expect((await routeOf(d2, d2)).stops[0]).toEqual({ ...d2First, status: "arrived", arrivedAt: d2Arrived.arrivedAt });
    const routes = await Promise.all(drivers.map((d) => routeOf(d, d)));
    const served = routes.flatMap((r) => r.stops.map((s) => s.orderId));
    expect(served.sort()).toEqual([...orders.map((o) => o.id), "o13"].sort());
    // The van goes on from where it is: its next stop is the current one now (whatever the re-plan chose).
    const next = after.stops[1]!;
    await d1.call("completeDeliveryStop", { planId, orderId: next.orderId });
    expect((await routeOf(d1, d1)).stops[1]!.status).toBe("done");
  });

  it("a van that drops out keeps what it has done; its other orders move to the vans left", async () => {
    const [d1, , d3] = drivers as [ClientUser, ClientUser, ClientUser];
    const kept = (await routeOf(d1, d1)).stops.filter((s) => s.status !== "pending");
    await updateDoc(doc(admin.db, `deliveryPlans/${planId}`), { vans: vans().filter((v) => v.driverId !== d1.uid), revision: 3, status: "requested", updatedAt: serverTimestamp() });
    const plan = await placed(planId, 3);
    expect(plan!.status).toBe("planned");
    expect((await routeOf(d1, d1)).stops).toEqual(kept);
    const routes = await Promise.all(drivers.map((d) => routeOf(d, d)));
    const served = routes.flatMap((r) => r.stops.map((s) => s.orderId));
    const unassigned = (plan!.result.unassigned as Array<{ orderId: string }>).map((u) => u.orderId);
    expect([...served, ...unassigned].sort()).toEqual([...orders.map((o) => o.id), "o13"].sort());
    expect(new Set(served).size).toBe(served.length);
    expect((await routeOf(d3, d3)).revision).toBe(3);
  });

  it("an order outside every van's shift comes back unassigned with its reason", async () => {
    const lateId = uniqueId("plan-late");
    const tooLate = { id: "after-hours", location: depot, demand: 1, serviceSeconds: 60, window: { start: shift.end + HOUR, end: shift.end + 2 * HOUR } };
    await setDoc(doc(admin.db, `deliveryPlans/${lateId}`), request({ orders: [orders[0], tooLate], vans: vans().slice(0, 1), objective: "distance" }));
    const plan = await placed(lateId);
    expect(plan!.result.unassigned).toEqual([{ orderId: "after-hours", reason: "shift" }]);
    const own = await routeOf(drivers[0]!, drivers[0]!, lateId);
    expect(own.stops.map((s) => s.orderId)).toEqual(["o1"]);
  });

  /** An imported stop is simply done; a booking-linked one is a delivery: arrive, complete the booking at the door, then done. */
  async function finishStop(driver: ClientUser, plan: string, s: Stop) {
    if (s.bookingId) {
      await moveDriver(driver.uid, s.location);
      await driver.call("completeDeliveryStop", { planId: plan, orderId: s.orderId, step: "arrived" });
      await waitForStatus(s.bookingId, "in_progress");
      await updateDoc(doc(driver.db, "bookings", s.bookingId), { status: "completed", "timeline.completed": serverTimestamp() });
      await waitForStatus(s.bookingId, "completed", (b) => b.fare?.finalMinor != null);
    }
    await driver.call("completeDeliveryStop", { planId: plan, orderId: s.orderId });
  }

  it("booking-linked orders: the booking's drop-off, pickup and parcel, never the request's copy; bookings that cannot be planned come back with the reason", async () => {
    const bookingsOf = (n: number) => Array.from({ length: n }, (_, k) => uniqueId(`fleet-booking-${k}`));
    const [good, cancelledLater, ride, searching, elsewhere, missing, card] = bookingsOf(7) as [string, string, string, string, string, string, string];
    const dropoff = { lat: 38.7369, lng: -9.1427 };
    const pickup = { lat: 38.7139, lng: -9.1334 };
    const delivery = (status: string, serviceType = "delivery") => ({
      status, riderId: rider.uid, quoteId: "q-unused", categoryId: "economy", serviceType, pickup, dropoff, stops: [], paymentMethod: "cash",
      scheduledAt: new Date(shiftStart + 3 * HOUR), ...(serviceType === "delivery" ? { recipient: { name: "Ana", phoneNumber: "+351910000000" }, parcel: { description: "books", sizeClass: "large" } } : {}),
    });
    await Promise.all([
      adminDb().doc(`bookings/${good}`).set(delivery("scheduled")),
      adminDb().doc(`bookings/${cancelledLater}`).set({ ...delivery("scheduled"), dropoff: { lat: 38.73, lng: -9.15 } }),
      adminDb().doc(`bookings/${ride}`).set(delivery("scheduled", "ride")),
      adminDb().doc(`bookings/${searching}`).set(delivery("searching")),
      adminDb().doc(`bookings/${elsewhere}`).set(delivery("scheduled")),
      adminDb().doc(`deliveryBookingClaims/${elsewhere}`).set({ planId: "another-plan", orderId: "x", driverId: "x", claimedAt: 1 }),
      adminDb().doc(`bookings/${card}`).set({ ...delivery("scheduled"), paymentMethod: "card" }),
    ]);
    const porto = { lat: 41.1579, lng: -8.6291 };
    const linked = (id: string, bookingId: string) => ({ id, bookingId, location: porto, demand: 0, serviceSeconds: 120, window: allDay });
    const linkedId = uniqueId("plan-linked");
    const van = vans()[2]!;
    const driver = drivers[2]!;
    await setDoc(doc(admin.db, `deliveryPlans/${linkedId}`), request({
      orders: [linked("b-good", good), linked("b-cancelled", cancelledLater), linked("b-ride", ride), linked("b-searching", searching), linked("b-elsewhere", elsewhere), linked("b-missing", missing), linked("b-card", card), orders[0]],
      vans: [{ ...van, capacity: 9 }],
    }));
    const plan = await placed(linkedId);
    expect(plan!.status).toBe("planned");
    const byOrder = (a: { orderId: string }, b: { orderId: string }) => a.orderId.localeCompare(b.orderId);
    expect([...plan!.result.unassigned].sort(byOrder)).toEqual([
      { orderId: "b-card", reason: "booking-payment" },
      { orderId: "b-elsewhere", reason: "booking-in-other-plan" },
      { orderId: "b-missing", reason: "booking-missing" },
      { orderId: "b-ride", reason: "booking-not-delivery" },
      { orderId: "b-searching", reason: "booking-status" },
    ]);
    const route = await routeOf(driver, driver, linkedId);
    const stop = route.stops.find((s) => s.orderId === "b-good")!;
    expect(stop).toMatchObject({ bookingId: good, location: dropoff, pickup, status: "pending" });
    expect(route.stops.map((s) => s.orderId).sort()).toEqual(["b-cancelled", "b-good", "o1"]);
    expect((await adminDb().doc(`deliveryBookingClaims/${good}`).get()).data()).toMatchObject({ planId: linkedId, orderId: "b-good", driverId: driver.uid });
    expect((await adminDb().doc(`deliveryBookingClaims/${elsewhere}`).get()).data()?.planId).toBe("another-plan");
    await denied(getDoc(doc(driver.db, `deliveryBookingClaims/${good}`)));

    // Another plan cannot take a booking this one holds.
    const rivalId = uniqueId("plan-rival");
    await setDoc(doc(admin.db, `deliveryPlans/${rivalId}`), request({ orders: [linked("again", good)], vans: [drivers[0]!].map((d) => ({ ...vans()[0]!, driverId: d.uid })) }));
    expect((await placed(rivalId))!.result.unassigned).toEqual([{ orderId: "again", reason: "booking-in-other-plan" }]);

    // The rider cancels one booking: its stop cannot be finished; the re-run drops it and frees its claim.
    await adminDb().doc(`bookings/${cancelledLater}`).update({ status: "cancelled" });
    for (const s of route.stops) {
      if (s.orderId === "b-cancelled") {
        const before = await routeData(linkedId, driver.uid);
        await refused(driver.call("completeDeliveryStop", { planId: linkedId, orderId: s.orderId }), "functions/failed-precondition");
        expect(await routeData(linkedId, driver.uid)).toEqual(before);
        break;
      }
      await finishStop(driver, linkedId, s);
    }
    await updateDoc(doc(admin.db, `deliveryPlans/${linkedId}`), { revision: 2, status: "requested", updatedAt: serverTimestamp() });
    const rerun = await placed(linkedId, 2);
    expect(rerun!.result.unassigned).toContainEqual({ orderId: "b-cancelled", reason: "booking-status" });
    expect((await routeOf(driver, driver, linkedId)).stops.map((s) => s.orderId)).not.toContain("b-cancelled");
    expect((await adminDb().doc(`deliveryBookingClaims/${cancelledLater}`).get()).exists).toBe(false);
    for (const s of (await routeOf(driver, driver, linkedId)).stops.filter((x) => x.status === "pending")) await finishStop(driver, linkedId, s);
    const finished = await routeOf(driver, driver, linkedId);
    expect(finished.stops.map((s) => s.status)).toEqual(["done", "done"]);
    expect(finished.stops.find((s) => s.orderId === "b-good")).toMatchObject({ location: dropoff, outcome: "delivered" });
    expect((await adminDb().doc(`bookings/${good}`).get()).data()).toMatchObject({ status: "completed", driverId: driver.uid, plannedBy: { planId: linkedId, orderId: "b-good" } });
  });

  it("the city's hourly speed profile times the plan: a slow afternoon pushes the later stops back", async () => {
    const city = uniqueId("city");
    const measuredHour = new Date(shiftStart).getUTCHours();
    await adminDb().doc(`citySpeedProfiles/${city}`).set({ hourly: Array.from({ length: 24 }, (_, h) => (h === measuredHour ? 1 : 0.2)), timeZone: "UTC" });
    const first = { id: "first", location: { lat: depot.lat + 0.01, lng: depot.lng }, demand: 1, serviceSeconds: 2 * 3600, window: { start: shiftStart, end: shiftStart + HOUR } };
    const later = { id: "later", location: { lat: depot.lat - 0.02, lng: depot.lng + 0.02 }, demand: 1, serviceSeconds: 60, window: { start: shiftStart + 2 * HOUR, end: shift.end } };
    const van = [{ ...vans()[0]!, end: null }];
    const flatId = uniqueId("plan-flat");
    const slowId = uniqueId("plan-slow");
    await setDoc(doc(admin.db, `deliveryPlans/${flatId}`), request({ orders: [first, later], vans: van, city: uniqueId("city-without-profile") }));
    await setDoc(doc(admin.db, `deliveryPlans/${slowId}`), request({ orders: [first, later], vans: van, city }));
    const [flatPlan, slowPlan] = await Promise.all([placed(flatId), placed(slowId)]);
    expect(flatPlan!.result.timeDependent).toBe(false);
    expect(slowPlan!.result.timeDependent).toBe(true);
    const [flat, slow] = await Promise.all([routeOf(drivers[0]!, drivers[0]!, flatId), routeOf(drivers[0]!, drivers[0]!, slowId)]);
    expect(flat.stops.map((s) => s.orderId)).toEqual(["first", "later"]);
    expect(slow.stops.map((s) => s.orderId)).toEqual(["first", "later"]);
    // The first leg is in the hour the matrix was measured (×1): the same ETA. The second, hours later at ×0.2: five times longer.
    expect(slow.stops[0]!.eta).toBe(flat.stops[0]!.eta);
    const flatLeg = flat.stops[1]!.eta - (flat.stops[0]!.eta + 2 * HOUR);
    const slowLeg = slow.stops[1]!.eta - (slow.stops[0]!.eta + 2 * HOUR);
    expect(flatLeg).toBeGreaterThan(60_000);
    expect(slowLeg / flatLeg).toBeCloseTo(5, 1);
  });
});
