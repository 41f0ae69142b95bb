// Pure part of delivery planning: a plan request (plus the stops already done) becomes a VRPTW problem over
// a travel matrix, and the solver's routes become the drivers' ordered stops. No Firebase imports.
import { flatMatrix } from "../routing/optimizer/costMatrix";
import { solveVrptw, staticTravel, type UnassignedReason, type VrptwProblem } from "../routing/vrptw";
import type { PlanRequest, RouteStop } from "./schema";

type Point = { lat: number; lng: number };

/** Per driver, the stops already done, in the order they were done (a Map: driver ids are data, not keys). */
export type DoneStops = Map<string, RouteStop[]>;

export interface PlannedDelivery {
  routes: Array<{ driverId: string; stops: RouteStop[] }>;
  unassigned: Array<{ orderId: string; reason: UnassignedReason }>;
  distanceMeters: number;
  drivingSeconds: number;
}

export interface Matrices {
  distanceMeters: number[][];
  durationSeconds: number[][];
}

/**
 * The points a plan needs, in matrix order: each van's start (its last done stop when it has one), each van's
 * end, then the orders still to do. `plan` maps them back.
 */
export function planPoints(request: PlanRequest, done: DoneStops) {
  const doneIds = new Set([...done.values()].flatMap((stops) => stops.map((s) => s.orderId)));
  const orders = request.orders.filter((o) => !doneIds.has(o.id));
  const starts: Point[] = request.vans.map((v) => done.get(v.driverId)?.at(-1)?.location ?? v.start);
  const ends: Point[] = request.vans.map((v) => v.end ?? v.start);
  return { orders, points: [...starts, ...ends, ...orders.map((o) => o.location)] };
}

/** Solves the plan: done stops stay first on their van's route, the rest is planned from where the van is. */
export function planDeliveries(request: PlanRequest, done: DoneStops, matrices: Matrices, options: { timeLimitMs?: number; seed?: number } = {}): PlannedDelivery {
  const { orders } = planPoints(request, done);
  const m = request.vans.length;
  const origin = Math.min(...request.vans.map((v) => v.shift.start));
  const seconds = (ms: number) => (ms - origin) / 1000;
  const distance = flatMatrix(matrices.distanceMeters);
  const problem: VrptwProblem = {
    customers: orders.map((o, i) => ({
      id: o.id,
      location: 2 * m + i,
      demand: o.demand,
      serviceTime: o.serviceSeconds,
      window: { start: seconds(o.window.start), end: seconds(o.window.end) },
    })),
    vehicles: request.vans.map((v, k) => {
      const last = done.get(v.driverId)?.at(-1);
      const doneLoad = (done.get(v.driverId) ?? []).reduce((sum, s) => sum + (request.orders.find((o) => o.id === s.orderId)?.demand ?? 0), 0);
      return {
        id: v.driverId,
        start: k,
        end: v.end ? m + k : null,
        capacity: Math.max(0, v.capacity - doneLoad),
        shift: { start: seconds(Math.max(v.shift.start, last?.doneAt ?? 0)), end: seconds(v.shift.end) },
      };
    }),
    distance,
    travel: staticTravel(flatMatrix(matrices.durationSeconds)),
  };
  const solution = solveVrptw(problem, { objective: request.objective, timeLimitMs: options.timeLimitMs ?? 1000, seed: options.seed ?? 1, maxIterations: 20_000 });
  const byVan = new Map(solution.routes.map((r) => [r.vehicle, r]));
  return {
    routes: request.vans.map((v) => ({
      driverId: v.driverId,
      stops: [
        ...(done.get(v.driverId) ?? []),
        ...(byVan.get(v.driverId)?.stops ?? []).map((s) => ({
          orderId: s.customer,
          location: orders[s.index]!.location,
          eta: Math.round(origin + s.start * 1000),
          status: "pending" as const,
          doneAt: null,
        })),
      ],
    })),
    unassigned: solution.unassigned.map((u) => ({ orderId: u.customer, reason: u.reason })),
    distanceMeters: Math.round(solution.distance),
    drivingSeconds: Math.round(solution.drivingTime),
  };
}
