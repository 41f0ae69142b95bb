// Distances on the Earth for the trip checks. Pure.
import type { LatLng } from "../common/schema";

const EARTH_RADIUS_METERS = 6_371_008.8;
const toRadians = (degrees: number) => (degrees * Math.PI) / 180;

export function haversineMeters(a: LatLng, b: LatLng): number {
  const dLat = toRadians(b.lat - a.lat);
  const dLng = toRadians(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRadians(a.lat)) * Math.cos(toRadians(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface TrackPoint extends LatLng {
  /** Milliseconds since the epoch. */
  t: number;
}

/**
 * Length and duration of a recorded path: points ordered by time, consecutive distances summed. A stand-in
 * for the tracking domain's `measureTrip` (functions/src/tracking/path.ts), which also filters GPS noise.
 */
export function measurePath(points: readonly TrackPoint[]): { distanceMeters: number; durationSeconds: number } {
  const ordered = [...points].sort((a, b) => a.t - b.t);
  let distance = 0;
  for (let i = 1; i < ordered.length; i++) distance += haversineMeters(ordered[i - 1]!, ordered[i]!);
  const first = ordered[0];
  const last = ordered.at(-1);
  return {
    distanceMeters: Math.round(distance),
    durationSeconds: first && last ? Math.round((last.t - first.t) / 1000) : 0,
  };
}
