// The optimiser works on one problem: the cheapest closed tour through nodes 0..n-1 of a square, possibly
// asymmetric, cost matrix (stored flat: cost from i to j at i * n + j). Open paths and paths to a fixed end
// are reduced to it by rewriting the costs of arriving back at node 0 (see `toTourMatrix`).

export interface CostMatrix {
  readonly n: number;
  readonly data: Float64Array;
}

export type RouteShape = "open" | "fixed-end" | "round-trip";

export function flatMatrix(rows: ReadonlyArray<ReadonlyArray<number>>): CostMatrix {
  const n = rows.length;
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i += 1) {
    const row = rows[i]!;
    if (row.length !== n) throw new RangeError(`cost matrix row ${i} has ${row.length} entries, expected ${n}`);
    for (let j = 0; j < n; j += 1) {
      const value = row[j]!;
      if (!Number.isFinite(value) || value < 0) throw new RangeError(`cost[${i}][${j}] must be a finite number ≥ 0`);
      data[i * n + j] = i === j ? 0 : value;
    }
  }
  return { n, data };
}

/**
 * The tour matrix over [start, ...stops] whose closed tours, read from node 0, are exactly the routes of the
 * given shape: the cost of "returning" from stop i to node 0 becomes 0 for an open path, the cost from i to
 * the end point for a fixed end (the end is the last row/column of `points` and is dropped), and the real
 * cost back to the start for a round trip.
 */
export function toTourMatrix(points: CostMatrix, shape: RouteShape): CostMatrix {
  const n = shape === "fixed-end" ? points.n - 1 : points.n;
  if (n < 1) throw new RangeError("a route needs a start point");
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i += 1) {
    for (let j = 1; j < n; j += 1) data[i * n + j] = points.data[i * points.n + j]!;
    data[i * n] = shape === "open" ? 0 : shape === "fixed-end" ? points.data[i * points.n + n]! : points.data[i * points.n]!;
  }
  return { n, data };
}

export function isSymmetric(m: CostMatrix): boolean {
  const { n, data } = m;
  for (let i = 0; i < n; i += 1) for (let j = i + 1; j < n; j += 1) if (data[i * n + j] !== data[j * n + i]) return false;
  return true;
}

export function tourCost(m: CostMatrix, tour: ArrayLike<number>): number {
  let total = 0;
  for (let k = 0; k < tour.length; k += 1) total += m.data[tour[k]! * m.n + tour[(k + 1) % tour.length]!]!;
  return total;
}

/** The k cheapest other nodes of each node by round-trip cost c(i,j) + c(j,i), flat: node i's at i * k. */
export function neighbourLists(m: CostMatrix, k: number): Int32Array {
  const { n, data } = m;
  const lists = new Int32Array(n * k);
  const weights = new Float64Array(k);
  for (let i = 0; i < n; i += 1) {
    // Insertion into a sorted top-k list: O(n·k) per node, cheaper than sorting all n for small k.
    let size = 0;
    for (let j = 0; j < n; j += 1) {
      if (j === i) continue;
      const weight = data[i * n + j]! + data[j * n + i]!;
      if (size === k && weight >= weights[k - 1]!) continue;
      let slot = size < k ? size++ : k - 1;
      while (slot > 0 && weights[slot - 1]! > weight) {
        weights[slot] = weights[slot - 1]!;
        lists[i * k + slot] = lists[i * k + slot - 1]!;
        slot -= 1;
      }
      weights[slot] = weight;
      lists[i * k + slot] = j;
    }
  }
  return lists;
}
