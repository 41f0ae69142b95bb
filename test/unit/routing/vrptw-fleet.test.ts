// The delivery planner's pure part: done stops stay first, the van restarts from its last done stop with what
// capacity it has left, done orders are not planned again.
import { describe, expect, it } from "vitest";
import { planDeliveries, planPoints } from "../../../functions/src/fleet/planner.js";
import { planRequestSchema, type PlanRequest, type RouteStop } from "../../../functions/src/fleet/schema.js";

const H = 3600_000;
const at = (x: number) => ({ lat: 38.7, lng: -9.1 + x / 100 });
/** 1 unit of x = 1 km = 100 s, as a matrix over the points planPoints lists. */
const matrices = (points: Array<{ lat: number; lng: number }>) => {
  const km = points.map((a) => points.map((b) => Math.abs(a.lng - b.lng) * 100));
  return { distanceMeters: km.map((row) => row.map((d) => d * 1000)), durationSeconds: km.map((row) => row.map((d) => d * 100)) };
};
const request = (extra: Partial<PlanRequest> = {}): PlanRequest =>
  planRequestSchema.parse({
    orders: [1, 2, 3, 4].map((x) => ({ id: `o${x}`, location: at(x), demand: 2, serviceSeconds: 60, window: { start: 0, end: 8 * H } })),
    vans: [{ driverId: "d1", start: at(0), end: at(0), capacity: 5, shift: { start: 0, end: 8 * H } }, { driverId: "d2", start: at(0), end: at(0), capacity: 5, shift: { start: 0, end: 8 * H } }],
    objective: "distance",
    revision: 1,
    ...extra,
  });

describe("delivery planner", () => {
  it("plans every order within capacity", () => {
    const r = request();
    const plan = planDeliveries(r, new Map(), matrices(planPoints(r, new Map()).points));
    expect(plan.unassigned).toEqual([]);
    expect(plan.routes.flatMap((route) => route.stops.map((s) => s.orderId)).sort()).toEqual(["o1", "o2", "o3", "o4"]);
    for (const route of plan.routes) expect(route.stops.length).toBeLessThanOrEqual(2);
  });

  it("keeps done stops first, never re-plans them, and counts their load against the van", () => {
    const r = request({ orders: [...request().orders, { id: "o5", location: at(5), demand: 2, serviceSeconds: 60, window: { start: 0, end: 8 * H } }] });
    const done: RouteStop = { orderId: "o1", location: at(1), eta: 100_000, status: "done", doneAt: 2 * H };
    const doneStops = new Map([["d1", [done]]]);
    const { points } = planPoints(r, doneStops);
    expect(points[0]).toEqual(at(1));
    const plan = planDeliveries(r, doneStops, matrices(points));
    const d1 = plan.routes.find((route) => route.driverId === "d1")!;
    expect(d1.stops[0]).toEqual(done);
    // 5 capacity - 2 delivered: one more order of 2 at most.
    expect(d1.stops.length).toBeLessThanOrEqual(2);
    for (const stop of d1.stops.slice(1)) expect(stop.eta).toBeGreaterThanOrEqual(2 * H);
    const all = plan.routes.flatMap((route) => route.stops.map((s) => s.orderId));
    expect(all.filter((id) => id === "o1")).toHaveLength(1);
    // Capacity left: d1 3, d2 5 → 3 more orders of 2 fit in 8 units only as 1 + 2: one of o2..o5 is left out.
    expect(plan.unassigned).toEqual([expect.objectContaining({ reason: "fleet" })]);
    expect(all.length + plan.unassigned.length).toBe(5);
  });

  it("rejects a driver id that would change the route's document path", () => {
    const r = request();
    expect(planRequestSchema.safeParse({ ...r, vans: [{ ...r.vans[0], driverId: "d1/../../users/x" }] }).success).toBe(false);
  });
});
