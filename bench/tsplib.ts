// TSPLIB reading for the TSP bench: EUC_2D instances and the `name : length` solutions file.
import { readFileSync } from "node:fs";

export interface Euc2dInstance {
  name: string;
  x: number[];
  y: number[];
}

/** Parses a TSPLIB file; returns undefined unless it is a TSP with EDGE_WEIGHT_TYPE EUC_2D. */
export function parseEuc2d(text: string): Euc2dInstance | undefined {
  const header = new Map<string, string>();
  const x: number[] = [];
  const y: number[] = [];
  let inCoordinates = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (line === "EOF") break;
    if (line.startsWith("NODE_COORD_SECTION")) {
      inCoordinates = true;
      continue;
    }
    if (inCoordinates) {
      const fields = line.split(/\s+/);
      if (fields.length < 3 || !/^\d+$/.test(fields[0]!)) {
        inCoordinates = false;
      } else {
        x.push(Number(fields[1]));
        y.push(Number(fields[2]));
        continue;
      }
    }
    const match = /^([A-Z_]+)\s*:\s*(.*)$/.exec(line);
    if (match) header.set(match[1]!, match[2]!.trim());
  }
  if (header.get("TYPE") !== "TSP" || header.get("EDGE_WEIGHT_TYPE") !== "EUC_2D") return undefined;
  const dimension = Number(header.get("DIMENSION"));
  if (x.length !== dimension) throw new Error(`${header.get("NAME")}: DIMENSION ${dimension} but ${x.length} coordinates`);
  return { name: header.get("NAME") ?? "unnamed", x, y };
}

/** TSPLIB's EUC_2D distance: nint of the Euclidean distance. */
export function euc2dMatrix(instance: Euc2dInstance): number[][] {
  const { x, y } = instance;
  return x.map((xi, i) => x.map((xj, j) => Math.floor(Math.hypot(xi - xj, y[i]! - y[j]!) + 0.5)));
}

export function readSolutions(file: string): Map<string, number> {
  const optima = new Map<string, number>();
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    const match = /^\s*([\w.-]+)\s*:\s*(\d+(?:\.\d+)?)\s*$/.exec(line);
    if (match) optima.set(match[1]!, Number(match[2]));
  }
  return optima;
}

/** Length of a closed tour (a permutation of 0..n-1), checked to be one. */
export function closedTourLength(matrix: number[][], tour: number[]): number {
  const n = matrix.length;
  if (tour.length !== n || new Set(tour).size !== n || tour.some((v) => !Number.isInteger(v) || v < 0 || v >= n)) {
    throw new Error("not a permutation of the cities");
  }
  return tour.reduce((sum, city, k) => sum + matrix[city]![tour[(k + 1) % n]!]!, 0);
}
