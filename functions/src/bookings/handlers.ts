import { onSchedule } from "firebase-functions/v2/scheduler";
import { stripeSecretKey } from "../common/config";
import { onTaskDispatched } from "firebase-functions/v2/tasks";

/**
 * Cloud Task at scheduledAt − lead time: a still-scheduled booking goes to payment or dispatch. A task that
 * arrives early fails and is retried with backoff (the Cloud Tasks emulator ignores scheduleTime).
 */
export const startScheduledBooking = onTaskDispatched<{ bookingId: string }>(
  { retryConfig: { maxAttempts: 20, minBackoffSeconds: 5, maxBackoffSeconds: 60, maxDoublings: 2 }, rateLimits: { maxConcurrentDispatches: 20 } },
  async (request) => {
    const bookingId = request.data?.bookingId;
    if (typeof bookingId !== "string" || !bookingId) return;
    const { startScheduledBooking: start } = await import("./service");
    await start(bookingId);
  },
);

/** Every 2 minutes: bookings stranded by a lost or dropped trigger event are moved on (bookings/recovery.ts). */
export const recoverStrandedBookings = onSchedule({ schedule: "every 2 minutes", retryCount: 0, secrets: [stripeSecretKey] }, async () => {
  const { recoverStrandedBookings: sweep } = await import("./recovery");
  await sweep();
});
