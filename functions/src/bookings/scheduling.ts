// Scheduled bookings: a Cloud Task fires at scheduledAt − lead time and starts dispatch (or, for card
// bookings, the authorisation that precedes it). The task is idempotent: it only moves a booking that is
// still `scheduled`, so a cancelled booking's task, or a task delivered twice, does nothing.
import { db } from "../common/firebase";
import { enqueueTask } from "../common/tasks";
import * as logger from "../common/logger";
import { SCHEDULED_START_FUNCTION, settings } from "./config";
import { statusAtScheduledStart } from "./stateMachine";
import { bookingSchema } from "./schema";
import { writeTransition } from "./transition";

/** When dispatch of a booking scheduled at `scheduledAtMs` starts. */
export function scheduledStartMs(scheduledAtMs: number): number {
  return scheduledAtMs - settings.leadMinutes() * 60_000;
}

export async function enqueueScheduledStart(bookingId: string, startAtMs: number): Promise<void> {
  // The task id is the booking's: a redelivered confirmation cannot schedule the start twice.
  await enqueueTask(SCHEDULED_START_FUNCTION, { bookingId }, { id: `start-${bookingId}`, scheduleTime: new Date(startAtMs) });
}

/** Thrown when a task arrives before its time, so that Cloud Tasks retries it with backoff. */
export class TooEarlyError extends Error {}

/** Cloud Tasks honours scheduleTime; the emulator dispatches at once, which this tolerance catches. */
const EARLY_TOLERANCE_MS = 5_000;

export async function startScheduledBooking(bookingId: string, now = Date.now()): Promise<"started" | "ignored"> {
  const ref = db().doc(`bookings/${bookingId}`);
  return db().runTransaction(async (tx) => {
    const [snapshot, fleetClaim] = await Promise.all([tx.get(ref), tx.get(db().doc(`deliveryBookingClaims/${bookingId}`))]);
    const data = snapshot.data();
    // A delivery a dispatcher has planned into a van's route is served by that van, not dispatched.
    if (fleetClaim.exists) return "ignored" as const;
    // The confirmation enqueues this task before it commits `scheduled`: a task that arrives first is retried.
    if (data?.status === "requested") throw new TooEarlyError(`booking ${bookingId} is not confirmed yet`);
    const parsed = bookingSchema.safeParse(data);
    if (!parsed.success || parsed.data.status !== "scheduled" || !parsed.data.scheduledAt) return "ignored" as const;
    const startMs = scheduledStartMs(parsed.data.scheduledAt.toMillis());
    if (now < startMs - EARLY_TOLERANCE_MS) throw new TooEarlyError(`booking ${bookingId} starts in ${Math.round((startMs - now) / 1000)} s`);
    const next = statusAtScheduledStart(parsed.data.paymentMethod);
    writeTransition(tx, bookingId, data!, { to: next, eventId: `scheduled-start`, event: { data: { scheduledAt: parsed.data.scheduledAt } } });
    logger.info("scheduled booking started", { bookingId, status: next });
    return "started" as const;
  });
}
