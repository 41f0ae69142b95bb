// The recorded trip path → the trip's measured distance and duration. Pure (no Firebase imports): the
// bookings domain calls it at completion with the points of every bookings/{id}/track chunk.
//
// What is dropped, in this order:
//   1. invalid points: non-finite numbers, latitude/longitude out of range, negative accuracy;
//   2. poor fixes: `accuracy` worse than `maxAccuracyMeters` (a missing accuracy is trusted);
//   3. out-of-order and duplicate points: `t` not strictly after the last kept point's `t`
//      (callers pass points in recording order: chunks by their first `t`, points in chunk order);
//   4. impossible jumps: implied speed from the last kept point above `maxSpeedMps`. The very first kept point
//      has nobody to vouch for it, so when `reanchorAfter` consecutive points all disagree with it while
//      agreeing with each other, that first point is the outlier: it is dropped and the run is replayed.
// The track is used only when it is dense enough: at least `minPoints` kept points and no gap between kept
// points longer than `maxGapSeconds` (a straight line across a long gap would under-measure). Otherwise the
// route estimate is returned unchanged, with source "route-estimate".

export interface TrackPoint {
  lat: number;
  lng: number;
  t: number /* epoch ms */;
  accuracy?: number;
  /** Server-known: when the chunk holding the point was written. A point cannot be recorded after that. */
  sentAtMs?: number;
}

/** What the server notices about a track; recorded on the booking as evidence, never priced on its own. */
export const TRACK_FLAGS = ["track_sparse", "implausible_points", "longer_than_route", "shorter_than_route"] as const;
export type TrackFlag = (typeof TRACK_FLAGS)[number];

export interface TripMeasure {
  distanceMeters: number;
  durationSeconds: number;
  source: "track" | "route-estimate";
  droppedPoints: number;
  flags: TrackFlag[];
}

/**
 * The server's own clock of the trip (timeline.in_progress → timeline.completed), in epoch ms: a point whose
 * `t` lies outside it (give or take `slackMs`) was not recorded during the trip and is dropped. Bounding the
 * time bounds the distance: at most maxSpeedMps × the trip's real duration can survive the jump filter.
 */
export interface TripWindow {
  startMs: number;
  endMs: number;
}
export const TRIP_WINDOW_SLACK_MS = 30_000;
/** A track this much longer (or shorter) than the routed distance is flagged for review. */
export const ROUTE_RATIO_FLAGS = { longer: 1.5, shorter: 0.5 } as const;

export interface PathFilterOptions {
  /** 70 m/s = 252 km/h: faster than any road vehicle we dispatch, slower than a GPS teleport. */
  maxSpeedMps: number;
  /** Fixes less precise than this (metres, 68% radius) are noise for distance purposes. */
  maxAccuracyMeters: number;
  minPoints: number;
  maxGapSeconds: number;
  reanchorAfter: number;
}

export const DEFAULT_PATH_FILTER: PathFilterOptions = {
  maxSpeedMps: 70,
  maxAccuracyMeters: 50,
  minPoints: 5,
  maxGapSeconds: 180,
  reanchorAfter: 3,
};

const EARTH_RADIUS_METERS = 6_371_008.8;

/** Great-circle distance in metres (haversine). */
export function haversineMeters(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const toRad = (deg: number) => (deg * Math.PI) / 180;
  const dLat = toRad(b.lat - a.lat);
  const dLng = toRad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRad(a.lat)) * Math.cos(toRad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)));
}

function isValidPoint(p: TrackPoint, maxAccuracyMeters: number): boolean {
  if (!Number.isFinite(p.lat) || !Number.isFinite(p.lng) || !Number.isFinite(p.t)) return false;
  if (p.lat < -90 || p.lat > 90 || p.lng < -180 || p.lng > 180) return false;
  if (p.accuracy !== undefined && (!Number.isFinite(p.accuracy) || p.accuracy < 0 || p.accuracy > maxAccuracyMeters)) {
    return false;
  }
  return true;
}

function plausible(from: TrackPoint, to: TrackPoint, maxSpeedMps: number): boolean {
  const seconds = (to.t - from.t) / 1000;
  return seconds > 0 && haversineMeters(from, to) <= maxSpeedMps * seconds;
}

/** The points that survive the filters above, in order. */
export function filterPath(points: TrackPoint[], options: PathFilterOptions = DEFAULT_PATH_FILTER): TrackPoint[] {
  const queue = points.filter((p) => isValidPoint(p, options.maxAccuracyMeters));
  const kept: TrackPoint[] = [];
  let run: TrackPoint[] = []; // consecutive points rejected as impossible jumps from the last kept point
  let firstKeptUnconfirmed = false;

  for (let i = 0; i < queue.length; i++) {
    const point = queue[i]!;
    const last = kept[kept.length - 1];
    if (last && point.t <= last.t) continue; // out of order or duplicate
    if (!last || plausible(last, point, options.maxSpeedMps)) {
      firstKeptUnconfirmed = kept.length === 0;
      kept.push(point);
      run = [];
      continue;
    }
    const previousInRun = run[run.length - 1];
    run = previousInRun && plausible(previousInRun, point, options.maxSpeedMps) ? [...run, point] : [point];
    if (firstKeptUnconfirmed && run.length >= options.reanchorAfter) {
      // The lone first point disagrees with a consistent run: it was the outlier. Restart from the run.
      kept.pop();
      queue.splice(i + 1, 0, ...run.slice(1)); // replayed against their own first point
      kept.push(run[0]!);
      firstKeptUnconfirmed = false;
      run = [];
    }
  }
  return kept;
}

/** Path length in metres of consecutive points. */
export function pathLengthMeters(points: TrackPoint[]): number {
  let total = 0;
  for (let i = 1; i < points.length; i++) total += haversineMeters(points[i - 1]!, points[i]!);
  return total;
}

export function measureTrip(
  points: TrackPoint[],
  fallback: { distanceMeters: number; durationSeconds: number },
  options: PathFilterOptions = DEFAULT_PATH_FILTER,
  window?: TripWindow,
): TripMeasure {
  const inWindow = points.filter(
    (p) =>
      (p.sentAtMs === undefined || p.t <= p.sentAtMs + TRIP_WINDOW_SLACK_MS) &&
      (!window || (p.t >= window.startMs - TRIP_WINDOW_SLACK_MS && p.t <= window.endMs + TRIP_WINDOW_SLACK_MS)),
  );
  const kept = filterPath(inWindow, options);
  const droppedPoints = points.length - kept.length;
  const flags: TrackFlag[] = droppedPoints > 0 ? ["implausible_points"] : [];
  const first = kept[0];
  const last = kept[kept.length - 1];
  let largestGapSeconds = 0;
  for (let i = 1; i < kept.length; i++) {
    largestGapSeconds = Math.max(largestGapSeconds, (kept[i]!.t - kept[i - 1]!.t) / 1000);
  }
  if (!first || !last || kept.length < options.minPoints || largestGapSeconds > options.maxGapSeconds) {
    return { distanceMeters: fallback.distanceMeters, durationSeconds: fallback.durationSeconds, source: "route-estimate", droppedPoints, flags: [...flags, "track_sparse"] };
  }
  const distanceMeters = Math.round(pathLengthMeters(kept));
  if (fallback.distanceMeters > 0 && distanceMeters > fallback.distanceMeters * ROUTE_RATIO_FLAGS.longer) flags.push("longer_than_route");
  if (fallback.distanceMeters > 0 && distanceMeters < fallback.distanceMeters * ROUTE_RATIO_FLAGS.shorter) flags.push("shorter_than_route");
  return {
    distanceMeters,
    durationSeconds: Math.round((last.t - first.t) / 1000),
    source: "track",
    droppedPoints,
    flags,
  };
}

/**
 * Flattens track chunks into recording order: chunks by their first point's time, points in chunk order. A
 * chunk's `writtenAtMs` (the server's create time) bounds its points: none can be recorded after it was sent.
 */
export function pointsFromChunks(chunks: Array<{ points: TrackPoint[]; writtenAtMs?: number }>): TrackPoint[] {
  const firstT = (chunk: { points: TrackPoint[] }) => chunk.points[0]?.t ?? Number.POSITIVE_INFINITY;
  return [...chunks]
    .sort((a, b) => firstT(a) - firstT(b))
    .flatMap((chunk) => (chunk.writtenAtMs === undefined ? chunk.points : chunk.points.map((p) => ({ ...p, sentAtMs: chunk.writtenAtMs! }))));
}
