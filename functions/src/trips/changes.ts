// Changing a trip on the way: proposeTripChange prices the rider's new remainder of the trip (server-routed,
// the config in force now) and stores the proposal; confirmTripChange applies it to the booking in one
// transaction with its audit event, only if the booking is still as it was priced. The rider never writes a
// price or a route to the booking: the rules keep `dropoff`, `stops` and `fare` server-only after creation.
//
// Money: the new estimate replaces the old one and the cap (fare.maxMinor) follows it, so the final fare,
// the capture and the off-session charge of anything above the card hold (payments/service.ts) all work from
// the confirmed change. Once the trip is on board, the route is priced from the pickup through the driver's
// last accepted position, so the part already driven is paid for whatever the rider now asks.
import { HttpsError } from "firebase-functions/v2/https";
import { writeAuditEvent } from "../common/auditTrail";
import { db, fieldValue, timestamp } from "../common/firebase";
import { consumeAllowance } from "../common/rateLimit";
import type { LatLng, ServiceType } from "../common/schema";
import { validate } from "../common/validation";
import type { HoldOutcome } from "../payments/service";
import {
  CHANGE_RATE_LIMIT,
  CHANGE_TTL_MS,
  CHANGEABLE_STATUSES,
  changesPath,
  confirmTripChangeInputSchema,
  proposeTripChangeInputSchema,
  tripChangeSchema,
  type ConfirmTripChangeOutput,
  type ProposeTripChangeOutput,
} from "./schema";

type Changeable = (typeof CHANGEABLE_STATUSES)[number];
const isChangeable = (status: unknown): status is Changeable => (CHANGEABLE_STATUSES as readonly unknown[]).includes(status);

const refused = (message: string, path = "bookingId") => new HttpsError("failed-precondition", message, { issues: [{ path, message }] });

interface BookingView {
  riderId: string;
  status: string;
  serviceType: ServiceType;
  categoryId: string;
  pickup: LatLng;
  stops: LatLng[];
  driverId?: string | null;
  scheduledAt?: { toDate(): Date } | null;
  parcel?: { sizeClass?: string };
  fare?: { estimateMinor?: number; currency?: string };
  routeVersion?: number;
}

/** Why this booking may not be changed by this caller now, or null. */
export function changeRefusal(booking: BookingView | undefined, uid: string): { code: "not-found" | "failed-precondition"; message: string } | null {
  if (!booking || booking.riderId !== uid) return { code: "not-found", message: "No such booking of yours." };
  if (booking.serviceType === "hourly") return { code: "failed-precondition", message: "An hourly hire is metered: agree its stops with your driver." };
  if (!isChangeable(booking.status)) {
    return { code: "failed-precondition", message: `A ${booking.status} trip cannot be changed (only ${CHANGEABLE_STATUSES.join(", ")}).` };
  }
  if (booking.fare?.estimateMinor == null) return { code: "failed-precondition", message: "The booking has no fare to change yet." };
  return null;
}

/**
 * The points the changed trip is priced along. Before pickup: pickup → stops → destination. On board: pickup →
 * the driver's last position → the stops still asked for → destination; the surcharge counts every stop the trip
 * has had, since a stop already passed cannot be told from one dropped.
 */
export function pricedPoints(
  booking: Pick<BookingView, "status" | "pickup" | "stops">,
  change: { dropoff: LatLng; stops: LatLng[] },
  driverPosition: LatLng | null,
): { points: LatLng[]; stopCount: number } {
  if (booking.status === "in_progress" && driverPosition) {
    return { points: [booking.pickup, driverPosition, ...change.stops, change.dropoff], stopCount: Math.max(change.stops.length, booking.stops.length) };
  }
  return { points: [booking.pickup, ...change.stops, change.dropoff], stopCount: change.stops.length };
}

async function driverPosition(driverId: string | null | undefined): Promise<LatLng | null> {
  if (!driverId) return null;
  const location = (await db().doc(`driverLocations/${driverId}`).get()).data();
  return typeof location?.lat === "number" && typeof location?.lng === "number" ? { lat: location.lat, lng: location.lng } : null;
}

export async function proposeTripChange(uid: string | undefined, data: unknown): Promise<ProposeTripChangeOutput> {
  const input = validate(proposeTripChangeInputSchema, data);
  if (!uid) throw new HttpsError("unauthenticated", "Sign in first.");
  if (unusableDocId(input.bookingId)) throw new HttpsError("not-found", "No such booking of yours.", { issues: [{ path: "bookingId", message: "no such booking" }] });
  const booking = (await db().doc(`bookings/${input.bookingId}`).get()).data() as BookingView | undefined;
  const refusal = changeRefusal(booking, uid);
  if (refusal) throw new HttpsError(refusal.code, refusal.message, { issues: [{ path: "bookingId", message: refusal.message }] });
  const current = booking!;
  const now = Date.now();
  await consumeAllowance("proposeTripChange", uid, CHANGE_RATE_LIMIT, "trip changes", now);

  const { priceChangedTrip } = await import("../pricing/service");
  const position = current.status === "in_progress" ? await driverPosition(current.driverId) : null;
  if (current.status === "in_progress" && !position) throw refused("The driver's position is not known yet: try again in a moment.");
  const { points, stopCount } = pricedPoints(current, input, position);
  const scheduledAt = current.status === "scheduled" ? current.scheduledAt?.toDate() : undefined;
  const price = await priceChangedTrip({
    serviceType: current.serviceType,
    categoryId: current.categoryId,
    points,
    stopCount,
    at: scheduledAt ?? new Date(now),
    scheduled: current.status === "scheduled",
    parcelSizeClass: current.parcel?.sizeClass ?? null,
  });
  if (price.currency !== current.fare?.currency) throw refused("The trip's currency is no longer priced: contact support.");

  const ref = db().collection(changesPath(input.bookingId)).doc();
  const expiresAt = timestamp().fromMillis(now + CHANGE_TTL_MS);
  await ref.set({
    riderId: uid,
    status: "proposed",
    dropoff: input.dropoff,
    stops: input.stops,
    estimateMinor: price.amountMinor,
    maxMinor: price.capMinor,
    currency: price.currency,
    breakdown: price.breakdown,
    distanceMeters: price.distanceMeters,
    durationSeconds: price.durationSeconds,
    basedOn: { status: current.status as Changeable, routeVersion: current.routeVersion ?? 0, estimateMinor: current.fare!.estimateMinor! },
    createdAt: fieldValue().serverTimestamp(),
    expiresAt,
  });
  return {
    changeId: ref.id,
    estimateMinor: price.amountMinor,
    previousEstimateMinor: current.fare!.estimateMinor!,
    currency: price.currency,
    breakdown: price.breakdown,
    distanceMeters: price.distanceMeters,
    durationSeconds: price.durationSeconds,
    expiresAt: expiresAt.toDate().toISOString(),
  };
}

/** Ids that Firestore refuses as document ids ("." / ".." / "__…__"): nothing of the caller's can have them. */
export const unusableDocId = (id: string) => id === "." || id === ".." || /^__.*__$/.test(id);

export async function confirmTripChange(uid: string | undefined, data: unknown): Promise<ConfirmTripChangeOutput> {
  const input = validate(confirmTripChangeInputSchema, data);
  if (!uid) throw new HttpsError("unauthenticated", "Sign in first.");
  for (const path of ["bookingId", "changeId"] as const) {
    if (unusableDocId(input[path])) throw new HttpsError("not-found", `No such ${path === "bookingId" ? "booking" : "proposal"}.`, { issues: [{ path, message: "no such document" }] });
  }
  const bookingRef = db().doc(`bookings/${input.bookingId}`);
  const changeRef = db().doc(`${changesPath(input.bookingId)}/${input.changeId}`);
  // A card hold is raised first (outside the transaction: it calls Stripe), only for a proposal of this rider
  // that is still open; a refused confirmation then leaves a larger hold, which the capture releases.
  const proposal = tripChangeSchema.safeParse((await changeRef.get()).data());
  let hold: HoldOutcome | undefined;
  if (proposal.success && proposal.data.riderId === uid && proposal.data.status === "proposed") {
    const { raiseHold } = await import("../payments/service");
    hold = await raiseHold(input.bookingId, proposal.data.estimateMinor);
  }
  return db().runTransaction(async (tx) => {
    const [bookingSnap, changeSnap] = await Promise.all([tx.get(bookingRef), tx.get(changeRef)]);
    const booking = bookingSnap.data() as BookingView | undefined;
    const refusal = changeRefusal(booking, uid);
    if (refusal) throw new HttpsError(refusal.code, refusal.message, { issues: [{ path: "bookingId", message: refusal.message }] });
    const parsed = tripChangeSchema.safeParse(changeSnap.data());
    if (!parsed.success || parsed.data.riderId !== uid) throw new HttpsError("not-found", "No such proposal.", { issues: [{ path: "changeId", message: "no such proposal" }] });
    const change = parsed.data;
    const routeVersion = booking!.routeVersion ?? 0;
    if (change.status === "applied") return { outcome: "applied" as const, estimateMinor: change.estimateMinor, routeVersion: Math.max(routeVersion, 1) };
    if (change.expiresAt.toMillis() < Date.now()) throw refused("The proposal expired: ask for a new price.", "changeId");
    if (change.basedOn.status !== booking!.status || change.basedOn.routeVersion !== routeVersion) {
      throw refused("The trip changed since this price was given: ask for a new price.", "changeId");
    }
    const next = routeVersion + 1;
    tx.update(bookingRef, {
      dropoff: change.dropoff,
      stops: change.stops,
      "fare.estimateMinor": change.estimateMinor,
      "fare.breakdown": change.breakdown,
      "fare.maxMinor": change.maxMinor,
      "route.distanceMeters": change.distanceMeters,
      "route.durationSeconds": change.durationSeconds,
      "route.stopOrder": change.stops.map((_, i) => i),
      routeVersion: next,
    });
    tx.update(changeRef, { status: "applied", appliedAt: fieldValue().serverTimestamp() });
    writeAuditEvent(tx, input.bookingId, `trip_changed-${next}`, {
      type: "trip_changed",
      riderId: uid,
      driverId: booking!.driverId ?? null,
      status: booking!.status as Changeable,
      actor: uid,
      data: { changeId: input.changeId, routeVersion: next, previousEstimateMinor: change.basedOn.estimateMinor, estimateMinor: change.estimateMinor, currency: change.currency, stopCount: change.stops.length },
    });
    return { outcome: "applied" as const, estimateMinor: change.estimateMinor, routeVersion: next, ...(hold ? { hold } : {}) };
  });
}
