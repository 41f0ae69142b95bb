// The before-booking snapshot's arithmetic (pure: no Firebase). Everything it returns is a function of how many
// cars stand in each cell of a fixed grid of SNAPSHOT_DEPTH-bit geohash cells (≈ 1.9 × 1.2 km at Lisbon): the
// pickup only chooses which 3 × 3 block of cells is looked at, so no sequence of calls can place a car more
// precisely than its cell (docs/security.md).
import { boxOf, cellOf, distanceMeters, neighboursOf, type LatLng } from "./geocells";
import { CAR_COUNT_BUCKETS } from "./schema";

export const SNAPSHOT_DEPTH = 28;
/** Documents read per cell: enough to tell "6+" apart once stale positions are dropped. */
export const SNAPSHOT_CELL_LIMIT = 20;
export const MIN_ETA_MINUTES = 2;
/** Roads are longer than the straight line (the offline routing estimate uses the same factor). */
const ROAD_FACTOR = 1.35;

export type CarCountBucket = (typeof CAR_COUNT_BUCKETS)[number];

/** The cell of the pickup, then its 8 neighbours: the block the snapshot counts in. */
export function snapshotBlock(pickup: LatLng): { center: string; cells: string[] } {
  const center = cellOf(pickup, SNAPSHOT_DEPTH);
  return { center, cells: [center, ...neighboursOf(center)] };
}

export function cellCentre(cell: string): LatLng {
  const box = boxOf(cell);
  return { lat: (box.latMin + box.latMax) / 2, lng: (box.lngMin + box.lngMax) / 2 };
}

export function countBucket(count: number): CarCountBucket {
  if (count <= 0) return "0";
  if (count <= 2) return "1-2";
  if (count <= 5) return "3-5";
  return "6+";
}

/**
 * Minutes from the centre cell to the nearest occupied cell: centre-to-centre distance plus half a cell's
 * diagonal (a car may be anywhere in its cell), on the road, at the dispatch speed; whole minutes, at least
 * MIN_ETA_MINUTES. Null when no cell is occupied.
 */
export function etaMinutes(center: string, counts: ReadonlyMap<string, number>, speedMetersPerSecond: number): number | null {
  const from = cellCentre(center);
  const box = boxOf(center);
  const halfDiagonal = distanceMeters({ lat: box.latMin, lng: box.lngMin }, { lat: box.latMax, lng: box.lngMax }) / 2;
  let best = Infinity;
  for (const [cell, count] of counts) {
    if (count > 0) best = Math.min(best, distanceMeters(from, cellCentre(cell)));
  }
  if (best === Infinity) return null;
  const seconds = ((best + halfDiagonal) * ROAD_FACTOR) / speedMetersPerSecond;
  return Math.max(MIN_ETA_MINUTES, Math.ceil(seconds / 60));
}
