// Delivery plans on the emulators: an admin (dispatcher) writes a planning request, the fleetOnPlanWritten
// trigger solves it (VRPTW over the offline travel estimate: no Maps key on the emulator) and writes each
// van's route, which only that van's driver reads. Re-runs keep the stops already done.
import { FirebaseError } from "firebase/app";
import { collection, doc, getDoc, getDocs, query, serverTimestamp, setDoc, updateDoc, where } from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitForDoc } from "../helpers/admin";
import { signedInClient, uniqueId, type ClientUser } from "../helpers/clients";

interface Stop { orderId: string; location: { lat: number; lng: number }; eta: number; status: "pending" | "done"; doneAt: number | null }
interface Route { planId: string; driverId: string; revision: number; stops: Stop[] }

const opened: ClientUser[] = [];
afterAll(async () => Promise.all(opened.map((c) => c.close())));

const HOUR = 3600_000;
const depot = { lat: 38.7223, lng: -9.1393 };
const shiftStart = Math.ceil(Date.now() / HOUR) * HOUR + HOUR;
const shift = { start: shiftStart, end: shiftStart + 8 * HOUR };
/** Twelve addresses around the depot (a few km), each open for most of the shift, two of them only for an hour. */
const orders = Array.from({ length: 12 }, (_, k) => ({
  id: `o${k + 1}`,
  location: { lat: depot.lat + 0.01 * Math.cos(k) * (1 + (k % 3)), lng: depot.lng + 0.012 * Math.sin(k) * (1 + (k % 4)) },
  demand: 1 + (k % 3),
  serviceSeconds: 180,
  window: k === 3 || k === 8 ? { start: shiftStart + 2 * HOUR, end: shiftStart + 3 * HOUR } : { start: shiftStart, end: shift.end - HOUR },
}));

async function denied(promise: Promise<unknown>) {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error, "the read should have been refused").toBeInstanceOf(FirebaseError);
  expect((error as FirebaseError).code).toBe("permission-denied");
}

describe("delivery plans (VRPTW) on the emulators", () => {
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
  const routeOf = async (who: ClientUser, driver: ClientUser) => (await getDoc(doc(who.db, `deliveryRoutes/${planId}__${driver.uid}`))).data() as Route;

  it("twelve orders and three vans: every order on exactly one route, within its window; each driver reads only their own", async () => {
    await setDoc(doc(admin.db, `deliveryPlans/${planId}`), {
      orders, vans: vans(), objective: "duration", revision: 1, status: "requested", createdBy: admin.uid, createdAt: serverTimestamp(), updatedAt: serverTimestamp(),
    });
    const plan = await waitForDoc(`deliveryPlans/${planId}`, (p) => p?.status === "planned" && p.plannedRevision === 1, "the plan to be solved");
    expect(plan!.result.unassigned).toEqual([]);

    const routes = await Promise.all(drivers.map((d) => routeOf(d, d)));
    const served = routes.flatMap((r) => r.stops.map((s) => s.orderId));
    expect(served.sort()).toEqual(orders.map((o) => o.id).sort());
    for (const route of routes) {
      let load = 0;
      for (const stop of route.stops) {
        const o = orders.find((x) => x.id === stop.orderId)!;
        expect(stop.status).toBe("pending");
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
    await denied(getDoc(doc(d1.db, `deliveryPlans/${planId}`)));
  });

  it("an order added after the plan is placed, and the stops already done stay where they were", async () => {
    const busy = (await Promise.all(drivers.map(async (d) => ({ d, route: await routeOf(d, d) })))).find((x) => x.route.stops.length >= 2)!;
    const first = busy.route.stops[0]!;
    const done = await busy.d.call<{ planId: string; orderId: string }, { doneAt: number }>("completeDeliveryStop", { planId, orderId: first.orderId });
    // Another driver cannot finish a stop that is not on their route.
    const other = drivers.find((d) => d !== busy.d)!;
    const refused = await other.call("completeDeliveryStop", { planId, orderId: first.orderId }).then(() => undefined, (e: unknown) => e);
    expect((refused as FirebaseError).code).toBe("functions/not-found");

    const added = { id: "o13", location: { lat: depot.lat + 0.015, lng: depot.lng - 0.01 }, demand: 1, serviceSeconds: 180, window: { start: shiftStart, end: shift.end - HOUR } };
    await updateDoc(doc(admin.db, `deliveryPlans/${planId}`), { orders: [...orders, added], revision: 2, status: "requested", updatedAt: serverTimestamp() });
    const plan = await waitForDoc(`deliveryPlans/${planId}`, (p) => p?.plannedRevision === 2, "the re-run");
    expect(plan!.status).toBe("planned");
    expect(plan!.result.unassigned).toEqual([]);

    const after = await routeOf(busy.d, busy.d);
    expect(after.revision).toBe(2);
    expect(after.stops[0]).toEqual({ ...first, status: "done", doneAt: done.doneAt });
    expect(after.stops.slice(1).every((s) => s.status === "pending")).toBe(true);
    const routes = await Promise.all(drivers.map((d) => routeOf(d, d)));
    const served = routes.flatMap((r) => r.stops.map((s) => s.orderId));
    expect(served.sort()).toEqual([...orders.map((o) => o.id), "o13"].sort());
  });

  it("an order outside every van's shift comes back unassigned with its reason", async () => {
    const lateId = uniqueId("plan-late");
    const tooLate = { id: "after-hours", location: depot, demand: 1, serviceSeconds: 60, window: { start: shift.end + HOUR, end: shift.end + 2 * HOUR } };
    await setDoc(doc(admin.db, `deliveryPlans/${lateId}`), {
      orders: [orders[0], tooLate], vans: vans().slice(0, 1), objective: "distance", revision: 1, status: "requested", createdBy: admin.uid, createdAt: serverTimestamp(), updatedAt: serverTimestamp(),
    });
    const plan = await waitForDoc(`deliveryPlans/${lateId}`, (p) => p?.status === "planned", "the plan to be solved");
    expect(plan!.result.unassigned).toEqual([{ orderId: "after-hours", reason: "shift" }]);
    const own = (await getDoc(doc(drivers[0]!.db, `deliveryRoutes/${lateId}__${drivers[0]!.uid}`))).data() as Route;
    expect(own.stops.map((s) => s.orderId)).toEqual(["o1"]);
  });
});
