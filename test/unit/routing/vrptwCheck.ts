// Independent feasibility checks for VRPTW plans: they re-read the raw data (Solomon text, or the problem's
// own matrices and travel function) and re-time every route from scratch. Nothing here uses the solver's
// model, state or bookkeeping, so a bug there cannot hide a violation.
import type { PlannedRoute, VrptwProblem, VrptwSolution } from "../../../functions/src/routing/vrptw/types.js";

const EPS = 1e-6;

export interface SolomonCheck {
  violations: string[];
  distance: number;
  vehicles: number;
}

/** Checks routes of customer ids (depot excluded) against a Solomon instance's text. */
export function checkSolomonRoutes(text: string, routes: number[][]): SolomonCheck {
  const lines = text.split(/\r?\n/);
  const fleetAt = lines.findIndex((line) => /^\s*NUMBER\s+CAPACITY/.test(line));
  const [fleet, capacity] = lines[fleetAt + 1]!.trim().split(/\s+/).map(Number) as [number, number];
  const rows = lines
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter((fields) => fields.length === 7 && fields.every(Number.isFinite));
  const node = new Map(rows.map((r) => [r[0]!, { x: r[1]!, y: r[2]!, demand: r[3]!, ready: r[4]!, due: r[5]!, service: r[6]! }]));
  const depot = node.get(0)!;
  const d = (a: number, b: number) => Math.hypot(node.get(a)!.x - node.get(b)!.x, node.get(a)!.y - node.get(b)!.y);
  const violations: string[] = [];
  const seen = new Map<number, number>();
  let distance = 0;
  const used = routes.filter((route) => route.length);
  if (used.length > fleet) violations.push(`${used.length} vehicles, fleet is ${fleet}`);
  used.forEach((route, r) => {
    let t = depot.ready, prev = 0, load = 0;
    for (const id of route) {
      const c = node.get(id);
      if (!c || id === 0) {
        violations.push(`route ${r}: unknown customer ${id}`);
        continue;
      }
      seen.set(id, (seen.get(id) ?? 0) + 1);
      distance += d(prev, id);
      t = Math.max(t + d(prev, id), c.ready);
      if (t > c.due + EPS) violations.push(`route ${r}: customer ${id} served at ${t.toFixed(3)} after its due ${c.due}`);
      t += c.service;
      load += c.demand;
      prev = id;
    }
    distance += d(prev, 0);
    if (t + d(prev, 0) > depot.due + EPS) violations.push(`route ${r}: back at ${(t + d(prev, 0)).toFixed(3)} after ${depot.due}`);
    if (load > capacity) violations.push(`route ${r}: load ${load} over ${capacity}`);
  });
  for (const id of node.keys()) {
    if (id !== 0 && seen.get(id) !== 1) violations.push(`customer ${id} served ${seen.get(id) ?? 0} times`);
  }
  return { violations, distance, vehicles: used.length };
}

export interface PlanCheck {
  violations: string[];
  /** Customers whose service starts after their window (allowed only with soft windows). */
  late: number;
  lateness: number;
  distance: number;
}

/**
 * Checks a solver result against its problem: every customer served once or listed unassigned (with a
 * reason), capacities, windows (hard unless `soft`), shifts; times recomputed with problem.travel.duration.
 */
export function checkPlan(problem: VrptwProblem, solution: VrptwSolution, soft = false): PlanCheck {
  const violations: string[] = [];
  const count = new Map<string, number>();
  let late = 0, lateness = 0, distance = 0;
  const used = new Set<number>();
  const byId = new Map(problem.customers.map((c) => [c.id, c]));
  const d = (a: number, b: number | null) => (b === null ? 0 : problem.distance.data[a * problem.distance.n + b]!);
  const travel = (a: number, b: number | null, t: number) => (b === null ? 0 : problem.travel.duration(a, b, t));
  for (const route of solution.routes as PlannedRoute[]) {
    const vehicle = problem.vehicles[route.vehicleIndex];
    if (!vehicle || vehicle.id !== route.vehicle) {
      violations.push(`route of unknown vehicle ${route.vehicle}`);
      continue;
    }
    if (used.has(route.vehicleIndex)) violations.push(`vehicle ${vehicle.id} has two routes`);
    used.add(route.vehicleIndex);
    let t = vehicle.shift.start, at = vehicle.start, load = 0;
    for (const stop of route.stops) {
      const c = byId.get(stop.customer);
      if (!c) {
        violations.push(`unknown customer ${stop.customer}`);
        continue;
      }
      count.set(c.id, (count.get(c.id) ?? 0) + 1);
      distance += d(at, c.location);
      const arrival = t + travel(at, c.location, t);
      const start = Math.max(arrival, c.window.start);
      if (Math.abs(start - stop.start) > 1e-6 * Math.max(1, Math.abs(start))) violations.push(`customer ${c.id}: reported start ${stop.start}, recomputed ${start}`);
      if (start > c.window.end + EPS) {
        late += 1;
        lateness += start - c.window.end;
        if (!soft) violations.push(`customer ${c.id} served at ${start} after ${c.window.end}`);
      }
      load += c.demand;
      t = start + c.serviceTime;
      at = c.location;
    }
    distance += d(at, vehicle.end);
    const back = t + travel(at, vehicle.end, t);
    if (back > vehicle.shift.end + EPS) violations.push(`vehicle ${vehicle.id} ends at ${back} after its shift ${vehicle.shift.end}`);
    if (load > vehicle.capacity + EPS) violations.push(`vehicle ${vehicle.id} carries ${load} over ${vehicle.capacity}`);
  }
  const reasons = new Set(["capacity", "window", "shift", "fleet"]);
  for (const u of solution.unassigned) {
    count.set(u.customer, (count.get(u.customer) ?? 0) + 1);
    if (!reasons.has(u.reason)) violations.push(`customer ${u.customer} unassigned without a reason`);
  }
  for (const c of problem.customers) {
    if (count.get(c.id) !== 1) violations.push(`customer ${c.id} appears ${count.get(c.id) ?? 0} times (routes + unassigned)`);
  }
  return { violations, late, lateness, distance };
}
