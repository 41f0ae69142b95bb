// Finds the nearest suitable drivers for a pickup: k-nearest search over driverLocations (one composite index:
// status, categoryId, geohash), then the short list is checked against drivers/{uid} and vehicles/{id}.
import type { DocumentSnapshot, Query } from "firebase-admin/firestore";
import { db } from "../common/firebase";
import type { LatLng } from "./geocells";
import { mayDrive } from "./eligibility";
import { nearest, type GeoDoc, type NearestStats } from "./nearest";
import { rankCandidates, type DispatchSettings, type RankedCandidate } from "./ranking";
import { driverLocationSchema, driverSchema } from "./schema";

interface LocationDoc extends GeoDoc {
  snapshot: DocumentSnapshot;
  updatedAtMillis: number;
  lastAssignedAtMillis: number | null;
}

/** Documents read by matching in this instance since it started (the bench reads it in-process). */
export const matchingCounters = { docsRead: 0, queries: 0, searches: 0 };

function toLocationDoc(snapshot: DocumentSnapshot): LocationDoc | null {
  const parsed = driverLocationSchema.safeParse(snapshot.data());
  if (!parsed.success) return null;
  const location = parsed.data;
  return {
    id: snapshot.id,
    lat: location.lat,
    lng: location.lng,
    geohash: location.geohash,
    snapshot,
    updatedAtMillis: location.updatedAt?.toMillis() ?? 0,
    lastAssignedAtMillis: location.lastAssignedAt?.toMillis() ?? null,
  };
}

export interface MatchResult {
  ranked: RankedCandidate[];
  stats: NearestStats;
}

/** Whether a driver at `position`, limited by an admin to `areaIds`, may be offered the trip (service areas). */
export type ServesTrip = (position: LatLng, areaIds: readonly string[] | undefined) => boolean;

export async function findCandidates(input: {
  pickup: LatLng;
  categoryId: string;
  exclude: ReadonlySet<string>;
  settings: DispatchSettings;
  nowMillis?: number;
  /** Drivers whose position is outside the trip's areas are not even short-listed (areaIds are checked later). */
  servesTrip?: ServesTrip;
}): Promise<MatchResult> {
  const { pickup, categoryId, exclude, settings } = input;
  const freshAfter = (input.nowMillis ?? Date.now()) - settings.freshnessSeconds * 1000;
  const available: Query = db()
    .collection("driverLocations")
    .where("status", "==", "available")
    .where("categoryId", "==", categoryId);

  const { found, stats } = await nearest<LocationDoc>({
    center: pickup,
    k: settings.candidates,
    maxRadiusMeters: settings.maxRadiusMeters,
    accept: (doc) => doc.updatedAtMillis >= freshAfter && !exclude.has(doc.id) && (input.servesTrip?.(doc, undefined) ?? true),
    fetch: async ({ start, end, after, limit }) => {
      let query = available.where("geohash", ">=", start).where("geohash", "<", end).orderBy("geohash").limit(limit);
      if (after) query = query.startAfter(after.snapshot);
      const snapshot = await query.get();
      return snapshot.docs.map(toLocationDoc).filter((d): d is LocationDoc => d !== null);
    },
  });
  matchingCounters.docsRead += stats.docsRead;
  matchingCounters.queries += stats.queries;
  matchingCounters.searches += 1;

  const ranked = rankCandidates(
    found.slice(0, settings.candidates).map((f) => ({
      driverId: f.doc.id,
      distanceMeters: Math.round(f.distanceMeters),
      lastAssignedAt: f.doc.lastAssignedAtMillis,
      position: { lat: f.doc.lat, lng: f.doc.lng },
    })),
    settings,
  );
  return { ranked, stats };
}

/**
 * driverLocations.status is kept `available` only for approved drivers with an active vehicle by the identity
 * and tracking domains, but it is a copy: the few drivers about to be offered are checked at the source.
 */
export async function verifyShortlist(
  ranked: RankedCandidate[],
  wanted: number,
  categoryId: string,
  servesTrip?: ServesTrip,
): Promise<{ chosen: Array<RankedCandidate & { vehicleId: string }>; reads: number }> {
  const chosen: Array<RankedCandidate & { vehicleId: string }> = [];
  let reads = 0;
  let next = 0;
  while (chosen.length < wanted && next < ranked.length) {
    const slice = ranked.slice(next, next + (wanted - chosen.length));
    next += slice.length;
    const drivers = await db().getAll(...slice.map((c) => db().doc(`drivers/${c.driverId}`)));
    reads += drivers.length;
    const approved = slice
      .map((candidate, i) => ({ candidate, driver: driverSchema.safeParse(drivers[i]!.data()) }))
      .filter(({ driver }) => driver.success && mayDrive(driver.data) && driver.data.status !== "busy" && driver.data.vehicleId)
      .filter(({ candidate, driver }) => !servesTrip || (candidate.position !== undefined && servesTrip(candidate.position, driver.data!.areaIds)))
      .map(({ candidate, driver }) => ({ ...candidate, vehicleId: String(driver.data!.vehicleId) }));
    if (!approved.length) continue;
    const vehicles = await db().getAll(...approved.map((c) => db().doc(`vehicles/${c.vehicleId}`)));
    reads += vehicles.length;
    approved.forEach((candidate, i) => {
      const vehicle = vehicles[i]!.data();
      if (vehicle?.status === "active" && vehicle.categoryId === categoryId && vehicle.driverId === candidate.driverId) {
        chosen.push(candidate);
      }
    });
  }
  return { chosen, reads };
}
