// The offline estimate (no Firebase, no network): great-circle distance × a road factor, at an average speed
// that depends on the local time of day. Used when no Maps key is configured and as Google's fallback; quotes
// built from it carry `estimated: true`.
import type { LatLng } from "../common/schema";
import { localTime } from "../pricing/localTime";

/** Roads are longer than the straight line; 1.35 is a typical detour index for European cities. */
export const ROAD_FACTOR = 1.35;
const EARTH_RADIUS_METERS = 6_371_008.8;

export function greatCircleMeters(a: LatLng, b: LatLng): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Average city speed in km/h at a local weekday/hour: slow in the weekday rush hours, fast at night. */
export function speedKmh(at: Date, timeZone?: string): number {
  const { weekday, hour } = localTime(at, timeZone);
  const weekdayRush = weekday >= 1 && weekday <= 5 && ((hour >= 7 && hour < 10) || (hour >= 17 && hour < 20));
  if (weekdayRush) return 18;
  if (hour >= 22 || hour < 6) return 35;
  return 25;
}

export function estimateLeg(from: LatLng, to: LatLng, departureTime: Date): { distanceMeters: number; durationSeconds: number } {
  const distanceMeters = Math.round(greatCircleMeters(from, to) * ROAD_FACTOR);
  const durationSeconds = Math.round(distanceMeters / ((speedKmh(departureTime) * 1000) / 3600));
  return { distanceMeters, durationSeconds };
}

export function offlineMatrix(origins: LatLng[], destinations: LatLng[], departureTime: Date) {
  const legs = origins.map((o) => destinations.map((d) => estimateLeg(o, d, departureTime)));
  return {
    distanceMeters: legs.map((row) => row.map((leg) => leg.distanceMeters)),
    durationSeconds: legs.map((row) => row.map((leg) => leg.durationSeconds)),
    source: "offline-estimate" as const,
  };
}
