// The problem compiled to flat typed arrays over internal nodes: customers 0..n-1, then for vehicle v its
// start node n + 2v and its end node n + 2v + 1 (an open route's end is a node at zero distance and time).
import { bisectLatestDeparture } from "./travel";
import type { UnassignedReason, VrptwOptions, VrptwProblem } from "./types";

/** Tolerance on time comparisons: inverses of time-dependent travel are exact only up to rounding. */
export const TIME_EPS = 1e-7;

export interface Model {
  n: number;
  m: number;
  /** Internal node count n + 2m. */
  size: number;
  ready: Float64Array;
  due: Float64Array;
  service: Float64Array;
  demand: Float64Array;
  capacity: Float64Array;
  shiftStart: Float64Array;
  shiftEnd: Float64Array;
  fixedCost: Float64Array;
  /** Vehicles with the same start, end, capacity, shift and fixed cost share a class: one empty one is enough to try. */
  vehicleClass: Int32Array;
  classes: number;
  dist: Float64Array;
  /** Static travel times over internal nodes, or null when travel depends on the departure time. */
  time: Float64Array | null;
  /** Arrival at node b when leaving node a at t. */
  arrive(a: number, b: number, t: number): number;
  /** Latest departure from a that reaches b by t. */
  latestDeparture(a: number, b: number, t: number): number;
  objective: "distance" | "duration";
  soft: boolean;
  latenessPenalty: number;
  /** Why no vehicle could serve the customer even alone; null when one can. */
  impossible: Array<UnassignedReason | null>;
  /** For each customer, the others sorted by distance (itself first): SISR's adjacency lists. */
  neighbours: Int32Array[];
  /** Distance from the first vehicle's start, for the recreate orderings. */
  depotDistance: Float64Array;
}

export function compileModel(problem: VrptwProblem, options: VrptwOptions): Model {
  const { customers, vehicles, distance, travel } = problem;
  const n = customers.length;
  const m = vehicles.length;
  const size = n + 2 * m;
  const loc = new Int32Array(size);
  customers.forEach((c, i) => (loc[i] = c.location));
  vehicles.forEach((v, k) => {
    loc[n + 2 * k] = v.start;
    loc[n + 2 * k + 1] = v.end ?? -1;
  });
  for (let i = 0; i < size; i += 1) {
    if (loc[i]! >= distance.n || (loc[i]! < 0 && !(i >= n && (i - n) % 2 === 1))) throw new RangeError(`location ${loc[i]} outside the matrix`);
  }
  const ready = Float64Array.from(customers, (c) => c.window.start);
  const due = Float64Array.from(customers, (c) => c.window.end);
  const service = Float64Array.from(customers, (c) => c.serviceTime);
  const demand = Float64Array.from(customers, (c) => c.demand);
  for (let i = 0; i < n; i += 1) {
    if (!(ready[i]! <= due[i]!) || !(service[i]! >= 0) || !(demand[i]! >= 0)) throw new RangeError(`customer ${customers[i]!.id}: invalid window, service time or demand`);
  }
  const capacity = Float64Array.from(vehicles, (v) => v.capacity);
  const shiftStart = Float64Array.from(vehicles, (v) => v.shift.start);
  const shiftEnd = Float64Array.from(vehicles, (v) => v.shift.end);
  const fixedCost = Float64Array.from(vehicles, (v) => v.fixedCost ?? 0);
  const classKeys = new Map<string, number>();
  const vehicleClass = Int32Array.from(vehicles, (v) => {
    const key = `${v.start}|${v.end}|${v.capacity}|${v.shift.start}|${v.shift.end}|${v.fixedCost ?? 0}`;
    if (!classKeys.has(key)) classKeys.set(key, classKeys.size);
    return classKeys.get(key)!;
  });

  const dist = new Float64Array(size * size);
  const dn = distance.n;
  for (let a = 0; a < size; a += 1) {
    for (let b = 0; b < size; b += 1) {
      const la = loc[a]!, lb = loc[b]!;
      dist[a * size + b] = la < 0 || lb < 0 ? 0 : distance.data[la * dn + lb]!;
    }
  }
  let time: Float64Array | null = null;
  if (travel.matrix) {
    const tm = travel.matrix;
    time = new Float64Array(size * size);
    for (let a = 0; a < size; a += 1) {
      for (let b = 0; b < size; b += 1) {
        const la = loc[a]!, lb = loc[b]!;
        time[a * size + b] = la < 0 || lb < 0 ? 0 : tm.data[la * tm.n + lb]!;
      }
    }
  }
  const staticTime = time;
  const arrive = staticTime
    ? (a: number, b: number, t: number) => t + staticTime[a * size + b]!
    : (a: number, b: number, t: number) => {
        const la = loc[a]!, lb = loc[b]!;
        return la < 0 || lb < 0 ? t : t + travel.duration(la, lb, t);
      };
  const inverse = travel.latestDeparture ? travel.latestDeparture.bind(travel) : (a: number, b: number, t: number) => bisectLatestDeparture(travel, a, b, t);
  const latestDeparture = staticTime
    ? (a: number, b: number, t: number) => t - staticTime[a * size + b]!
    : (a: number, b: number, t: number) => {
        const la = loc[a]!, lb = loc[b]!;
        return la < 0 || lb < 0 ? t : inverse(la, lb, t);
      };

  const impossible = customers.map((_, u): UnassignedReason | null => {
    let fits = false, windowFails = false;
    for (let v = 0; v < m; v += 1) {
      if (demand[u]! > capacity[v]!) continue;
      fits = true;
      const s = Math.max(arrive(n + 2 * v, u, shiftStart[v]!), ready[u]!);
      const overlaps = ready[u]! <= shiftEnd[v]! && due[u]! >= shiftStart[v]!;
      if (s > due[u]! + TIME_EPS && options.timeWindows !== "soft") {
        if (overlaps) windowFails = true;
        continue;
      }
      if (arrive(u, n + 2 * v + 1, s + service[u]!) > shiftEnd[v]! + TIME_EPS) continue;
      return null;
    }
    if (!fits) return "capacity";
    return windowFails ? "window" : "shift";
  });

  const neighbours = customers.map((_, u) => {
    const others = Int32Array.from({ length: n }, (_, k) => k);
    const key = Float64Array.from(others, (k) => (k === u ? -1 : dist[u * size + k]! + dist[k * size + u]!));
    return others.sort((a, b) => key[a]! - key[b]!);
  });
  const depotDistance = Float64Array.from(customers, (_, u) => (m ? dist[n * size + u]! : 0));

  return {
    n, m, size, ready, due, service, demand, capacity, shiftStart, shiftEnd, fixedCost, vehicleClass,
    classes: classKeys.size, dist, time, arrive, latestDeparture,
    objective: options.objective ?? "distance",
    soft: options.timeWindows === "soft",
    latenessPenalty: options.latenessPenalty ?? 1,
    impossible, neighbours, depotDistance,
  };
}
