// Held–Karp dynamic programming: the optimal closed tour from node 0, in O(2^n · n^2) time and O(2^n · n)
// memory, so only for small inputs (13 nodes take a few milliseconds, 17 about a second).
import type { CostMatrix } from "./costMatrix";

export const HELD_KARP_MAX_NODES = 17;

export function heldKarp(m: CostMatrix): { tour: number[]; cost: number } {
  const { n, data } = m;
  if (n > HELD_KARP_MAX_NODES) throw new RangeError(`Held–Karp is limited to ${HELD_KARP_MAX_NODES} nodes, got ${n}`);
  if (n <= 2) return { tour: Array.from({ length: n }, (_, i) => i), cost: n === 2 ? data[1]! + data[2]! : 0 };

  // Node j ≥ 1 is bit j - 1; best[mask * k + (j - 1)] = cheapest path 0 → (all of mask) ending at j.
  const k = n - 1;
  const full = (1 << k) - 1;
  const best = new Float64Array((full + 1) * k).fill(Infinity);
  const parent = new Int8Array((full + 1) * k).fill(-1);
  for (let j = 0; j < k; j += 1) best[(1 << j) * k + j] = data[j + 1]!;

  for (let mask = 1; mask <= full; mask += 1) {
    for (let j = 0; j < k; j += 1) {
      if (!(mask & (1 << j))) continue;
      const here = best[mask * k + j]!;
      if (here === Infinity) continue;
      const row = (j + 1) * n;
      for (let next = 0; next < k; next += 1) {
        if (mask & (1 << next)) continue;
        const slot = (mask | (1 << next)) * k + next;
        const candidate = here + data[row + next + 1]!;
        if (candidate < best[slot]!) {
          best[slot] = candidate;
          parent[slot] = j;
        }
      }
    }
  }

  let cost = Infinity;
  let last = 0;
  for (let j = 0; j < k; j += 1) {
    const total = best[full * k + j]! + data[(j + 1) * n]!;
    if (total < cost) {
      cost = total;
      last = j;
    }
  }
  const reversed: number[] = [];
  for (let mask = full, j = last; j >= 0; ) {
    reversed.push(j + 1);
    const previous = parent[mask * k + j]!;
    mask &= ~(1 << j);
    j = previous;
  }
  return { tour: [0, ...reversed.reverse()], cost };
}
