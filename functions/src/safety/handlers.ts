// Safety triggers and callables (docs/safety.md). Deliberately absent: any trigger on driverLocations/{uid} or
// tripShares/{token}: a shared trip's position is refreshed by one task chain per trip.
import { onDocumentWritten } from "firebase-functions/v2/firestore";
import { onCall } from "firebase-functions/v2/https";
import { onTaskDispatched } from "firebase-functions/v2/tasks";
import { retried } from "../common/pipeline";

/** Callable `createTripShare({bookingId})`, the trip's rider: a read-only link (tripShares/{token}) for a contact. */
export const createTripShare = onCall(async (request) => (await import("./shares")).createTripShare(request));

/** Callable `revokeTripShare({bookingId, token})`, the rider who made the link: it stops at once. */
export const revokeTripShare = onCall(async (request) => (await import("./shares")).revokeTripShare(request));

/** Callable `raiseSos({bookingId, position?})`, the trip's rider or driver: one incident per trip and raiser. */
export const raiseSos = onCall(async (request) => (await import("./sos")).raiseSos(request));

/** Callable `closeIncident({incidentId, resolution})`, admins. */
export const closeIncident = onCall(async (request) => (await import("./sos")).closeIncident(request));

/** A shared trip's driver position, refreshed every SHARE_REFRESH_SECONDS while a link is in force. */
export const refreshTripShareTask = onTaskDispatched(
  { retryConfig: { maxAttempts: 20, minBackoffSeconds: 2, maxBackoffSeconds: 2, maxDoublings: 0 }, rateLimits: { maxConcurrentDispatches: 50 } },
  async (request) => (await import("./shares")).runShareRefreshTask(request.data),
);

/** An incident opened (or reopened): every admin gets a push and an SMS now. */
export const onIncidentWritten = onDocumentWritten({ document: "incidents/{incidentId}", retry: true }, retried("onIncidentWritten", async (event) => {
  const { alertAdminsOnIncident } = await import("./sos");
  await alertAdminsOnIncident(event.params.incidentId, event.data?.before.data(), event.data?.after.data());
}));
