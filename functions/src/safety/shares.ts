// Share my trip (docs/safety.md): the rider's callables, and the one server writer of tripShares/{token}.
//   bookings/{id}/shares/{token}  the grant: riderId, active, createdAt, revokedAt, endedAt (server; the rider reads)
//   tripShares/{token}            the public view (sharePolicy.shareView), deleted when the grant ends
// The view is refreshed by the booking pipeline's `safety.tripShares` step (status, ETA, driver) and, for the
// driver's position, by one Cloud Task chain per shared trip (refreshTripShareTask), never per location write.
import type { DocumentData } from "firebase-admin/firestore";
import { HttpsError, type CallableRequest } from "firebase-functions/v2/https";
import { db, fieldValue } from "../common/firebase";
import * as logger from "../common/logger";
import { enqueueTask, TaskTooEarly } from "../common/tasks";
import { validate } from "../common/validation";
import { shareRefreshMaxMinutes, shareRefreshSeconds } from "./config";
import { createTripShareInputSchema, revokeTripShareInputSchema, type CreateTripShareOutput, type RevokeTripShareOutput } from "./schema";
import { LIVE_STATUSES, MAX_ACTIVE_SHARES, newShareToken, SHAREABLE_STATUSES, shareView, type ShareLocation } from "./sharePolicy";

type Request = Pick<CallableRequest, "auth" | "data">;

export const SHARE_TASK_FUNCTION = "refreshTripShareTask";
const bookingRef = (bookingId: string) => db().doc(`bookings/${bookingId}`);
const grants = (bookingId: string) => db().collection(`bookings/${bookingId}/shares`);
const publicRef = (token: string) => db().doc(`tripShares/${token}`);

async function driverLocation(booking: DocumentData | undefined): Promise<ShareLocation | undefined> {
  if (!booking || !LIVE_STATUSES.has(booking.status) || typeof booking.driverId !== "string") return undefined;
  // Read outside any transaction: the driver's app writes it every second (as the ETA does, tracking/eta.ts).
  const data = (await db().doc(`driverLocations/${booking.driverId}`).get()).data();
  if (!data) return undefined;
  return { lat: data.lat, lng: data.lng, heading: data.heading, updatedAtMs: data.updatedAt?.toMillis?.() };
}

const publicDoc = (booking: DocumentData, location: ShareLocation | undefined, nowMs: number) => ({
  ...shareView(booking as Parameters<typeof shareView>[0], location, nowMs),
  updatedAt: fieldValue().serverTimestamp(),
});

/** Callable createTripShare({bookingId}): the booking's rider, while the trip has not ended. */
export async function createTripShare(request: Request, nowMs = Date.now()): Promise<CreateTripShareOutput> {
  const input = validate(createTripShareInputSchema, request.data);
  if (!request.auth) throw new HttpsError("unauthenticated", "Sign in first.");
  const uid = request.auth.uid;
  const location = await driverLocation((await bookingRef(input.bookingId).get()).data());
  const token = newShareToken();
  const { activeShares, booking } = await db().runTransaction(async (tx) => {
    const booking = (await tx.get(bookingRef(input.bookingId))).data();
    // The same answer for a trip that does not exist and one of someone else: nothing to learn by probing ids.
    if (!booking || booking.riderId !== uid) {
      throw new HttpsError("permission-denied", "Only the rider of this trip may share it.", { issues: [{ path: "bookingId", message: "is not a trip of the caller" }] });
    }
    if (!SHAREABLE_STATUSES.has(booking.status)) {
      throw new HttpsError("failed-precondition", `A ${booking.status} trip cannot be shared.`, { issues: [{ path: "bookingId", message: `the trip is ${booking.status}` }] });
    }
    const active = await tx.get(grants(input.bookingId).where("active", "==", true));
    if (active.size >= MAX_ACTIVE_SHARES) {
      throw new HttpsError("resource-exhausted", `At most ${MAX_ACTIVE_SHARES} links per trip: revoke one first.`, { issues: [{ path: "bookingId", message: "has too many links in force" }] });
    }
    tx.create(grants(input.bookingId).doc(token), { riderId: uid, active: true, createdAt: fieldValue().serverTimestamp(), revokedAt: null, endedAt: null });
    tx.create(publicRef(token), publicDoc(booking, location, nowMs));
    return { activeShares: active.size + 1, booking };
  });
  if (LIVE_STATUSES.has(booking.status)) await scheduleShareRefresh(input.bookingId, shareRefreshSeconds(), nowMs);
  logger.info("trip shared", { bookingId: input.bookingId, activeShares });
  return { token, activeShares };
}

/** Callable revokeTripShare({bookingId, token}): the link stops at once (its public document is deleted). */
export async function revokeTripShare(request: Request): Promise<RevokeTripShareOutput> {
  const input = validate(revokeTripShareInputSchema, request.data);
  if (!request.auth) throw new HttpsError("unauthenticated", "Sign in first.");
  const uid = request.auth.uid;
  const grantRef = grants(input.bookingId).doc(input.token);
  return db().runTransaction(async (tx) => {
    const grant = (await tx.get(grantRef)).data();
    if (!grant || grant.riderId !== uid) throw new HttpsError("not-found", "No such link of yours.", { issues: [{ path: "token", message: "is not a link of the caller's trip" }] });
    tx.delete(publicRef(input.token));
    if (!grant.active) return { revoked: false };
    tx.update(grantRef, { active: false, revokedAt: fieldValue().serverTimestamp() });
    return { revoked: true };
  });
}

/**
 * Brings every link of a booking in force up to date: the view from the booking and the driver's last position, or,
 * once the trip has ended (or the booking is gone), the grant closed and the public document deleted. The grants
 * are re-read in the transaction, so a link revoked or ended meanwhile is deleted, never written back.
 */
export async function syncTripShares(bookingId: string, nowMs = Date.now()): Promise<{ active: number; live: boolean; acceptedAtMs?: number }> {
  const active = await grants(bookingId).where("active", "==", true).get();
  if (active.empty) return { active: 0, live: false };
  const booking = (await bookingRef(bookingId).get()).data();
  const ended = !booking || !SHAREABLE_STATUSES.has(booking.status);
  const location = ended ? undefined : await driverLocation(booking);
  const kept = await db().runTransaction(async (tx) => {
    const fresh = await tx.getAll(...active.docs.map((d) => d.ref));
    let count = 0;
    for (const grant of fresh) {
      if (!grant.exists || grant.get("active") !== true || ended) {
        tx.delete(publicRef(grant.id));
        if (grant.exists && grant.get("active") === true) tx.update(grant.ref, { active: false, endedAt: fieldValue().serverTimestamp() });
        continue;
      }
      tx.set(publicRef(grant.id), publicDoc(booking!, location, nowMs));
      count += 1;
    }
    return count;
  });
  if (ended) logger.info("trip shares ended", { bookingId, closed: active.size });
  return { active: kept, live: !ended && LIVE_STATUSES.has(booking!.status), acceptedAtMs: booking?.timeline?.accepted?.toMillis?.() };
}

/** The pipeline step: sync the links, and start the position refresh when a shared trip has a driver. */
export async function onBookingChangeForShares(bookingId: string): Promise<void> {
  const { active, live } = await syncTripShares(bookingId);
  if (active > 0 && live) await scheduleShareRefresh(bookingId, shareRefreshSeconds());
}

/** The next position refresh of a shared trip; the task id is the booking and the slot (chains merge, as the ETA's). */
export async function scheduleShareRefresh(bookingId: string, delaySeconds: number, nowMs = Date.now()): Promise<boolean> {
  const dueAtMillis = nowMs + delaySeconds * 1000;
  const slot = Math.floor(dueAtMillis / (delaySeconds * 1000));
  return enqueueTask(SHARE_TASK_FUNCTION, { bookingId, dueAtMillis }, { id: `share-${bookingId}-${slot}`, scheduleTime: new Date(dueAtMillis) });
}

/** Task body: refresh the links of one trip, then queue the next run while there is a link and a driver. */
export async function runShareRefreshTask(data: unknown, nowMs = Date.now()): Promise<void> {
  const bookingId = (data as { bookingId?: unknown } | undefined)?.bookingId;
  if (typeof bookingId !== "string" || !bookingId || bookingId.includes("/")) {
    logger.warn("share task without a bookingId", { data });
    return;
  }
  const dueAtMillis = Number((data as { dueAtMillis?: unknown }).dueAtMillis);
  if (Number.isFinite(dueAtMillis) && dueAtMillis - nowMs > 1_000) throw new TaskTooEarly(`share task for ${bookingId} is early`);
  const { active, live, acceptedAtMs } = await syncTripShares(bookingId, nowMs);
  if (active === 0 || !live) return;
  if (acceptedAtMs !== undefined && nowMs - acceptedAtMs > shareRefreshMaxMinutes() * 60_000) {
    logger.warn("share refresh stopped: the trip is too long", { bookingId });
    return;
  }
  await scheduleShareRefresh(bookingId, shareRefreshSeconds(), nowMs);
}
