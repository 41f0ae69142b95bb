// k-nearest search over geohash cells (pure: storage comes in as `fetch`). Best-first: cells are opened in order
// of their distance from the centre; each cell is one range query of at most `pageSize` documents. A full page
// means a dense cell: it is split into its 4 sub-cells, the ones already read are dropped and the one holding
// the last document continues after it, so no document is read twice. The search stops as soon as k accepted
// documents are nearer than any unopened cell: reads stay close to k whatever the driver density.
import { boxOf, cellOf, distanceMeters, minDistanceToBox, neighboursOf, rangeOf, type LatLng } from "./geocells";

export interface GeoDoc extends LatLng {
  id: string;
  geohash: string;
}

export interface RangeQuery<D> {
  start: string;
  end: string;
  /** Continue after this document (ordered by geohash, then id). */
  after: D | null;
  limit: number;
}

export interface NearestOptions<D extends GeoDoc> {
  center: LatLng;
  k: number;
  maxRadiusMeters: number;
  /** Bit depth of the finest starting grid: 30 bits ≈ 0.95 × 0.61 km cells at Lisbon. */
  topDepth?: number;
  /** Grids tried in turn while fewer than k are found (default: topDepth to 1.5 km, 4 bits coarser to 6 km, 8 coarser beyond). */
  levels?: Array<{ depth: number; radiusMeters: number }>;
  pageSize?: number;
  /** Cells queried at once (latency vs. a few extra reads). */
  parallel?: number;
  /** Filters the query cannot express (freshness, exclusions). Rejected documents still count as read. */
  accept?: (doc: D, distanceMeters: number) => boolean;
  fetch: (query: RangeQuery<D>) => Promise<D[]>;
}

export interface NearestStats {
  docsRead: number;
  queries: number;
  /** What Firestore bills: every query costs at least one read. */
  billedReads: number;
  /** Distance of the k-th accepted document, or the radius searched when fewer were found. */
  radiusMeters: number;
}

export interface Found<D> {
  doc: D;
  distanceMeters: number;
}

interface Pending<D> {
  cell: string;
  after: D | null;
  minDistance: number;
  topLevel: boolean;
}

const MAX_DEPTH = 50;

export async function nearest<D extends GeoDoc>(options: NearestOptions<D>): Promise<{ found: Found<D>[]; stats: NearestStats }> {
  const { center, k, maxRadiusMeters, fetch } = options;
  const topDepth = options.topDepth ?? 30;
  const pageSize = options.pageSize ?? 5;
  const parallel = options.parallel ?? 4;
  const accept = options.accept ?? (() => true);

  const stats: NearestStats = { docsRead: 0, queries: 0, billedReads: 0, radiusMeters: maxRadiusMeters };
  const found: Found<D>[] = [];
  const seen = new Set<string>();
  const kthDistance = () => (found.length >= k ? found[k - 1]!.distanceMeters : Infinity);

  // Fine cells near the pickup, coarser ones further out: an empty neighbourhood costs a few queries, not hundreds.
  const levels = options.levels ?? [
    { depth: topDepth, radiusMeters: 1_500 },
    { depth: topDepth - 4, radiusMeters: 6_000 },
    { depth: topDepth - 8, radiusMeters: Infinity },
  ];
  // Cells read in full (by any level), and every prefix of them: a coarser level never reads them again.
  const completed = new Set<string>();
  const completedPrefixes = new Set<string>();
  const complete = (cell: string) => {
    completed.add(cell);
    for (let d = 1; d < cell.length; d++) completedPrefixes.add(cell.slice(0, d));
  };
  const isCompleted = (cell: string) => {
    for (let d = cell.length; d >= 1; d--) if (completed.has(cell.slice(0, d))) return true;
    return false;
  };

  for (const level of levels) {
    const radius = Math.min(level.radiusMeters, maxRadiusMeters);
    await searchLevel(level.depth, radius);
    if (kthDistance() <= radius || radius >= maxRadiusMeters) break; // certain only within the searched radius
  }

  async function searchLevel(depth: number, radius: number): Promise<void> {
    const frontier: Pending<D>[] = [];
    const visitedTop = new Set<string>();
    const push = (cell: string, after: D | null, topLevel: boolean) => {
      const minDistance = minDistanceToBox(center, boxOf(cell));
      if (minDistance <= radius) frontier.push({ cell, after, minDistance, topLevel });
    };
    /** Replaces a cell by its 4 sub-cells; with `last`, those read up to it are done and one continues after it. */
    function split(item: Pending<D>, last: D | null) {
      const cursor = last ?? item.after;
      for (const suffix of ["00", "01", "10", "11"]) {
        const child = item.cell + suffix;
        const range = rangeOf(child);
        if (cursor && range.end <= cursor.geohash) {
          complete(child); // already read in full
          continue;
        }
        push(child, cursor && range.start <= cursor.geohash ? cursor : null, false);
      }
    }
    const start = cellOf(center, depth);
    visitedTop.add(start);
    push(start, null, true);

    while (frontier.length) {
      frontier.sort((a, b) => a.minDistance - b.minDistance);
      if (frontier[0]!.minDistance > kthDistance()) break;
      const batch: Pending<D>[] = [];
      const opened: Pending<D>[] = [];
      while (batch.length < parallel && frontier.length && (batch.length === 0 || frontier[0]!.minDistance <= kthDistance())) {
        const item = frontier.shift()!;
        opened.push(item);
        if (isCompleted(item.cell)) continue;
        if (completedPrefixes.has(item.cell) && item.cell.length < MAX_DEPTH) {
          // Part of this cell was read by a finer level: query its sub-cells around that part instead.
          split(item, null);
          frontier.sort((a, b) => a.minDistance - b.minDistance);
          continue;
        }
        batch.push(item);
      }
      for (const item of opened) {
        if (!item.topLevel) continue;
        for (const neighbour of neighboursOf(item.cell)) {
          if (visitedTop.has(neighbour)) continue;
          visitedTop.add(neighbour);
          push(neighbour, null, true);
        }
      }
      if (!batch.length) continue;
      const pages = await Promise.all(
        batch.map((item) => fetch({ ...rangeOf(item.cell), after: item.after, limit: pageSize })),
      );
      batch.forEach((item, i) => {
        const docs = pages[i]!;
        stats.queries += 1;
        stats.docsRead += docs.length;
        stats.billedReads += Math.max(1, docs.length);
        for (const doc of docs) {
          if (seen.has(doc.id)) continue;
          seen.add(doc.id);
          const distance = distanceMeters(center, doc);
          if (distance <= maxRadiusMeters && accept(doc, distance)) found.push({ doc, distanceMeters: distance });
        }
        if (docs.length < pageSize) {
          complete(item.cell);
          return;
        }
        const last = docs[docs.length - 1]!;
        if (item.cell.length >= MAX_DEPTH) {
          frontier.push({ ...item, after: last, topLevel: false });
          return;
        }
        split(item, last);
      });
      found.sort((a, b) => a.distanceMeters - b.distanceMeters);
    }
  }
  if (found.length >= k) stats.radiusMeters = kthDistance();
  return { found, stats };
}
