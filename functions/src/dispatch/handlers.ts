import { onDocumentUpdated } from "firebase-functions/v2/firestore";
import { onCall } from "firebase-functions/v2/https";
import { onTaskDispatched } from "firebase-functions/v2/tasks";
import { retried } from "../common/pipeline";

/** Callable `acceptOffer({bookingId})`, the offered driver: answers `assigned` or `taken` in one round trip. */
export const acceptOffer = onCall(async (request) => {
  const callable = await import("./acceptCallable");
  return callable.acceptOffer(request);
});

/** Callable `nearbyCars({pickup, serviceType, categoryId})`, before booking: a count bucket and an ETA in minutes. */
export const nearbyCars = onCall(async (request) => {
  const snapshot = await import("./snapshot");
  return snapshot.nearbyCars(request.auth?.uid, request.data);
});

/** A driver answered an offer by writing to it (a declined offer, or an accept queued by an offline app). */
export const dispatchOnOfferAnswer = onDocumentUpdated({ document: "bookings/{bookingId}/offers/{driverUid}", retry: true }, retried("dispatchOnOfferAnswer", async (event) => {
  const { handleOfferAnswer } = await import("./answers");
  await handleOfferAnswer(event.params.bookingId, event.params.driverUid, event.data?.before.data() ?? null, event.data?.after.data() ?? null);
}));

/**
 * Starts round 1 of an attempt, and fires when a round's offers expire (Cloud Tasks, scheduleTime = expiresAt).
 * A constant 2 s backoff: a failed round is retried soon (every step re-checks the job), and under the emulator an
 * early delivery comes back within 2 s of its time.
 */
export const dispatchRoundTimer = onTaskDispatched(
  { retryConfig: { maxAttempts: 60, minBackoffSeconds: 2, maxBackoffSeconds: 2, maxDoublings: 0 }, rateLimits: { maxConcurrentDispatches: 200 }, timeoutSeconds: 300 },
  async (request) => {
    const { runRoundTimer } = await import("./timer");
    await runRoundTimer(request.data);
  },
);
