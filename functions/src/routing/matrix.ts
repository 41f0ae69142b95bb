// Full travel matrices for many points on top of a RoutingProvider: identical points are asked once, the
// matrix is fetched in blocks within Google's Distance Matrix limits (≤ 25 origins, ≤ 25 destinations,
// ≤ 100 elements per request) a few blocks at a time, and blocks are cached for the caller's request (pass the
// same cache to reuse them). If some blocks fell back to the offline estimate, the whole matrix is estimated
// offline: one unit system, never Google traffic times mixed with estimates.
import type { LatLng } from "../common/schema";
import { NoRouteError, offlineRoutingProvider, type RoutingProvider, type TravelMatrix } from "./provider";

export const MAX_ORIGINS_PER_REQUEST = 25;
export const MAX_DESTINATIONS_PER_REQUEST = 25;
export const MAX_ELEMENTS_PER_REQUEST = 100;
const PARALLEL_REQUESTS = 4;

export type MatrixCache = Map<string, Promise<TravelMatrix>>;

export interface MatrixOptions {
  departureTime?: Date;
  /** Blocks already fetched for this request. */
  cache?: MatrixCache;
  /** Used for the whole matrix when blocks disagree on their source. Default: the offline estimate. */
  fallback?: RoutingProvider;
}

export interface FullMatrix extends TravelMatrix {
  /** Provider requests made (cache hits excluded). */
  requests: number;
}

const keyOf = (p: LatLng) => `${p.lat},${p.lng}`;

/** Block size (origins × destinations) that covers an n × n matrix in the fewest requests. */
export function blockShape(n: number): { rows: number; cols: number; requests: number } {
  let best = { rows: 1, cols: 1, requests: Infinity };
  for (let rows = 1; rows <= Math.min(MAX_ORIGINS_PER_REQUEST, Math.max(n, 1)); rows += 1) {
    const cols = Math.min(MAX_DESTINATIONS_PER_REQUEST, Math.floor(MAX_ELEMENTS_PER_REQUEST / rows), Math.max(n, 1));
    const requests = Math.ceil(n / rows) * Math.ceil(n / cols);
    if (requests < best.requests) best = { rows, cols, requests };
  }
  return best;
}

async function inParallel<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/**
 * The square matrix between all `points` (distanceMeters[i][j] from points[i] to points[j], 0 on the
 * diagonal). A NoRouteError names the two points by their index in `points`.
 */
export async function travelMatrix(provider: RoutingProvider, points: LatLng[], options: MatrixOptions = {}): Promise<FullMatrix> {
  const uniqueIndex = new Map<string, number>();
  const unique: LatLng[] = [];
  const slot = points.map((p) => {
    const key = keyOf(p);
    if (!uniqueIndex.has(key)) {
      uniqueIndex.set(key, unique.length);
      unique.push(p);
    }
    return uniqueIndex.get(key)!;
  });

  const fetchAll = async (source: RoutingProvider, role: "primary" | "fallback", cache: MatrixCache) => {
    const m = unique.length;
    const { rows, cols } = blockShape(m);
    const distance = Array.from({ length: m }, () => new Array<number>(m).fill(0));
    const duration = Array.from({ length: m }, () => new Array<number>(m).fill(0));
    const sources = new Set<TravelMatrix["source"]>();
    let requests = 0;
    const tasks: Array<() => Promise<void>> = [];
    if (m < 2) return { distance, duration, sources, requests }; // a single place: nothing to ask
    for (let r0 = 0; r0 < m; r0 += rows) {
      for (let c0 = 0; c0 < m; c0 += cols) {
        const origins = unique.slice(r0, r0 + rows);
        const destinations = unique.slice(c0, c0 + cols);
        tasks.push(async () => {
          const key = `${role}:${source.name}|${options.departureTime?.getTime() ?? "now"}|${origins.map(keyOf).join(";")}|${destinations.map(keyOf).join(";")}`;
          let block = cache.get(key);
          if (!block) {
            requests += 1;
            block = source.matrix(origins, destinations, options.departureTime ? { departureTime: options.departureTime } : {});
            cache.set(key, block);
            block.catch(() => cache.delete(key));
          }
          let result: TravelMatrix;
          try {
            result = await block;
          } catch (error) {
            if (error instanceof NoRouteError) {
              const from = slot.indexOf(r0 + error.origin);
              const to = slot.indexOf(c0 + error.destination);
              throw new NoRouteError(from, to, error.status);
            }
            throw error;
          }
          sources.add(result.source);
          origins.forEach((_, i) =>
            destinations.forEach((__, j) => {
              const d = result.distanceMeters[i]?.[j];
              const t = result.durationSeconds[i]?.[j];
              if (typeof d !== "number" || typeof t !== "number" || !(d >= 0) || !(t >= 0)) {
                throw new Error(`routing provider ${source.name} returned no figure for ${r0 + i} → ${c0 + j}`);
              }
              if (r0 + i !== c0 + j) {
                distance[r0 + i]![c0 + j] = d;
                duration[r0 + i]![c0 + j] = t;
              }
            }),
          );
        });
      }
    }
    await inParallel(tasks, PARALLEL_REQUESTS);
    return { distance, duration, sources, requests };
  };

  const cache = options.cache ?? new Map();
  let result = await fetchAll(provider, "primary", cache);
  let source: TravelMatrix["source"] = result.sources.has("offline-estimate") ? "offline-estimate" : result.sources.has("google") ? "google" : provider.name;
  let requests = result.requests;
  if (result.sources.size > 1) {
    result = await fetchAll(options.fallback ?? offlineRoutingProvider(), "fallback", cache);
    requests += result.requests;
    source = "offline-estimate";
  }
  return {
    distanceMeters: points.map((_, i) => points.map((__, j) => result.distance[slot[i]!]![slot[j]!]!)),
    durationSeconds: points.map((_, i) => points.map((__, j) => result.duration[slot[i]!]![slot[j]!]!)),
    source,
    requests,
  };
}
