// A driver's answer to an offer. Acceptance is one transaction: the first acceptor of a still-searching booking
// gets it (booking accepted, driver busy, rider may read the driver's location), every other pending offer
// becomes `taken`; a later acceptor gets `taken`. The offer's own state (resolvedAt) makes replays no-ops.
import type { Transaction } from "firebase-admin/firestore";
import { db, fieldValue } from "../common/firebase";
import * as logger from "../common/logger";
import { bookingForDispatchSchema, dispatchJobSchema, driverSchema, offerSchema } from "./schema";
import { mayDrive, refusalReason } from "./eligibility";
import { bookingRef, jobRef, offerRef, offersOf, statusEvent, writeEvent } from "./refs";
import { runRound } from "./service";

export type AnswerOutcome = "assigned" | "taken" | "unavailable" | "declined" | "ignored";

/** Many drivers may accept at once: each loser retries until it sees the winner's commit. */
const ACCEPT_MAX_ATTEMPTS = 50;

export async function handleOfferAnswer(bookingId: string, driverId: string, before: { status?: unknown } | null, after: { status?: unknown } | null): Promise<AnswerOutcome> {
  if (before?.status !== "pending") return "ignored";
  if (after?.status === "accepted") {
    const outcome = await db().runTransaction((tx) => accept(tx, bookingId, driverId), { maxAttempts: ACCEPT_MAX_ATTEMPTS });
    logger.info("offer accepted", { bookingId, driverId, outcome });
    return outcome;
  }
  if (after?.status === "declined") {
    const next = await db().runTransaction((tx) => decline(tx, bookingId, driverId));
    if (next) await runRound(bookingId, next.attempt, next.round);
    return next === undefined ? "ignored" : "declined";
  }
  return "ignored";
}

async function accept(tx: Transaction, bookingId: string, driverId: string): Promise<AnswerOutcome> {
  const [offerSnap, bookingSnap, jobSnap, driverSnap, locationSnap] = await tx.getAll(
    offerRef(bookingId, driverId),
    bookingRef(bookingId),
    jobRef(bookingId),
    db().doc(`drivers/${driverId}`),
    db().doc(`driverLocations/${driverId}`),
  );
  const offer = offerSchema.safeParse(offerSnap!.data());
  if (!offer.success || offer.data.status !== "accepted" || offer.data.resolvedAt) return "ignored";
  const booking = bookingForDispatchSchema.safeParse(bookingSnap!.data());
  const job = dispatchJobSchema.safeParse(jobSnap!.data());
  const driver = driverSchema.safeParse(driverSnap!.data());
  const vehicleId = driver.success && driver.data.vehicleId ? String(driver.data.vehicleId) : null;
  const vehicle = vehicleId ? (await tx.get(db().doc(`vehicles/${vehicleId}`))).data() : undefined;
  const pending = await tx.get(offersOf(bookingId).where("status", "==", "pending"));
  const now = fieldValue().serverTimestamp();

  const open =
    booking.success &&
    booking.data.status === "searching" &&
    job.success &&
    job.data.status === "searching" &&
    job.data.attempt === offer.data.attempt;
  if (!open) {
    tx.update(offerSnap!.ref, { status: "taken", resolvedAt: now });
    return "taken";
  }
  // Re-checked here, not only in the rules: an accept queued offline, or written just before a suspension,
  // reaches this transaction after the fact.
  const refused = refusalReason(driverId, booking.data.riderId, driver.success ? driver.data : undefined);
  if (refused) {
    tx.update(offerSnap!.ref, { status: "expired", reason: refused, resolvedAt: now });
    return "unavailable";
  }
  const driverFree = driver.success && mayDrive(driver.data) && driver.data.status !== "busy" && vehicle?.status === "active" && vehicle.driverId === driverId;
  if (!driverFree || !vehicleId) {
    // e.g. the driver accepted another booking a moment ago: this offer lapses, the round goes on.
    tx.update(offerSnap!.ref, { status: "expired", reason: "driver_unavailable", resolvedAt: now });
    return "unavailable";
  }

  const { riderId } = booking.data;
  tx.update(bookingRef(bookingId), { status: "accepted", driverId, vehicleId, "timeline.accepted": now, updatedAt: now });
  tx.set(db().doc(`drivers/${driverId}`), { status: "busy", lastAssignedAt: now, updatedAt: now }, { merge: true });
  if (locationSnap!.exists) {
    tx.update(locationSnap!.ref, { status: "busy", riderId, lastAssignedAt: now });
  }
  tx.update(offerSnap!.ref, { resolvedAt: now });
  for (const other of pending.docs) {
    if (other.id !== driverId) tx.update(other.ref, { status: "taken", resolvedAt: now });
  }
  tx.update(jobRef(bookingId), { status: "assigned", driverId, updatedAt: now });
  const { attempt } = offer.data;
  writeEvent(tx, bookingId, `dispatch-a${attempt}-answer-${driverId}`, {
    type: "offer_answered",
    riderId,
    driverId,
    status: "accepted",
    actor: driverId,
    data: { driverId, answer: "accepted" },
  });
  writeEvent(tx, bookingId, `dispatch-a${attempt}-assigned`, {
    type: "driver_assigned",
    riderId,
    driverId,
    status: "accepted",
    previousStatus: "searching",
    actor: driverId,
    data: { driverId, vehicleId },
  });
  writeEvent(tx, bookingId, `dispatch-a${attempt}-accepted`, { ...statusEvent(riderId, "accepted", driverId, { driverId, vehicleId }), actor: driverId });
  return "assigned";
}

/** Records a decline; when it was the round's last open offer, returns the round to move on from. */
async function decline(tx: Transaction, bookingId: string, driverId: string): Promise<{ attempt: number; round: number } | null | undefined> {
  const [offerSnap, jobSnap, bookingSnap] = await tx.getAll(offerRef(bookingId, driverId), jobRef(bookingId), bookingRef(bookingId));
  const offer = offerSchema.safeParse(offerSnap!.data());
  if (!offer.success || offer.data.status !== "declined" || offer.data.resolvedAt) return undefined;
  const pending = await tx.get(offersOf(bookingId).where("status", "==", "pending"));
  const booking = bookingForDispatchSchema.safeParse(bookingSnap!.data());
  const { attempt, round } = offer.data;
  tx.update(offerSnap!.ref, { resolvedAt: fieldValue().serverTimestamp() });
  if (booking.success) {
    writeEvent(tx, bookingId, `dispatch-a${attempt}-answer-${driverId}`, {
      type: "offer_answered",
      riderId: booking.data.riderId,
      driverId,
      status: booking.data.status,
      actor: driverId,
      data: { driverId, answer: "declined" },
    });
  }
  const job = dispatchJobSchema.safeParse(jobSnap!.data());
  const roundStillOpen = pending.docs.some((d) => d.data().attempt === attempt && d.data().round === round);
  const current = job.success && job.data.status === "searching" && job.data.attempt === attempt && job.data.round === round;
  return current && !roundStillOpen ? { attempt, round } : null;
}
