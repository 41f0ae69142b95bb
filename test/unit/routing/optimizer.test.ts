import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { flatMatrix, optimiseRoute, type RouteShape } from "../../../functions/src/routing/optimizer/index.js";
import { neighbourLists } from "../../../functions/src/routing/optimizer/costMatrix.js";
import { greedyTour } from "../../../functions/src/routing/optimizer/construction.js";
import { heldKarp } from "../../../functions/src/routing/optimizer/heldKarp.js";

const SHAPES: RouteShape[] = ["open", "fixed-end", "round-trip"];

/** Cost of visiting the stops in `order` (indices into stops, i.e. points 1..m) for the given shape. */
function routeCost(matrix: number[][], shape: RouteShape, order: number[]): number {
  const path = [0, ...order.map((stop) => stop + 1)];
  if (shape === "fixed-end") path.push(matrix.length - 1);
  if (shape === "round-trip") path.push(0);
  let total = 0;
  for (let k = 0; k + 1 < path.length; k += 1) total += matrix[path[k]!]![path[k + 1]!]!;
  return total;
}

function stopCount(matrix: number[][], shape: RouteShape): number {
  return matrix.length - 1 - (shape === "fixed-end" ? 1 : 0);
}

function permutations(items: number[]): number[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

function bruteForce(matrix: number[][], shape: RouteShape): number {
  const stops = Array.from({ length: stopCount(matrix, shape) }, (_, i) => i);
  return Math.min(...permutations(stops).map((order) => routeCost(matrix, shape, order)));
}

function isPermutation(order: number[], size: number): boolean {
  return order.length === size && [...order].sort((a, b) => a - b).every((value, i) => value === i);
}

/** A random square matrix (asymmetric unless `symmetric`) with integer costs, zero diagonal. */
const matrixArb = (minPoints: number, maxPoints: number, symmetric = false) =>
  fc.integer({ min: minPoints, max: maxPoints }).chain((n) =>
    fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: n * n, maxLength: n * n }).map((values) =>
      Array.from({ length: n }, (_, i) =>
        Array.from({ length: n }, (_, j) => (i === j ? 0 : symmetric ? values[Math.min(i, j) * n + Math.max(i, j)]! : values[i * n + j]!)),
      ),
    ),
  );

const euclidean = (points: Array<[number, number]>) => points.map(([x1, y1]) => points.map(([x2, y2]) => Math.hypot(x1 - x2, y1 - y2)));

describe("exact solver (Held–Karp)", () => {
  it("agrees with brute force on random asymmetric inputs, for every shape", () => {
    fc.assert(
      fc.property(matrixArb(2, 8), fc.constantFrom(...SHAPES), (matrix, shape) => {
        fc.pre(stopCount(matrix, shape) >= 0);
        const route = optimiseRoute(matrix, shape);
        expect(isPermutation(route.order, stopCount(matrix, shape))).toBe(true);
        expect(route.cost).toBeCloseTo(routeCost(matrix, shape, route.order), 6);
        expect(route.cost).toBeCloseTo(bruteForce(matrix, shape), 6);
      }),
      { numRuns: 300 },
    );
  });

  it("is what the optimiser uses up to 12 stops, and the heuristic beyond", () => {
    const points = Array.from({ length: 14 }, (_, i): [number, number] => [Math.cos(i), Math.sin(3 * i)]);
    expect(optimiseRoute(euclidean(points.slice(0, 13)), "round-trip").method).toBe("exact");
    expect(optimiseRoute(euclidean(points), "round-trip").method).toBe("heuristic");
    expect(optimiseRoute(euclidean(points.slice(0, 2)), "open").method).toBe("trivial");
  });

  it("returns a closed tour from node 0 over all nodes", () => {
    const { tour, cost } = heldKarp(flatMatrix([[0, 1, 9], [9, 0, 1], [1, 9, 0]]));
    expect(tour).toEqual([0, 1, 2]);
    expect(cost).toBe(3);
  });
});

describe("heuristic (iterated local search)", () => {
  it("always returns a valid permutation whose reported cost is the route's cost", () => {
    fc.assert(
      fc.property(matrixArb(2, 40), fc.constantFrom(...SHAPES), fc.boolean(), fc.integer(), (matrix, shape, _unused, seed) => {
        const route = optimiseRoute(matrix, shape, { exactMaxStops: 0, iterations: 50, seed });
        expect(isPermutation(route.order, stopCount(matrix, shape))).toBe(true);
        expect(route.cost).toBeCloseTo(routeCost(matrix, shape, route.order), 6);
      }),
      { numRuns: 150 },
    );
  });

  it("also on symmetric inputs, with many ties (zero and equal costs)", () => {
    fc.assert(
      fc.property(matrixArb(2, 40, true).map((m) => m.map((row) => row.map((v) => v % 3))), fc.constantFrom(...SHAPES), (matrix, shape) => {
        const route = optimiseRoute(matrix, shape, { exactMaxStops: 0, iterations: 50 });
        expect(isPermutation(route.order, stopCount(matrix, shape))).toBe(true);
        expect(route.cost).toBeCloseTo(routeCost(matrix, shape, route.order), 6);
      }),
      { numRuns: 150 },
    );
  });

  it("finds the optimum of small random inputs (asymmetric, every shape) nearly always", () => {
    let optimal = 0;
    let total = 0;
    fc.assert(
      fc.property(matrixArb(9, 9), fc.constantFrom(...SHAPES), (matrix, shape) => {
        const heuristic = optimiseRoute(matrix, shape, { exactMaxStops: 0, iterations: 300 });
        const exact = optimiseRoute(matrix, shape);
        expect(heuristic.cost).toBeGreaterThanOrEqual(exact.cost - 1e-9);
        total += 1;
        if (heuristic.cost <= exact.cost + 1e-9) optimal += 1;
      }),
      { numRuns: 60, seed: 42 },
    );
    expect(optimal / total).toBeGreaterThanOrEqual(0.9);
  });

  it("solves cities in convex position exactly (any tour without crossings is optimal there)", () => {
    const n = 80;
    const angles = Array.from({ length: n }, (_, i) => (2 * Math.PI * ((i * 37) % n)) / n); // shuffled around the circle
    const points = angles.map((a): [number, number] => [1000 * Math.cos(a), 1000 * Math.sin(a)]);
    const matrix = euclidean(points);
    const route = optimiseRoute(matrix, "round-trip", { seed: 7 });
    const perimeter = n * 2 * 1000 * Math.sin(Math.PI / n);
    expect(route.cost).toBeCloseTo(perimeter, 6);
  });

  it("is reproducible: the same input and seed give the same order", () => {
    const points = Array.from({ length: 60 }, (_, i): [number, number] => [(i * 7919) % 101, (i * 104729) % 97]);
    const matrix = euclidean(points);
    const first = optimiseRoute(matrix, "open", { seed: 3, iterations: 500 });
    const second = optimiseRoute(matrix, "open", { seed: 3, iterations: 500 });
    expect(second.order).toEqual(first.order);
    expect(second.cost).toBe(first.cost);
  });

  it("stops at the time limit", () => {
    let clock = 0;
    const points = Array.from({ length: 40 }, (_, i): [number, number] => [(i * 31) % 17, (i * 13) % 23]);
    const route = optimiseRoute(euclidean(points), "round-trip", { timeLimitMs: 100, iterations: 1e9, now: () => (clock += 10) });
    expect(route.iterations).toBeLessThan(200);
    expect(isPermutation(route.order, 39)).toBe(true);
  });
});

describe("route shapes", () => {
  // Points on a line: start at 0, stops at 10, 20, 30, 40 (shuffled), end at 25.
  const xs = [0, 30, 10, 40, 20];
  const line = (extra: number[] = []) => {
    const all = [...xs, ...extra];
    return all.map((a) => all.map((b) => Math.abs(a - b)));
  };
  const visited = (order: number[]) => order.map((stop) => xs[stop + 1]);

  it.each([["exact", 12], ["heuristic", 0]])("open path goes out along the line (%s)", (_name, exactMaxStops) => {
    const route = optimiseRoute(line(), "open", { exactMaxStops });
    expect(visited(route.order)).toEqual([10, 20, 30, 40]);
    expect(route.cost).toBe(40);
  });

  it.each([["exact", 12], ["heuristic", 0]])("fixed end is reached last (%s)", (_name, exactMaxStops) => {
    const route = optimiseRoute(line([25]), "fixed-end", { exactMaxStops });
    expect(route.order).toHaveLength(4);
    expect(route.cost).toBe(40 + 15);
  });

  it.each([["exact", 12], ["heuristic", 0]])("round trip comes back to the start (%s)", (_name, exactMaxStops) => {
    const route = optimiseRoute(line(), "round-trip", { exactMaxStops });
    expect(route.cost).toBe(80);
  });

  it("respects one-way costs (asymmetric matrix)", () => {
    // Going "clockwise" 0→1→…→19→0 costs 1 per leg, every other move costs 10.
    const n = 20;
    const matrix = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : j === (i + 1) % n ? 1 : 10)));
    const firstNine = matrix.slice(0, 9).map((row) => row.slice(0, 9));
    expect(optimiseRoute(firstNine, "open").cost).toBe(8);
    expect(optimiseRoute(firstNine, "open", { exactMaxStops: 0 }).cost).toBe(8);
    expect(optimiseRoute(matrix, "round-trip", { exactMaxStops: 0 }).order).toEqual(Array.from({ length: n - 1 }, (_, i) => i));
    expect(optimiseRoute(matrix, "open", { exactMaxStops: 0 }).cost).toBe(n - 1);
  });

  it("handles no stops and a single stop", () => {
    expect(optimiseRoute([[0]], "round-trip")).toMatchObject({ order: [], cost: 0 });
    expect(optimiseRoute([[0, 5], [7, 0]], "round-trip")).toMatchObject({ order: [0], cost: 12 });
    expect(optimiseRoute([[0, 5], [7, 0]], "open")).toMatchObject({ order: [0], cost: 5 });
    expect(optimiseRoute([[0, 5, 1], [7, 0, 2], [3, 4, 0]], "fixed-end")).toMatchObject({ order: [0], cost: 7 });
    expect(optimiseRoute([[0, 1], [1, 0]], "fixed-end")).toMatchObject({ order: [], cost: 1 });
  });

  it("rejects a matrix that is not square or has negative or non-finite costs", () => {
    expect(() => optimiseRoute([[0, 1], [1]], "open")).toThrow(/row 1/);
    expect(() => optimiseRoute([[0, -1], [1, 0]], "open")).toThrow(/cost\[0\]\[1\]/);
    expect(() => optimiseRoute([[0, Infinity], [1, 0]], "open")).toThrow(/cost\[0\]\[1\]/);
  });
});

describe("building blocks", () => {
  it("neighbour lists hold the k cheapest other nodes by round-trip cost", () => {
    fc.assert(
      fc.property(matrixArb(2, 25), fc.integer({ min: 1, max: 10 }), (rows, kWanted) => {
        const m = flatMatrix(rows);
        const k = Math.min(kWanted, m.n - 1);
        const lists = neighbourLists(m, k);
        for (let i = 0; i < m.n; i += 1) {
          const weight = (j: number) => rows[i]![j]! + rows[j]![i]!;
          const mine = Array.from(lists.subarray(i * k, i * k + k));
          expect(new Set(mine).size).toBe(k);
          expect(mine).not.toContain(i);
          const sorted = Array.from({ length: m.n }, (_, j) => j).filter((j) => j !== i).map(weight).sort((a, b) => a - b);
          expect(mine.map(weight)).toEqual(sorted.slice(0, k));
        }
      }),
    );
  });

  it("the greedy start tour is a permutation starting at node 0", () => {
    fc.assert(
      fc.property(matrixArb(1, 30), (rows) => {
        const m = flatMatrix(rows);
        const k = Math.min(10, Math.max(1, m.n - 1));
        const tour = Array.from(greedyTour(m, m.n > 1 ? neighbourLists(m, k) : new Int32Array(0), k));
        expect(tour[0]).toBe(0);
        expect(isPermutation(tour, m.n)).toBe(true);
      }),
    );
  });
});
