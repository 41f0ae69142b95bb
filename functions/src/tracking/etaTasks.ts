import { adminApp } from "../common/firebase";
import { REGION } from "../common/config";
import * as logger from "../common/logger";
import { etaRefreshSeconds } from "./config";
import { refreshBookingEta, type EtaResult } from "./eta";
import { bookingsForEta } from "./schema";

export const ETA_TASK_FUNCTION = "refreshEtaTask";

/**
 * Queues the next ETA refresh of a booking in `delaySeconds`. The task id is the booking and the time slot the
 * task runs in, so two chains started by two status changes merge into one (Cloud Tasks refuses a duplicate id).
 */
export async function scheduleEtaRefresh(bookingId: string, delaySeconds: number, nowMs = Date.now()): Promise<boolean> {
  const { getFunctions } = require("firebase-admin/functions") as typeof import("firebase-admin/functions");
  const slot = Math.floor((nowMs + delaySeconds * 1000) / (delaySeconds * 1000));
  try {
    await getFunctions(adminApp())
      .taskQueue(`locations/${REGION}/functions/${ETA_TASK_FUNCTION}`)
      .enqueue({ bookingId }, { scheduleDelaySeconds: delaySeconds, id: `eta-${bookingId}-${slot}` });
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === "functions/task-already-exists") return false;
    throw error;
  }
}

/** Task body: refresh, then queue the next run while the driver is still on the way. */
export async function runEtaRefreshTask(data: unknown): Promise<void> {
  const intervalSeconds = etaRefreshSeconds();
  const bookingId = (data as { bookingId?: unknown } | undefined)?.bookingId;
  if (typeof bookingId !== "string" || !bookingId) {
    logger.warn("eta task without bookingId", { data });
    return;
  }
  await refreshBookingEta(bookingId, { minIntervalSeconds: intervalSeconds });
  const booking = (await bookingsForEta.docRef(bookingId).get()).data();
  if (booking?.status === "accepted") await scheduleEtaRefresh(bookingId, intervalSeconds);
}

/**
 * What the bookings domain calls on every status change of a booking: refreshes the ETA now (forced) and, when
 * the booking is `accepted`, starts the periodic refresh.
 */
export async function onBookingStatusChangedForEta(bookingId: string, status: string): Promise<EtaResult | null> {
  const interval = etaRefreshSeconds();
  const eta = await refreshBookingEta(bookingId, { force: true, minIntervalSeconds: interval });
  if (status === "accepted") await scheduleEtaRefresh(bookingId, interval);
  return eta;
}
