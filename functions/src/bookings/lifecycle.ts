// The bookings step of the booking pipeline for a status change: logs the apps' moves (the server's log
// themselves, transition.ts) and does what the new status requires: the final fare at `completed`, the fee at
// a rider's cancellation, the driver's release, re-dispatch after a driver cancels. It writes the booking
// only for what the move could not carry (the fare, the fee; `timeline.<status>` from an older app).
import type { DocumentData, Timestamp, Transaction } from "firebase-admin/firestore";
import { db, fieldValue } from "../common/firebase";
import { processOnce } from "../common/idempotency";
import * as logger from "../common/logger";
import { settings } from "./config";
import { writeAuditEvent } from "../common/auditTrail";
import { writeTransition } from "./transition";
import { cancellationFeeApplies } from "./policy";
import { cancellationFee, cardAuthorised, measureTrip, priceFailedDelivery, priceFinal } from "./ports";
import { bookingSchema, type Booking } from "./schema";
import { DRIVER_ASSIGNED_STATUSES, actorsFor, canTransition, type Actor } from "./stateMachine";

export interface StatusChange {
  bookingId: string;
  /** The trigger event's id: the idempotency key. */
  eventId: string;
  before: DocumentData;
  after: DocumentData;
  /** When the change was written (the after-snapshot's update time). */
  changedAt: Timestamp;
}

/** Who made a move, as far as the table and the document tell. */
export function actorOf(before: Booking, after: Booking): Actor {
  if (after.status === "cancelled" && after.cancellation) return after.cancellation.by;
  const actors = actorsFor(before.status, after.status);
  return actors.length === 1 ? actors[0]! : "server";
}

export async function handleStatusChange(change: StatusChange): Promise<"handled" | "skipped"> {
  const before = bookingSchema.safeParse(change.before);
  const after = bookingSchema.safeParse(change.after);
  if (!before.success || !after.success) {
    logger.error("booking does not parse; status change not handled", { bookingId: change.bookingId });
    return "skipped";
  }
  const from = before.data.status;
  const to = after.data.status;
  if (from === to) return "skipped";
  const actor = actorOf(before.data, after.data);
  if (!canTransition(from, to, actor, { cancelledBy: before.data.cancellation?.by })) {
    logger.warn("booking status change outside the state machine", { bookingId: change.bookingId, from, to, actor });
  }

  // Reads that need no transaction (track chunks are closed once the trip is completed; pricing is config).
  // A failed delivery is charged like a completion, plus its return leg (deliveryProofPolicy.ts, pricing/returnLeg.ts).
  const charged = to === "completed" || to === "delivery_failed";
  const completion = charged ? await finalFare(change.bookingId, after.data, change.changedAt, to === "delivery_failed") : undefined;
  const fee = to === "cancelled" && actor === "rider" ? await riderCancellationFee(change.bookingId, from, after.data, change.changedAt) : undefined;

  const ref = db().doc(`bookings/${change.bookingId}`);
  const outcome = await processOnce("bookingStatus", change.eventId, async (tx) => {
    const currentSnap = await tx.get(ref);
    const current = bookingSchema.safeParse(currentSnap.data());
    if (!current.success) return;
    const booking = current.data;
    const actorId = actor === "rider" ? booking.riderId : actor === "driver" ? (before.data.driverId ?? "driver") : "server";
    const driverId = after.data.driverId ?? before.data.driverId ?? null;

    // All reads first (a transaction's reads precede its writes).
    const releasedDriverId = needsRelease(from, to, before.data) ? before.data.driverId ?? undefined : undefined;
    const release = releasedDriverId ? await readRelease(tx, releasedDriverId) : undefined;

    // Only what the move itself could not write: an app that does not send `timeline.<status>` (older clients).
    const update: Record<string, unknown> = {};
    if (!after.data.timeline?.[to]) update[`timeline.${to}`] = change.changedAt;
    // Server moves wrote their own audit event with the move (transition.ts); the apps' moves are logged here.
    const event = (type: "status_changed" | "cancelled", data: Record<string, unknown> = {}) =>
      writeAuditEvent(tx, change.bookingId, `${type === "cancelled" ? "cancelled" : "status"}-${change.eventId}`, {
        type,
        riderId: booking.riderId,
        status: to,
        previousStatus: from,
        actor: actorId,
        driverId,
        data,
      });
    if (actor !== "server" && to !== "cancelled" && !charged) event("status_changed");

    if (charged && actor !== "server") {
      const fixed = completion && booking.status === to && booking.fare?.finalMinor == null;
      if (fixed) {
        update["fare.finalMinor"] = completion.amountMinor;
        update["fare.maxMinor"] = completion.capMinor;
        if (completion.breakdown) update["fare.finalBreakdown"] = completion.breakdown;
        if (completion.returnLegMinor !== undefined) update["fare.returnLegMinor"] = completion.returnLegMinor;
        // Above the cap: nothing more is charged; the rest waits for an admin's review (docs/security.md).
        if (completion.capped) update["fare.review"] = { status: "pending", proposedMinor: completion.proposedMinor, capMinor: completion.capMinor };
        update.trip = {
          distanceMeters: completion.distanceMeters,
          durationSeconds: completion.durationSeconds,
          waitingSeconds: completion.waitingSeconds,
          distanceSource: completion.source,
          flags: completion.flags,
        };
      }
      event(
        "status_changed",
        completion
          ? {
              amountMinor: completion.amountMinor,
              currency: completion.currency,
              final: true,
              proposedMinor: completion.proposedMinor,
              capMinor: completion.capMinor,
              capped: completion.capped,
              flags: completion.flags,
              ...(completion.returnLegMinor !== undefined ? { returnLegMinor: completion.returnLegMinor } : {}),
              ...(booking.deliveryFailure ? { deliveryFailureReason: booking.deliveryFailure.reason } : {}),
            }
          : {},
      );
    }

    if (to === "cancelled" && booking.status === "cancelled" && actor !== "server") {
      const cancellation = booking.cancellation ?? { by: actor, reason: "other" as const };
      const feeMinor = cancellation.feeMinor ?? fee?.amountMinor ?? 0;
      event("cancelled", {
        by: cancellation.by,
        reason: cancellation.reason,
        feeMinor,
        ...(fee ? { currency: fee.currency } : {}),
        ...(fee?.waived ? { feeWaived: fee.waived } : {}),
      });
      if (cancellation.by === "driver") {
        // Back to matching: a transition of its own (the dispatch step reacts to the booking entering `searching`).
        writeTransition(tx, change.bookingId, { ...booking, ...update }, {
          to: "searching",
          eventId: `redispatch-${change.eventId}`,
          fields: {
            ...update,
            driverId: fieldValue().delete(),
            vehicleId: fieldValue().delete(),
            driverSummary: fieldValue().delete(),
            cancellation: fieldValue().delete(),
            // The next driver must guess the PIN themself; the guess count stays with the booking.
            pinAttempt: fieldValue().delete(),
            previousDriverIds: fieldValue().arrayUnion(before.data.driverId ?? "unknown"),
            driverCancellations: fieldValue().arrayUnion({ driverId: before.data.driverId ?? null, reason: cancellation.reason, at: change.changedAt }),
          },
          event: { data: { reason: "driver_cancelled", previousDriverId: before.data.driverId ?? null }, driverId: null },
        });
        if (release) writeRelease(tx, change.bookingId, release);
        return;
      }
      if (cancellation.feeMinor === undefined) {
        update["cancellation.feeMinor"] = feeMinor;
        if (fee) update["cancellation.currency"] = fee.currency;
        if (fee?.waived) update["cancellation.feeWaived"] = { reason: fee.waived, amountMinor: fee.waivedMinor ?? 0 };
      }
    }

    if (release) writeRelease(tx, change.bookingId, release);
    if (Object.keys(update).length) tx.update(ref, { ...update, updatedAt: fieldValue().serverTimestamp() });
  });
  return outcome.processed ? "handled" : "skipped";
}

/** A driver is released when the trip ends or is cancelled while they were assigned. */
function needsRelease(from: Booking["status"], to: Booking["status"], before: Booking): boolean {
  if (!before.driverId) return false;
  return (to === "completed" || to === "cancelled" || to === "delivery_failed") && DRIVER_ASSIGNED_STATUSES.includes(from);
}

async function readRelease(tx: Transaction, driverId: string) {
  // Only the driver's document is read: driverLocations/{uid} is written by the app every second, and a read here
  // would make this transaction contend with those writes; it is written blind below.
  return { driver: await tx.get(db().doc(`drivers/${driverId}`)), location: db().doc(`driverLocations/${driverId}`) };
}

function writeRelease(tx: Transaction, bookingId: string, read: Awaited<ReturnType<typeof readRelease>>): void {
  const driver = read.driver.data();
  // Only undo what this booking did: a driver already on another job keeps it.
  const onThisJob = !driver?.currentBookingId || driver.currentBookingId === bookingId;
  if (!read.driver.exists || !onThisJob) return;
  const busy = driver?.status === "busy";
  if (busy) tx.update(read.driver.ref, { status: "available", currentBookingId: fieldValue().delete(), updatedAt: fieldValue().serverTimestamp() });
  // The rider loses the driver's position; the mirrored status follows the driver's (tracking.mirror re-checks it).
  tx.set(read.location, { riderId: fieldValue().delete(), ...(busy ? { status: "available" } : {}) }, { merge: true });
}

type Fee = { amountMinor: number; currency: string; waived?: "cash_booking" | "no_authorisation"; waivedMinor?: number };

async function riderCancellationFee(bookingId: string, from: Booking["status"], booking: Booking, cancelledAt: Timestamp): Promise<Fee | undefined> {
  const applies = cancellationFeeApplies(
    {
      by: "rider",
      statusBefore: from,
      cancelledAtMs: cancelledAt.toMillis(),
      acceptedAtMs: booking.timeline?.accepted?.toMillis(),
      scheduledAtMs: booking.scheduledAt?.toMillis(),
    },
    { graceSeconds: settings.graceSeconds(), scheduledCutoffSeconds: settings.cutoffMinutes() * 60 },
  );
  if (!applies) return undefined;
  // A fee is only claimed where it can be collected: from a card authorisation in force. A cash rider's fee
  // could only be asked for, and a scheduled card booking has no hold before its lead time: both are waived,
  // and the waiver is recorded, so reports never count money nobody will receive.
  const waived = booking.paymentMethod === "cash" ? "cash_booking" : (await cardAuthorised(bookingId)) ? undefined : "no_authorisation";
  const fee = await cancellationFee(booking);
  return waived ? { amountMinor: 0, currency: fee.currency, waived, waivedMinor: fee.amountMinor } : fee;
}

async function measuredTrip(bookingId: string, routeEstimate: { distanceMeters: number; durationSeconds: number }, startedAt: Timestamp | undefined, arrivedAt: Timestamp | undefined, completedAt: Timestamp) {
  const measured = await measureTrip(bookingId, routeEstimate, startedAt ? { startMs: startedAt.toMillis(), endMs: completedAt.toMillis() } : undefined);
  const durationSeconds = startedAt ? Math.max(0, Math.round((completedAt.toMillis() - startedAt.toMillis()) / 1000)) : measured.durationSeconds;
  const waitingSeconds = startedAt && arrivedAt ? Math.max(0, Math.round((startedAt.toMillis() - arrivedAt.toMillis()) / 1000)) : 0;
  return { distanceMeters: measured.distanceMeters, durationSeconds, waitingSeconds, source: measured.source, flags: measured.flags };
}

async function finalFare(bookingId: string, booking: Booking, completedAt: Timestamp, withReturnLeg = false) {
  // The trip's clock is the server's timeline; the track is evidence checked against it, point by point.
  const startedAt = booking.timeline?.in_progress;
  const arrivedAt = booking.timeline?.arrived;
  const routeEstimate = { distanceMeters: booking.route?.distanceMeters ?? 0, durationSeconds: booking.route?.durationSeconds ?? 0 };
  // A delivery from a van's round (fleet): its trip clock runs only at the door (the van carried the parcel with
  // others), so neither the track nor the clock measures its leg: it is charged the quoted route, like the quote.
  const trip = booking.plannedBy
    ? { ...routeEstimate, waitingSeconds: 0, source: "route-estimate", flags: ["planned_round"] }
    : await measuredTrip(bookingId, routeEstimate, startedAt, arrivedAt, completedAt);
  try {
    const fare: Awaited<ReturnType<typeof priceFinal>> & { returnLegMinor?: number } = withReturnLeg
      ? await priceFailedDelivery(booking, trip, completedAt.toDate())
      : await priceFinal(booking, trip, completedAt.toDate());
    if (fare.capped) logger.warn("final fare capped: the excess waits for review", { bookingId, proposedMinor: fare.proposedMinor, capMinor: fare.capMinor });
    return { ...trip, ...fare };
  } catch (error) {
    // No valid pricing now (e.g. the config was removed): the rider pays the quoted estimate, flagged in logs.
    logger.error("final fare could not be priced; charging the estimate", { bookingId, error: String(error) });
    const estimate = booking.fare?.estimateMinor ?? 0;
    return { ...trip, amountMinor: estimate, currency: booking.fare?.currency ?? "eur", breakdown: undefined, returnLegMinor: undefined, proposedMinor: estimate, capMinor: booking.fare?.maxMinor ?? estimate, capped: false };
  }
}
