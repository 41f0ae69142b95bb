import { onDocumentCreated, onDocumentUpdated } from "firebase-functions/v2/firestore";
import { onTaskDispatched } from "firebase-functions/v2/tasks";

/** A rider's new booking: validate, check the quote, fix the fare, create the PIN, decide the next status. */
export const onBookingCreated = onDocumentCreated("bookings/{bookingId}", async (event) => {
  if (!event.data) return;
  const { confirmBooking } = await import("./service");
  await confirmBooking(event.params.bookingId, event.id, event.data.createTime);
});

/** Every status change: timeline, audit event, and the status's side effects (fare, fee, driver release). */
export const onBookingStatusChanged = onDocumentUpdated("bookings/{bookingId}", async (event) => {
  const before = event.data?.before.data();
  const after = event.data?.after;
  if (!before || !after?.exists || before.status === after.get("status")) return;
  const { handleStatusChange } = await import("./service");
  await handleStatusChange({ bookingId: event.params.bookingId, eventId: event.id, before, after: after.data()!, changedAt: after.updateTime });
});

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
