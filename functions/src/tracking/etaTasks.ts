import { enqueueTask, TaskTooEarly } from "../common/tasks";
import * as logger from "../common/logger";
import type { DocumentData } from "firebase-admin/firestore";
import { db } from "../common/firebase";
import { etaRefreshMaxMinutes, etaRefreshSeconds } from "./config";
import { refreshBookingEta, type EtaResult } from "./eta";

export const ETA_TASK_FUNCTION = "refreshEtaTask";

/**
 * Queues the next ETA refresh of a booking in `delaySeconds`. The task id is the booking and the time slot the
 * task runs in, so two chains started by two events merge into one (Cloud Tasks refuses a duplicate id).
 */
export async function scheduleEtaRefresh(bookingId: string, delaySeconds: number, nowMs = Date.now()): Promise<boolean> {
  const slot = Math.floor((nowMs + delaySeconds * 1000) / (delaySeconds * 1000));
  const dueAtMillis = nowMs + delaySeconds * 1000;
  return enqueueTask(ETA_TASK_FUNCTION, { bookingId, dueAtMillis }, { id: `eta-${bookingId}-${slot}`, scheduleTime: new Date(dueAtMillis) });
}

/** Task body: refresh, then queue the next run while the driver is still on the way. */
export async function runEtaRefreshTask(data: unknown): Promise<void> {
  const intervalSeconds = etaRefreshSeconds();
  const bookingId = (data as { bookingId?: unknown } | undefined)?.bookingId;
  if (typeof bookingId !== "string" || !bookingId) {
    logger.warn("eta task without bookingId", { data });
    return;
  }
  // Cloud Tasks delivers at scheduleTime; its emulator delivers at once: an early task fails fast and is delivered
  // again after the queue's backoff (no invocation waits holding a slot).
  const dueAtMillis = Number((data as { dueAtMillis?: unknown }).dueAtMillis);
  if (Number.isFinite(dueAtMillis) && dueAtMillis - Date.now() > 1_000) {
    if (!stillOnTheWay((await db().doc(`bookings/${bookingId}`).get()).data())) return;
    throw new TaskTooEarly(`eta task for ${bookingId} is early`);
  }
  await refreshBookingEta(bookingId, { minIntervalSeconds: intervalSeconds });
  if (stillOnTheWay((await db().doc(`bookings/${bookingId}`).get()).data())) await scheduleEtaRefresh(bookingId, intervalSeconds);
}

/** The chain goes on while the driver is on the way, for at most ETA_REFRESH_MAX_MINUTES after the assignment. */
function stillOnTheWay(booking: DocumentData | undefined, nowMs = Date.now()): boolean {
  if (booking?.status !== "accepted") return false;
  const acceptedAt = booking.timeline?.accepted?.toMillis?.() as number | undefined;
  return acceptedAt === undefined || nowMs - acceptedAt < etaRefreshMaxMinutes() * 60_000;
}

/**
 * The booking pipeline's ETA step, when a driver is assigned (`accepted`): the ETA now, then a refresh every
 * `etaRefreshSeconds` while the driver is on the way. Location writes never run it.
 */
export async function startEtaRefresh(bookingId: string): Promise<EtaResult | null> {
  const interval = etaRefreshSeconds();
  const eta = await refreshBookingEta(bookingId, { force: true, minIntervalSeconds: interval });
  await scheduleEtaRefresh(bookingId, interval);
  return eta;
}
