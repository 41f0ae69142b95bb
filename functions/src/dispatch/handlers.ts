import { onDocumentUpdated, onDocumentWritten } from "firebase-functions/v2/firestore";
import { onTaskDispatched } from "firebase-functions/v2/tasks";

/** Starts a dispatch attempt whenever a booking enters `searching`; stops it when the booking leaves early. */
export const dispatchOnBookingWrite = onDocumentWritten("bookings/{bookingId}", async (event) => {
  const { handleBookingWrite } = await import("./service");
  await handleBookingWrite(event.params.bookingId, event.id, event.data?.before.data() ?? null, event.data?.after.data() ?? null);
});

/** A driver accepted or declined an offer. */
export const dispatchOnOfferAnswer = onDocumentUpdated("bookings/{bookingId}/offers/{driverUid}", async (event) => {
  const { handleOfferAnswer } = await import("./answers");
  await handleOfferAnswer(event.params.bookingId, event.params.driverUid, event.data?.before.data() ?? null, event.data?.after.data() ?? null);
});

/** Fires when a round's offers expire (Cloud Tasks, scheduleTime = expiresAt). */
export const dispatchRoundTimer = onTaskDispatched(
  { retryConfig: { maxAttempts: 5, minBackoffSeconds: 5 }, rateLimits: { maxConcurrentDispatches: 200 }, timeoutSeconds: 300 },
  async (request) => {
    const { runRoundTimer } = await import("./timer");
    await runRoundTimer(request.data);
  },
);
