// Solomon's VRPTW text format (the benchmark instances): name, fleet size and capacity, then one line per
// node (id, x, y, demand, ready, due, service), node 0 the depot whose window is the planning horizon.
import { flatMatrix } from "../optimizer/costMatrix";
import { staticTravel } from "./travel";
import type { VrptwProblem } from "./types";

export interface SolomonInstance {
  name: string;
  vehicles: number;
  capacity: number;
  /** Rows of [id, x, y, demand, ready, due, service], depot first. */
  nodes: number[][];
}

export function parseSolomon(text: string): SolomonInstance {
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  const name = lines[0] ?? "unnamed";
  const numeric = lines.map((line) => line.split(/\s+/).map(Number)).filter((fields) => fields.every(Number.isFinite));
  const fleet = numeric.find((fields) => fields.length === 2);
  const nodes = numeric.filter((fields) => fields.length === 7);
  if (!fleet || !nodes.length || nodes[0]![0] !== 0) throw new Error(`${name}: not a Solomon instance`);
  return { name, vehicles: fleet[0]!, capacity: fleet[1]!, nodes };
}

/** Euclidean distances in double precision, travel time = distance (the benchmark's convention). */
export function solomonDistances(instance: SolomonInstance): number[][] {
  return instance.nodes.map((a) => instance.nodes.map((b) => Math.hypot(a[1]! - b[1]!, a[2]! - b[2]!)));
}

/** The instance as a solver problem: location i is node i, customer ids are the instance's ids. */
export function solomonProblem(instance: SolomonInstance, vehicles = instance.vehicles): VrptwProblem {
  const matrix = flatMatrix(solomonDistances(instance));
  const depot = instance.nodes[0]!;
  return {
    customers: instance.nodes.slice(1).map((row, i) => ({
      id: String(row[0]),
      location: i + 1,
      demand: row[3]!,
      serviceTime: row[6]!,
      window: { start: row[4]!, end: row[5]! },
    })),
    vehicles: Array.from({ length: vehicles }, (_, v) => ({
      id: `v${v + 1}`,
      start: 0,
      end: 0,
      capacity: instance.capacity,
      shift: { start: depot[4]!, end: depot[5]! },
    })),
    distance: matrix,
    travel: staticTravel(matrix),
  };
}
