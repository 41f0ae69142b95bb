// Pure part of delivery planning: a plan request (plus the stops already arrived at or done) becomes a VRPTW
// problem over a travel matrix, and the solver's routes become the drivers' ordered stops. No Firebase imports.
import { flatMatrix } from "../routing/optimizer/costMatrix";
import { solveVrptw, speedProfileTravel, staticTravel, type TravelModel, type UnassignedReason, type VrptwProblem } from "../routing/vrptw";
import type { PlanRequest, ResolvedOrder, RouteStop } from "./schema";
import { type CitySpeedProfile, isFlat, secondsIntoLocalDay } from "./speedProfile";

type Point = { lat: number; lng: number };

/**
 * Per driver, the stops that stay where they are on a re-run: those done (in the order they were done), then
 * the one the driver has arrived at, if any. A Map: driver ids are data, not keys.
 */
export type DoneStops = Map<string, RouteStop[]>;

/** Why an order is not on any route: the solver's reasons, or why its booking cannot be planned. */
export type PlanUnassignedReason = UnassignedReason | BookingIssue;
export type BookingIssue = "booking-missing" | "booking-not-delivery" | "booking-status" | "booking-in-other-plan" | "booking-payment";

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

export interface PlanContext {
  /** The orders to plan, locations and demands resolved (booking-linked ones from their booking). */
  orders: ResolvedOrder[];
  /** The city's hourly speed profile; flat = static times. */
  profile: CitySpeedProfile;
  /** When the matrix's durations were measured (epoch ms): the profile is relative to that hour. */
  measuredAt: number;
}

/** When the van is free again after its fixed stops: done → its doneAt; arrived → arrival + service time. */
function freeAt(stops: RouteStop[], orders: ResolvedOrder[]): number {
  const last = stops.at(-1);
  if (!last) return 0;
  if (last.status === "done") return last.doneAt ?? 0;
  const service = orders.find((o) => o.id === last.orderId)?.serviceSeconds ?? 0;
  return (last.arrivedAt ?? 0) + service * 1000;
}

/**
 * The points a plan needs, in matrix order: each van's start (its last fixed stop when it has one), each van's
 * end, then the orders still to do.
 */
export function planPoints(request: PlanRequest, orders: ResolvedOrder[], done: DoneStops) {
  const fixedIds = new Set([...done.values()].flatMap((stops) => stops.map((s) => s.orderId)));
  const open = orders.filter((o) => !fixedIds.has(o.id));
  const starts: Point[] = request.vans.map((v) => done.get(v.driverId)?.at(-1)?.location ?? v.start);
  const ends: Point[] = request.vans.map((v) => v.end ?? v.start);
  return { orders: open, points: [...starts, ...ends, ...open.map((o) => o.location)] };
}

/**
 * Travel times of the plan: the matrix's durations were measured at `measuredAt`; with a speed profile they
 * become free-flow times (× that hour's multiplier) driven through the hours of the day at the profile's speeds.
 */
export function planTravel(durationSeconds: number[][], context: Pick<PlanContext, "profile" | "measuredAt">, origin: number): TravelModel {
  const { profile, measuredAt } = context;
  if (isFlat(profile)) return staticTravel(flatMatrix(durationSeconds));
  const measuredHour = Math.floor(secondsIntoLocalDay(measuredAt, profile.timeZone) / 3600);
  const toFreeFlow = profile.hourly[measuredHour]!;
  const freeFlow = flatMatrix(durationSeconds.map((row) => row.map((d) => d * toFreeFlow)));
  return speedProfileTravel(freeFlow, { hourly: profile.hourly, hourLength: 3600, origin: secondsIntoLocalDay(origin, profile.timeZone) });
}

/** Solves the plan: fixed stops stay first on their van's route, the rest is planned from where the van is. */
export function planDeliveries(request: PlanRequest, context: PlanContext, done: DoneStops, matrices: Matrices, options: { timeLimitMs?: number; seed?: number } = {}): PlannedDelivery {
  const { orders } = planPoints(request, context.orders, done);
  const m = request.vans.length;
  const origin = Math.min(...request.vans.map((v) => v.shift.start));
  const seconds = (ms: number) => (ms - origin) / 1000;
  const problem: VrptwProblem = {
    customers: orders.map((o, i) => ({
      id: o.id,
      location: 2 * m + i,
      demand: o.demand,
      serviceTime: o.serviceSeconds,
      window: { start: seconds(o.window.start), end: seconds(o.window.end) },
    })),
    vehicles: request.vans.map((v, k) => {
      const fixed = done.get(v.driverId) ?? [];
      const fixedLoad = fixed.reduce((sum, s) => sum + (context.orders.find((o) => o.id === s.orderId)?.demand ?? 0), 0);
      return {
        id: v.driverId,
        start: k,
        end: v.end ? m + k : null,
        capacity: Math.max(0, v.capacity - fixedLoad),
        shift: { start: seconds(Math.max(v.shift.start, freeAt(fixed, context.orders))), end: seconds(v.shift.end) },
      };
    }),
    distance: flatMatrix(matrices.distanceMeters),
    travel: planTravel(matrices.durationSeconds, context, origin),
  };
  const solution = solveVrptw(problem, { objective: request.objective, timeLimitMs: options.timeLimitMs ?? 1000, seed: options.seed ?? 1, maxIterations: 20_000 });
  const byVan = new Map(solution.routes.map((r) => [r.vehicle, r]));
  return {
    routes: request.vans.map((v) => ({
      driverId: v.driverId,
      stops: [
        ...(done.get(v.driverId) ?? []),
        ...(byVan.get(v.driverId)?.stops ?? []).map((s): RouteStop => {
          const order = orders[s.index]!;
          return {
            orderId: s.customer,
            bookingId: order.bookingId,
            location: order.location,
            pickup: order.pickup,
            eta: Math.round(origin + s.start * 1000),
            status: "pending",
            arrivedAt: null,
            doneAt: null,
            outcome: null,
          };
        }),
      ],
    })),
    unassigned: solution.unassigned.map((u) => ({ orderId: u.customer, reason: u.reason })),
    distanceMeters: Math.round(solution.distance),
    drivingSeconds: Math.round(solution.drivingTime),
  };
}
