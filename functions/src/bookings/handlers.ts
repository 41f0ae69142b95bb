import { onObjectFinalized } from "firebase-functions/v2/storage";
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

/**
 * A proof-of-delivery photo finalised under deliveries/{bookingId}/ (bookings/deliveryProof.ts): the server reads
 * its first bytes; an image it can vouch for becomes the booking's proof.photo, anything else is deleted.
 */
export const deliveryProofOnUploadFinalized = onObjectFinalized(async (event) => {
  if (!event.data.name?.startsWith("deliveries/")) return;
  const { verifyProofPhoto } = await import("./deliveryProof");
  await verifyProofPhoto({ name: event.data.name, bucket: event.data.bucket, size: Number(event.data.size), contentType: event.data.contentType });
});
