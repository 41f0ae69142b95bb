// VRPTW solver: vehicles with capacities, shifts and start/end locations; customers with a demand, a service
// time and one time window (hard, or soft with a lateness penalty); travel times that may depend on the time
// of day. Pure TypeScript, no Firebase. Method: SISR ruin-and-recreate with simulated annealing (sisr.ts).
import { seededRng } from "../optimizer/rng";
import { compileModel, type Model } from "./model";
import { search } from "./search";
import type { State } from "./state";
import type { PlannedRoute, VrptwOptions, VrptwProblem, VrptwSolution } from "./types";

export type * from "./types";
export { type SpeedProfile, type TravelModel, speedProfileTravel, staticTravel, profileArrival, profileLatestDeparture } from "./travel";

export const DEFAULT_VRPTW_TIME_LIMIT_MS = 1_000;

export function solveVrptw(problem: VrptwProblem, options: VrptwOptions = {}): VrptwSolution {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const model = compileModel(problem, options);
  const budget = {
    deadline: started + (options.timeLimitMs ?? DEFAULT_VRPTW_TIME_LIMIT_MS),
    maxIterations: options.maxIterations ?? Infinity,
    now,
  };
  const { best, iterations } = search(model, seededRng(options.seed ?? 1), budget, options.fewestVehicles ?? false);
  return describe(problem, model, best, iterations);
}

/** The plan as the caller reads it: each route re-timed from scratch, totals, and the unassigned with reasons. */
function describe(problem: VrptwProblem, model: Model, state: State, iterations: number): VrptwSolution {
  const { n, size } = model;
  const routes: PlannedRoute[] = [];
  let distance = 0, drivingTime = 0, lateness = 0;
  state.routes.forEach((route, r) => {
    if (!route.length) return;
    const start = n + 2 * r;
    const departure = model.shiftStart[r]!;
    let t = departure, prev = start, dist = 0, driving = 0, load = 0;
    const stops = route.map((c) => {
      const arrival = model.arrive(prev, c, t);
      dist += model.dist[prev * size + c]!;
      driving += arrival - t;
      const begin = Math.max(arrival, model.ready[c]!);
      const late = Math.max(0, begin - model.due[c]!);
      lateness += late;
      load += model.demand[c]!;
      t = begin + model.service[c]!;
      prev = c;
      return { customer: problem.customers[c]!.id, index: c, arrival, start: begin, departure: t, lateness: late };
    });
    const arrival = model.arrive(prev, start + 1, t);
    dist += model.dist[prev * size + start + 1]!;
    driving += arrival - t;
    distance += dist;
    drivingTime += driving;
    routes.push({ vehicle: problem.vehicles[r]!.id, vehicleIndex: r, stops, departure, arrival, load, distance: dist, drivingTime: driving });
  });
  const unassigned = problem.customers.flatMap((c, u) => {
    if (state.routeOf[u]! >= 0) return [];
    return [{ customer: c.id, index: u, reason: model.impossible[u] ?? ("fleet" as const) }];
  });
  return {
    routes,
    unassigned,
    cost: state.routesCost(),
    distance,
    drivingTime,
    lateness,
    vehicles: routes.length,
    iterations,
  };
}
