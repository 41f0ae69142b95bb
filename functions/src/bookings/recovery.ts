// The recovery sweep: a booking must never be stranded. Every few minutes it finds bookings left in a state
// that a lost or dropped trigger event should have moved on (past a deadline per state), re-runs the pipeline
// step that was owed (each is idempotent), or, past a final deadline, ends the booking with a reason the rider
// sees. Every recovery writes a `recovered` audit event saying what was done and why.
import type { DocumentData, QueryDocumentSnapshot } from "firebase-admin/firestore";
import { auditEventRef, writeAuditEvent } from "../common/auditTrail";
import { db } from "../common/firebase";
import * as logger from "../common/logger";
import { allowed, writeTransition } from "./transition";

/** Seconds a booking may stay in a state before the sweep steps in (the pipeline normally takes < 5 s). */
export const RECOVERY_DEADLINES = {
  requested: 120,
  awaiting_payment: 300,
  /** Then the authorisation is given up: payment_failed, the hold voided. */
  awaiting_payment_final: 1800,
  /** Beyond the search's own budget (dispatchSettings.maxSearchSeconds) plus a round. */
  searching: 120,
  scheduled: 300,
  settlement: 120,
} as const;

export type RecoveryAction =
  | "confirm"
  | "authorise"
  | "payment_timeout"
  | "start_scheduled"
  | "resume_search"
  | "fix_final_fare"
  | "capture"
  | "settle_cancellation";

const ageSeconds = (at: { toMillis(): number } | undefined, nowMs: number) => (at ? (nowMs - at.toMillis()) / 1000 : Infinity);

/** What the sweep owes a booking now, if anything (pure: unit-tested). */
export function recoveryFor(booking: DocumentData, nowMs: number, maxSearchSeconds = 300): RecoveryAction | null {
  const since = (status: string) => ageSeconds(booking.timeline?.[status] ?? booking.updatedAt ?? booking.createdAt, nowMs);
  switch (booking.status) {
    case "requested":
      return ageSeconds(booking.timeline?.requested ?? booking.createdAt, nowMs) > RECOVERY_DEADLINES.requested ? "confirm" : null;
    case "awaiting_payment": {
      const age = since("awaiting_payment");
      if (age > RECOVERY_DEADLINES.awaiting_payment_final) return "payment_timeout";
      return age > RECOVERY_DEADLINES.awaiting_payment ? "authorise" : null;
    }
    case "scheduled":
      // Held by a delivery plan (fleet/service.ts): its van starts it on arrival, never the schedule; one the
      // plan never reaches is a dispatcher's to re-plan or cancel (the console lists it as stuck).
      if (booking.plannedBy) return null;
      return booking.scheduledAt && nowMs / 1000 - booking.scheduledAt.toMillis() / 1000 > -RECOVERY_DEADLINES.scheduled ? "start_scheduled" : null;
    case "searching":
      return since("searching") > maxSearchSeconds + RECOVERY_DEADLINES.searching ? "resume_search" : null;
    case "completed":
    case "delivery_failed":
      if (since(booking.status) <= RECOVERY_DEADLINES.settlement) return null;
      if (booking.fare?.finalMinor == null) return "fix_final_fare";
      return booking.paymentMethod === "card" && booking.payment?.status === "authorized" ? "capture" : null;
    case "cancelled":
    case "no_drivers":
      if (booking.cancellation?.by === "driver" || booking.paymentMethod !== "card") return null;
      return since(booking.status) > RECOVERY_DEADLINES.settlement && booking.payment?.status === "authorized" ? "settle_cancellation" : null;
    default:
      return null;
  }
}

const SWEPT_STATUSES = ["requested", "awaiting_payment", "scheduled", "searching", "completed", "delivery_failed", "cancelled", "no_drivers"] as const;

/** One pass of the sweep; returns what it did per booking. `onlyIds` narrows it (tests on a shared emulator). */
export async function recoverStrandedBookings(nowMs = Date.now(), onlyIds?: readonly string[]): Promise<Record<string, RecoveryAction>> {
  const done: Record<string, RecoveryAction> = {};
  const candidates: QueryDocumentSnapshot[] = [];
  for (const status of SWEPT_STATUSES) {
    // Settled bookings are the bulk of `completed`/`cancelled`: only those whose payment is still open are read.
    const base = db().collection("bookings").where("status", "==", status);
    const settled = status === "completed" || status === "delivery_failed" || status === "cancelled" || status === "no_drivers";
    const query = settled ? base.where("payment.status", "==", "authorized") : base;
    candidates.push(...(await query.limit(500).get()).docs);
    if (status === "completed" || status === "delivery_failed") candidates.push(...(await base.where("fare.finalMinor", "==", null).limit(500).get()).docs);
  }
  for (const snap of candidates) {
    const booking = snap.data();
    const action = recoveryFor(booking, nowMs);
    if (!action || done[snap.id] || (onlyIds && !onlyIds.includes(snap.id))) continue;
    try {
      if (!(await recover(snap.id, booking, action, nowMs))) continue;
      done[snap.id] = action;
      logger.warn("recovery sweep moved a stranded booking on", { bookingId: snap.id, status: booking.status, action });
    } catch (error) {
      logger.error("recovery sweep could not move a booking on", { bookingId: snap.id, action, error: String(error) });
    }
  }
  return done;
}

/** One id per stranded episode (the action and when the booking entered its state), not per sweep pass. */
export function recoveryEpisodeId(booking: DocumentData, action: RecoveryAction): string {
  const entered = booking.timeline?.[booking.status] ?? booking.updatedAt ?? booking.createdAt;
  return `${action}-${booking.status}-${entered?.toMillis?.() ?? 0}`;
}

/** Moves the booking on; false when it turned out not to be stranded (a search the sweep restarted, on schedule). */
async function recover(bookingId: string, booking: DocumentData, action: RecoveryAction, nowMs: number): Promise<boolean> {
  const sweepId = `sweep-${action}-${Math.floor(nowMs / 60_000)}`;
  if (action === "resume_search") {
    const search = await import("../dispatch/recovery");
    const plan = await search.planSearchRecovery(bookingId, nowMs);
    if (plan.kind === "on_schedule") return false;
    await noteRecovery(bookingId, booking, action, recoveryEpisodeId(booking, action));
    await search.resumeSearch(bookingId, plan, nowMs);
    return true;
  }
  await noteRecovery(bookingId, booking, action, recoveryEpisodeId(booking, action));
  switch (action) {
    case "confirm":
      await (await import("./confirm")).confirmBooking(bookingId, `${sweepId}-${bookingId}`);
      return true;
    case "authorise":
      await (await import("../payments/recovery")).resumeAuthorisation(bookingId);
      return true;
    case "payment_timeout":
      await db().runTransaction(async (tx) => {
        const current = (await tx.get(db().doc(`bookings/${bookingId}`))).data();
        if (!current || !allowed(current, "payment_failed")) return;
        writeTransition(tx, bookingId, current, {
          to: "payment_failed",
          eventId: `recovery-payment_timeout`,
          fields: { "payment.status": "failed", "payment.failureReason": "authorisation_timeout: the card was not authorised in time" },
          event: { type: "payment", data: { paymentStatus: "failed", reason: "authorisation_timeout" } },
        });
      });
      await (await import("../payments/service")).voidIntent(bookingId);
      return true;
    case "start_scheduled":
      await (await import("./scheduling")).startScheduledBooking(bookingId, Number.MAX_SAFE_INTEGER);
      return true;
    case "fix_final_fare": {
      const { handleStatusChange } = await import("./lifecycle");
      const completedAt = booking.timeline?.[booking.status] ?? booking.updatedAt;
      await handleStatusChange({ bookingId, eventId: `${sweepId}-${bookingId}`, before: { ...booking, status: "in_progress" }, after: booking, changedAt: completedAt });
      await captureAndEarn(bookingId, booking);
      return true;
    }
    case "capture":
      await captureAndEarn(bookingId, booking);
      return true;
    case "settle_cancellation":
      await (await import("../payments/service")).onBookingWritten(bookingId, "settle_cancellation");
      return true;
  }
}

/**
 * The capture the pipeline owed, then its earnings step (which the pipeline runs right after a capture, and
 * which gave up if the capture never came): both idempotent, so a trip the pipeline did settle changes nothing.
 */
async function captureAndEarn(bookingId: string, booking: DocumentData): Promise<void> {
  if (booking.paymentMethod === "card") await (await import("../payments/service")).onBookingWritten(bookingId, "capture");
  if (booking.driverId) await (await import("../earnings/trips")).onTripCompleted(bookingId, booking.timeline?.[booking.status]);
}

/** The `recovered` event, written once per episode: a booking stranded for several passes is not re-announced. */
async function noteRecovery(bookingId: string, booking: DocumentData, action: RecoveryAction, episodeId: string): Promise<void> {
  await db().runTransaction(async (tx) => {
    const eventId = `recovered-${episodeId}`;
    if ((await tx.get(auditEventRef(bookingId, eventId))).exists) return;
    writeAuditEvent(tx, bookingId, eventId, {
      type: "recovered",
      riderId: String(booking.riderId),
      driverId: booking.driverId ?? null,
      status: booking.status,
      actor: "server",
      data: { step: action, reason: `stranded in ${booking.status} past the sweep's deadline` },
    });
  });
}
