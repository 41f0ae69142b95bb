// Tracking decisions as plain functions (no Firebase imports), shared by the trigger, the presence sweep and
// the ETA refresh, and unit-tested on their own.
import { haversineMeters } from "./path";

export type DriverStatus = "offline" | "available" | "busy";

export interface MirrorInput {
  driver: { approved?: boolean; status?: DriverStatus; vehicleId?: string | null } | undefined;
  vehicle: { driverId?: string; categoryId?: string; status?: string } | undefined;
  uid: string;
}

/**
 * What driverLocations/{uid} must say for matching, given drivers/{uid} and its vehicle. An unapproved or
 * deleted driver is "offline"; a vehicle that is not the driver's own active vehicle gives no category, so
 * dispatch's equality filter on categoryId never matches the driver.
 */
export function mirroredState({ driver, vehicle, uid }: MirrorInput): { status: DriverStatus; categoryId: string | null } {
  const status: DriverStatus = driver && driver.approved !== false ? (driver.status ?? "offline") : "offline";
  const usable = vehicle && vehicle.status === "active" && vehicle.driverId === uid && typeof vehicle.categoryId === "string";
  return { status, categoryId: usable ? vehicle.categoryId! : null };
}

/** Last sign of life: the later of the last position and the last server status change (epoch ms). */
export function lastSeenMillis(location: { updatedAtMs?: number; statusChangedAtMs?: number }): number {
  return Math.max(location.updatedAtMs ?? 0, location.statusChangedAtMs ?? 0);
}

export function isStale(location: { updatedAtMs?: number; statusChangedAtMs?: number }, nowMs: number, staleMinutes: number): boolean {
  return nowMs - lastSeenMillis(location) > staleMinutes * 60_000;
}

/**
 * The rules' speed check on every driverLocations write: a new position must be within
 * MAX_DRIVER_SPEED_MPS × (seconds since the stored one) + POSITION_SLACK_METERS of it. 70 m/s (252 km/h) is the
 * path filter's limit too (DEFAULT_PATH_FILTER.maxSpeedMps): no car in city or motorway traffic beats it, so a
 * real drive never trips it. The slack absorbs GPS noise: a fix may wander by tens of metres (urban canyons,
 * a cold start), and two such errors in opposite directions add up; 100 m covers that without letting a
 * jump matter (the geofences are 150 m and 250 m, and a stale position is already refused).
 * firestore.rules repeats both numbers (test/unit/rulesConstants.test.ts checks them).
 */
export const MAX_DRIVER_SPEED_MPS = 70;
export const POSITION_SLACK_METERS = 100;

/**
 * Whether the rules would accept `next` after `previous` stored `elapsedMs` earlier (server time): the driver
 * apps use it to name the reason of a refused write ("implausible jump") and to pace simulated drives.
 * Haversine here, the rules' equirectangular approximation there: they agree within a fraction of the slack.
 */
export function isPlausibleMove(previous: { lat: number; lng: number }, next: { lat: number; lng: number }, elapsedMs: number): boolean {
  return haversineMeters(previous, next) <= MAX_DRIVER_SPEED_MPS * (elapsedMs / 1000) + POSITION_SLACK_METERS;
}

/** Urban driving assumptions for a straight-line ETA when no routing call is worth its price. */
export const ETA_MODEL = { metersPerSecond: 8.3 /* ~30 km/h */, detourFactor: 1.35, minimumSeconds: 60 };

/** Seconds for the driver to reach the pickup: straight line × detour factor at urban speed. */
export function estimatePickupSeconds(from: { lat: number; lng: number }, to: { lat: number; lng: number }): number {
  const meters = haversineMeters(from, to) * ETA_MODEL.detourFactor;
  return Math.max(ETA_MODEL.minimumSeconds, Math.round(meters / ETA_MODEL.metersPerSecond));
}

/** The ETA is refreshed at most every `minIntervalSeconds`, unless forced (a booking status change). */
export function etaIsDue(lastUpdatedMs: number | undefined, nowMs: number, minIntervalSeconds: number, force: boolean): boolean {
  return force || lastUpdatedMs === undefined || nowMs - lastUpdatedMs >= minIntervalSeconds * 1000;
}
