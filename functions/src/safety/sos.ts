// SOS (docs/safety.md): the trip's rider or driver raises an alarm; admins are alerted by push and SMS at once
// (quiet hours and channel preferences do not apply); an admin closes it. incidents/{bookingId}_{raiserUid}:
// one per booking and raiser, so pressing again finds the open alarm instead of adding one.
import type { DocumentData } from "firebase-admin/firestore";
import { HttpsError, type CallableRequest } from "firebase-functions/v2/https";
import { writeIncidentAuditEvent } from "../common/auditTrail";
import { db, fieldValue } from "../common/firebase";
import * as logger from "../common/logger";
import { validate } from "../common/validation";
import { closeIncidentInputSchema, raiseSosInputSchema, type CloseIncidentOutput, type RaiseSosOutput } from "./schema";
import { incidentId as incidentIdOf, SOS_STATUSES } from "./sharePolicy";

type Request = Pick<CallableRequest, "auth" | "data">;

/** The last recorded points of the trip given to admins (the path chunks the driver's app appends). */
const LAST_TRACK_POINTS = 20;
/** Admins alerted at most (a deployment has a handful; the query is bounded anyway). */
const MAX_ADMINS_ALERTED = 100;

const incidentRef = (id: string) => db().doc(`incidents/${id}`);

async function lastTrackPoints(bookingId: string): Promise<Array<{ lat: number; lng: number; t: number }>> {
  const chunks = await db().collection(`bookings/${bookingId}/track`).limit(200).get();
  const points = chunks.docs.flatMap((chunk) => {
    const raw = chunk.get("points");
    return Array.isArray(raw) ? raw : [];
  });
  return points
    .filter((p): p is { lat: number; lng: number; t: number } => typeof p?.lat === "number" && typeof p?.lng === "number" && typeof p?.t === "number")
    .sort((a, b) => a.t - b.t)
    .slice(-LAST_TRACK_POINTS)
    .map(({ lat, lng, t }) => ({ lat, lng, t }));
}

function tripSnapshot(booking: DocumentData) {
  const summary = booking.driverSummary;
  return {
    status: booking.status,
    serviceType: booking.serviceType ?? null,
    pickup: booking.pickup ?? null,
    dropoff: booking.dropoff ?? null,
    stops: Array.isArray(booking.stops) ? booking.stops : [],
    vehicleId: booking.vehicleId ?? null,
    driverName: typeof summary?.displayName === "string" ? summary.displayName : null,
    plate: typeof summary?.vehicle?.plate === "string" ? summary.vehicle.plate : null,
  };
}

/** Callable raiseSos({bookingId, position?}): the trip's rider or driver, from the assignment to the end of the trip. */
export async function raiseSos(request: Request): Promise<RaiseSosOutput> {
  const input = validate(raiseSosInputSchema, request.data);
  if (!request.auth) throw new HttpsError("unauthenticated", "Sign in first.");
  const uid = request.auth.uid;
  const booking = (await db().doc(`bookings/${input.bookingId}`).get()).data();
  const raiserRole = booking?.riderId === uid ? "rider" : booking?.driverId === uid && typeof booking?.driverId === "string" ? "driver" : null;
  if (!booking || !raiserRole) {
    throw new HttpsError("permission-denied", "Only the rider or the driver of this trip may raise an alarm about it.", { issues: [{ path: "bookingId", message: "is not a trip of the caller" }] });
  }
  if (!SOS_STATUSES.has(booking.status)) {
    throw new HttpsError("failed-precondition", `No alarm on a ${booking.status} trip: call the emergency services.`, { issues: [{ path: "bookingId", message: `the trip is ${booking.status}` }] });
  }
  const id = incidentIdOf(input.bookingId, uid);
  const [driverLoc, track] = await Promise.all([
    typeof booking.driverId === "string" ? db().doc(`driverLocations/${booking.driverId}`).get() : Promise.resolve(undefined),
    lastTrackPoints(input.bookingId),
  ]);
  const d = driverLoc?.data();
  const driverPosition = typeof d?.lat === "number" && typeof d?.lng === "number" ? { lat: d.lat, lng: d.lng, at: d.updatedAt ?? null } : null;

  const created = await db().runTransaction(async (tx) => {
    const existing = (await tx.get(incidentRef(id))).data();
    if (existing?.status === "open") return false;
    const openCount = Number(existing?.openCount ?? 0) + 1;
    tx.set(incidentRef(id), {
      bookingId: input.bookingId,
      raisedBy: uid,
      raiserRole,
      riderId: booking.riderId,
      driverId: booking.driverId ?? null,
      status: "open",
      openCount,
      raisedAt: fieldValue().serverTimestamp(),
      trip: tripSnapshot(booking),
      positions: { driver: driverPosition, reportedByRaiser: input.position ?? null, track },
      closedAt: null,
      closedBy: null,
      resolution: null,
    });
    writeIncidentAuditEvent(tx, id, `raised-${openCount}`, { type: "sos_raised", bookingId: input.bookingId, actor: uid, data: { raiserRole, tripStatus: booking.status, openCount } });
    return true;
  });
  logger.warn("SOS raised", { incidentId: id, bookingId: input.bookingId, raiserRole, created });
  return { incidentId: id, created, status: "open" };
}

/** Callable closeIncident({incidentId, resolution}): admins only; the trail records who closed it and how. */
export async function closeIncident(request: Request): Promise<CloseIncidentOutput> {
  const input = validate(closeIncidentInputSchema, request.data);
  if (!request.auth) throw new HttpsError("unauthenticated", "Sign in first.");
  if (request.auth.token.role !== "admin") throw new HttpsError("permission-denied", "Only admins close incidents.");
  const uid = request.auth.uid;
  return db().runTransaction(async (tx) => {
    const incident = (await tx.get(incidentRef(input.incidentId))).data();
    if (!incident) throw new HttpsError("not-found", "No such incident.", { issues: [{ path: "incidentId", message: "names no incident" }] });
    if (incident.status !== "open") return { status: "closed", alreadyClosed: true } as const;
    tx.update(incidentRef(input.incidentId), { status: "closed", closedAt: fieldValue().serverTimestamp(), closedBy: uid, resolution: input.resolution });
    writeIncidentAuditEvent(tx, input.incidentId, `closed-${incident.openCount ?? 1}`, {
      type: "sos_closed",
      bookingId: String(incident.bookingId),
      actor: uid,
      data: { resolution: input.resolution, openCount: incident.openCount ?? 1 },
    });
    return { status: "closed", alreadyClosed: false } as const;
  });
}

/** The trigger on incidents/{id}: an alarm that (re)opened alerts every admin, once per opening. */
export async function alertAdminsOnIncident(incidentId: string, before: DocumentData | undefined, after: DocumentData | undefined): Promise<number> {
  if (after?.status !== "open" || before?.status === "open") return 0;
  const { deliver } = await import("../notifications/service");
  const admins = await db().collection("users").where("role", "==", "admin").limit(MAX_ADMINS_ALERTED).get();
  const key = `sos-${incidentId}-${after.openCount ?? 1}`;
  for (const admin of admins.docs) {
    await deliver(admin.id, {
      template: "sos_raised",
      category: "trip",
      emergency: true,
      data: { incidentId, bookingId: String(after.bookingId ?? ""), raiserRole: String(after.raiserRole ?? "") },
    }, key);
  }
  logger.warn("SOS: admins alerted", { incidentId, admins: admins.size });
  return admins.size;
}
