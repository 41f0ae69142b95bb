// A driver's answer to an offer. Acceptance is one transaction: the first acceptor of a still-searching booking
// gets it (booking accepted with the driver's summary, driver busy, rider may read the driver's location), every
// other pending offer becomes `taken`; a later acceptor gets `taken`. The offer's own state (resolvedAt) makes
// replays no-ops. Drivers accept through the acceptOffer callable (answered in one round trip, docs/dispatch.md);
// an accept written to the offer document still works, through the offer trigger.
import type { Transaction } from "firebase-admin/firestore";
import { db, fieldValue } from "../common/firebase";
import * as logger from "../common/logger";
import { bookingForDispatchSchema, dispatchJobSchema, driverSchema, offerSchema } from "./schema";
import { mayDrive, refusalReason } from "./eligibility";
import { writeAuditEvent } from "../common/auditTrail";
import { driverSummary } from "../bookings/ports";
import { writeTransition } from "../bookings/transition";
import { bookingRef, jobRef, offerRef, pendingOffersIn, resolveOffer } from "./refs";
import { enqueueRoundTimer } from "./tasks";

export type AnswerOutcome = "assigned" | "taken" | "expired" | "unavailable" | "declined" | "ignored";

/** Many drivers may accept at once: each loser retries until it sees the winner's commit. */
const ACCEPT_MAX_ATTEMPTS = 50;

/** The offer trigger: an answer written to the offer document (a queued, offline app; the callable's own write is already resolved). */
export async function handleOfferAnswer(bookingId: string, driverId: string, before: { status?: unknown } | null, after: { status?: unknown; resolvedAt?: unknown } | null): Promise<AnswerOutcome> {
  if (before?.status !== "pending" || after?.resolvedAt) return "ignored";
  if (after?.status === "accepted") return acceptOffer(bookingId, driverId, "offer_write");
  if (after?.status === "declined") {
    const next = await db().runTransaction((tx) => decline(tx, bookingId, driverId));
    // The round's last open offer was declined: the next round now, in the round-timer queue (as round 1).
    if (next) await enqueueRoundTimer({ bookingId, attempt: next.attempt, round: next.round, dueAtMillis: Date.now() }, `declined-${driverId}`);
    return next === undefined ? "ignored" : "declined";
  }
  return "ignored";
}

/**
 * Accepts an offer in one transaction: from the acceptOffer callable (the driver learns the outcome in the
 * same round trip) or from the offer trigger (an accept written to the offer document).
 */
export async function acceptOffer(bookingId: string, driverId: string, source: "callable" | "offer_write"): Promise<AnswerOutcome> {
  const vehicleId = (await db().doc(`drivers/${driverId}`).get()).get("vehicleId");
  // Display data for the rider, read before the transaction (it decides nothing).
  const summary = await driverSummary(driverId, typeof vehicleId === "string" ? vehicleId : null).catch(() => undefined);
  const outcome = await db().runTransaction((tx) => accept(tx, bookingId, driverId, source, summary), { maxAttempts: ACCEPT_MAX_ATTEMPTS });
  logger.info("offer accepted", { bookingId, driverId, source, outcome });
  return outcome;
}

async function accept(tx: Transaction, bookingId: string, driverId: string, source: "callable" | "offer_write", summary: unknown): Promise<AnswerOutcome> {
  // driverLocations/{uid} is not read here: the driver's app writes it every second, and a read would make this
  // transaction contend with those writes. It is written blind (merge); a matched driver always has one.
  const [offerSnap, bookingSnap, jobSnap, driverSnap] = await tx.getAll(offerRef(bookingId, driverId), bookingRef(bookingId), jobRef(bookingId), db().doc(`drivers/${driverId}`));
  const offer = offerSchema.safeParse(offerSnap!.data());
  if (!offer.success) return "ignored";
  if (source === "offer_write" && (offer.data.status !== "accepted" || offer.data.resolvedAt)) return "ignored";
  if (source === "callable") {
    if (offer.data.status === "accepted" && offer.data.resolvedAt) return bookingSnap!.get("driverId") === driverId ? "assigned" : "taken";
    if (offer.data.status !== "pending" && offer.data.status !== "accepted") return offer.data.status === "taken" ? "taken" : "expired";
    if (offer.data.expiresAt.toMillis() <= Date.now()) return "expired";
  }
  const booking = bookingForDispatchSchema.safeParse(bookingSnap!.data());
  const driver = driverSchema.safeParse(driverSnap!.data());
  const vehicleId = driver.success && driver.data.vehicleId ? String(driver.data.vehicleId) : null;
  const vehicle = vehicleId ? (await tx.get(db().doc(`vehicles/${vehicleId}`))).data() : undefined;
  const job = dispatchJobSchema.safeParse(jobSnap!.data());
  const pending = await pendingOffersIn(tx, bookingId, job.success ? job.data.offeredTo : []);
  const now = fieldValue().serverTimestamp();
  const answer = source === "callable" ? { answeredAt: now } : {};

  const open =
    booking.success &&
    booking.data.status === "searching" &&
    job.success &&
    job.data.status === "searching" &&
    job.data.attempt === offer.data.attempt;
  if (!open) {
    resolveOffer(tx, offerSnap!.ref, { ...answer, status: "taken" });
    return "taken";
  }
  // Re-checked here, not only in the rules: an accept queued offline, or written just before a suspension,
  // reaches this transaction after the fact.
  const refused = refusalReason(driverId, booking.data.riderId, driver.success ? driver.data : undefined);
  if (refused) {
    resolveOffer(tx, offerSnap!.ref, { ...answer, status: "expired", reason: refused });
    return "unavailable";
  }
  const driverFree = driver.success && mayDrive(driver.data) && driver.data.status !== "busy" && vehicle?.status === "active" && vehicle.driverId === driverId;
  if (!driverFree || !vehicleId) {
    // e.g. the driver accepted another booking a moment ago: this offer lapses, the round goes on.
    resolveOffer(tx, offerSnap!.ref, { ...answer, status: "expired", reason: "driver_unavailable" });
    return "unavailable";
  }

  const { riderId } = booking.data;
  const { attempt } = offer.data;
  writeTransition(tx, bookingId, bookingSnap!.data()!, {
    to: "accepted",
    actor: driverId,
    eventId: `dispatch-a${attempt}-assigned`,
    fields: { driverId, vehicleId, ...(summary ? { driverSummary: summary } : {}) },
    event: { type: "driver_assigned", driverId, data: { driverId, vehicleId, answer: "accepted", attempt } },
  });
  tx.set(db().doc(`drivers/${driverId}`), { status: "busy", lastAssignedAt: now, updatedAt: now }, { merge: true });
  tx.set(db().doc(`driverLocations/${driverId}`), { status: "busy", riderId, lastAssignedAt: now }, { merge: true });
  resolveOffer(tx, offerSnap!.ref, { ...answer, status: "accepted" });
  for (const other of pending) {
    if (other.id !== driverId) resolveOffer(tx, other.ref, { status: "taken" });
  }
  tx.update(jobRef(bookingId), { status: "assigned", driverId, updatedAt: now });
  return "assigned";
}

/** Records a decline; when it was the round's last open offer, returns the round to move on from. */
async function decline(tx: Transaction, bookingId: string, driverId: string): Promise<{ attempt: number; round: number } | null | undefined> {
  const [offerSnap, jobSnap, bookingSnap] = await tx.getAll(offerRef(bookingId, driverId), jobRef(bookingId), bookingRef(bookingId));
  const offer = offerSchema.safeParse(offerSnap!.data());
  if (!offer.success || offer.data.status !== "declined" || offer.data.resolvedAt) return undefined;
  const job = dispatchJobSchema.safeParse(jobSnap!.data());
  const pending = await pendingOffersIn(tx, bookingId, job.success ? job.data.offeredTo : []);
  const booking = bookingForDispatchSchema.safeParse(bookingSnap!.data());
  const { attempt, round } = offer.data;
  resolveOffer(tx, offerSnap!.ref, {});
  if (booking.success) {
    writeAuditEvent(tx, bookingId, `dispatch-a${attempt}-answer-${driverId}`, {
      type: "offer_answered",
      riderId: booking.data.riderId,
      driverId,
      status: booking.data.status,
      actor: driverId,
      data: { driverId, answer: "declined" },
    });
  }
  const roundStillOpen = pending.some((d) => d.get("attempt") === attempt && d.get("round") === round);
  const current = job.success && job.data.status === "searching" && job.data.attempt === attempt && job.data.round === round;
  return current && !roundStillOpen ? { attempt, round } : null;
}
