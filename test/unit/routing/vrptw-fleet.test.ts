// The delivery planner's pure part: fixed stops (done, then arrived) stay first, the van restarts from its last
// fixed stop with what capacity it has left, fixed orders are not planned again; booking-linked orders take the
// booking's address; the city's speed profile times the routes.
import { describe, expect, it } from "vitest";
import { bookingIssue, parcelDemand, resolveOrders } from "../../../functions/src/fleet/bookingOrders.js";
import { type DoneStops, planDeliveries, planPoints, type PlanContext } from "../../../functions/src/fleet/planner.js";
import { planRequestSchema, type PlanRequest, type ResolvedOrder, type RouteStop } from "../../../functions/src/fleet/schema.js";
import { FLAT_SPEED_PROFILE, secondsIntoLocalDay } from "../../../functions/src/fleet/speedProfile.js";

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
const imported = (r: PlanRequest): ResolvedOrder[] => resolveOrders(r.orders, new Map(), new Map(), "p").resolved;
const context = (r: PlanRequest, extra: Partial<PlanContext> = {}): PlanContext => ({ orders: imported(r), profile: FLAT_SPEED_PROFILE, measuredAt: 0, ...extra });
const solve = (r: PlanRequest, done: DoneStops = new Map(), extra: Partial<PlanContext> = {}) => {
  const c = context(r, extra);
  return planDeliveries(r, c, done, matrices(planPoints(r, c.orders, done).points));
};
const stop = (orderId: string, x: number, extra: Partial<RouteStop>): RouteStop =>
  ({ orderId, bookingId: null, location: at(x), pickup: null, eta: 100_000, status: "pending", arrivedAt: null, doneAt: null, outcome: null, ...extra });

describe("delivery planner", () => {
  it("plans every order within capacity", () => {
    const plan = solve(request());
    expect(plan.unassigned).toEqual([]);
    expect(plan.routes.flatMap((route) => route.stops.map((s) => s.orderId)).sort()).toEqual(["o1", "o2", "o3", "o4"]);
    for (const route of plan.routes) expect(route.stops.length).toBeLessThanOrEqual(2);
  });

  it("keeps done stops first, never re-plans them, and counts their load against the van", () => {
    const r = request({ orders: [...request().orders, { id: "o5", location: at(5), demand: 2, serviceSeconds: 60, window: { start: 0, end: 8 * H } }] });
    const done = stop("o1", 1, { status: "done", arrivedAt: 2 * H - 60_000, doneAt: 2 * H });
    const doneStops = new Map([["d1", [done]]]);
    const { points } = planPoints(r, imported(r), doneStops);
    expect(points[0]).toEqual(at(1));
    const plan = solve(r, doneStops);
    const d1 = plan.routes.find((route) => route.driverId === "d1")!;
    expect(d1.stops[0]).toEqual(done);
    // 5 capacity - 2 delivered: one more order of 2 at most.
    expect(d1.stops.length).toBeLessThanOrEqual(2);
    for (const s of d1.stops.slice(1)) expect(s.eta).toBeGreaterThanOrEqual(2 * H);
    const all = plan.routes.flatMap((route) => route.stops.map((s) => s.orderId));
    expect(all.filter((id) => id === "o1")).toHaveLength(1);
    // Capacity left: d1 3, d2 5 → 3 more orders of 2 fit in 8 units only as 1 + 2: one of o2..o5 is left out.
    expect(plan.unassigned).toEqual([expect.objectContaining({ reason: "fleet" })]);
    expect(all.length + plan.unassigned.length).toBe(5);
  });

  it("keeps the stop a driver has arrived at, and plans the rest after its service time", () => {
    const arrived = stop("o2", 2, { status: "arrived", arrivedAt: 3 * H });
    const plan = solve(request(), new Map([["d1", [arrived]]]));
    const d1 = plan.routes.find((route) => route.driverId === "d1")!;
    expect(d1.stops[0]).toEqual(arrived);
    for (const s of d1.stops.slice(1)) expect(s.eta).toBeGreaterThanOrEqual(3 * H + 60_000);
    expect(plan.routes.flatMap((route) => route.stops.map((s) => s.orderId)).sort()).toEqual(["o1", "o2", "o3", "o4"]);
  });

  it("rejects a driver id that would change the route's document path, and an imported order without its address", () => {
    const r = request();
    expect(planRequestSchema.safeParse({ ...r, vans: [{ ...r.vans[0], driverId: "d1/../../users/x" }] }).success).toBe(false);
    expect(planRequestSchema.safeParse({ ...r, orders: [{ id: "x", demand: 1, serviceSeconds: 0, window: { start: 0, end: 1 } }] }).success).toBe(false);
    expect(planRequestSchema.safeParse({ ...r, orders: [{ id: "x", bookingId: "b1", serviceSeconds: 0, window: { start: 0, end: 1 } }] }).success).toBe(true);
    const twice = { bookingId: "b1", serviceSeconds: 0, window: { start: 0, end: 1 } };
    expect(planRequestSchema.safeParse({ ...r, orders: [{ id: "x", ...twice }, { id: "y", ...twice }] }).success).toBe(false);
  });

  it("times routes with the city's speed profile, relative to the hour the matrix was measured in", () => {
    const r = request({ orders: [{ id: "far", location: at(10), demand: 1, serviceSeconds: 0, window: { start: 0, end: 8 * H } }], vans: [request().vans[0]!] });
    const flat = solve(r).routes[0]!.stops[0]!.eta;
    expect(flat).toBe(1000_000);
    // Measured at 05:00 (×1: free flow), driven at 00:00 (×0.5).
    const hourly = Array.from({ length: 24 }, (_, h) => (h === 5 ? 1 : 0.5));
    const slow = solve(r, new Map(), { profile: { hourly, timeZone: "UTC" }, measuredAt: 5 * H }).routes[0]!.stops[0]!.eta;
    expect(slow).toBe(2000_000);
    // Measured at 00:00 (×1), driven at 23:00 (×0.5); the same matrix measured in the slow hour gives free flow ×0.5.
    const late = solve(request({ ...r, vans: [{ ...r.vans[0]!, shift: { start: 23 * H, end: 31 * H } }], orders: [{ ...r.orders[0]!, window: { start: 23 * H, end: 31 * H } }] }), new Map(), {
      profile: { hourly: Array.from({ length: 24 }, (_, h) => (h === 23 ? 0.5 : 1)), timeZone: "UTC" }, measuredAt: 0,
    }).routes[0]!.stops[0]!.eta;
    expect(late).toBe(23 * H + 2000_000);
    const measuredSlow = solve(r, new Map(), { profile: { hourly: Array.from({ length: 24 }, (_, h) => (h === 0 ? 0.5 : 1)), timeZone: "UTC" }, measuredAt: 0 });
    // Free flow is 500 s, driven in hour 0 at ×0.5: 1000 s, the time the matrix measured at that hour.
    expect(measuredSlow.routes[0]!.stops[0]!.eta).toBe(1000_000);
  });

  it("reads the seconds into the local day in the profile's zone", () => {
    expect(secondsIntoLocalDay(Date.UTC(2026, 6, 1, 16, 30), "Europe/Lisbon")).toBe(17.5 * 3600);
    expect(secondsIntoLocalDay(Date.UTC(2026, 0, 1, 16, 30), "Europe/Lisbon")).toBe(16.5 * 3600);
  });
});

describe("booking-linked orders", () => {
  const booking = { serviceType: "delivery", status: "scheduled", paymentMethod: "cash", pickup: at(9), dropoff: at(7), parcel: { sizeClass: "large" } };

  it("take the booking's drop-off, pickup and parcel, never the request's copy", () => {
    const order = { id: "o", bookingId: "b1", location: at(0), demand: 0, serviceSeconds: 60, window: { start: 0, end: 1 } };
    const { resolved, rejected } = resolveOrders([order], new Map([["b1", booking]]), new Map(), "p");
    expect(rejected).toEqual([]);
    expect(resolved).toEqual([{ id: "o", location: at(7), demand: 4, serviceSeconds: 60, window: { start: 0, end: 1 }, bookingId: "b1", pickup: at(9) }]);
  });

  it("are refused when missing, not a delivery, in another plan or in a status that forbids it", () => {
    expect(bookingIssue(undefined, undefined, "p")).toBe("booking-missing");
    expect(bookingIssue({ ...booking, serviceType: "ride" }, undefined, "p")).toBe("booking-not-delivery");
    expect(bookingIssue(booking, "other-plan", "p")).toBe("booking-in-other-plan");
    expect(bookingIssue(booking, "p", "p")).toBeNull();
    for (const status of ["requested", "searching", "accepted", "completed", "cancelled"]) expect(bookingIssue({ ...booking, status }, undefined, "p")).toBe("booking-status");
    // A scheduled card booking holds no authorisation: left to its own scheduled dispatch.
    for (const paymentMethod of ["card", undefined, "voucher"]) expect(bookingIssue({ ...booking, paymentMethod }, undefined, "p")).toBe("booking-payment");
  });

  it("keep their booking's facts once arrived at or done, whatever its status since (the van's driver has it in progress)", () => {
    const order = { id: "o", bookingId: "b1", serviceSeconds: 60, window: { start: 0, end: 1 } };
    const taken = new Map([["b1", { ...booking, status: "in_progress" }]]);
    expect(resolveOrders([order], taken, new Map(), "p").rejected).toEqual([{ orderId: "o", reason: "booking-status" }]);
    const fixed = resolveOrders([order], taken, new Map(), "p", new Set(["o"]));
    expect(fixed.rejected).toEqual([]);
    expect(fixed.resolved).toMatchObject([{ id: "o", location: at(7), demand: 4, serviceSeconds: 60, bookingId: "b1" }]);
    expect(resolveOrders([order], new Map(), new Map(), "p", new Set(["o"])).rejected).toEqual([{ orderId: "o", reason: "booking-missing" }]);
  });

  it("weigh a parcel by its size class, and an unknown class (or a prototype key) as one", () => {
    expect([parcelDemand("small"), parcelDemand("medium"), parcelDemand("large")]).toEqual([1, 2, 4]);
    expect(parcelDemand("__proto__")).toBe(1);
    expect(parcelDemand(undefined)).toBe(1);
  });
});
