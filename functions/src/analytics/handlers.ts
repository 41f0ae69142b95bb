import { onDocumentCreated } from "firebase-functions/v2/firestore";
import { onCall } from "firebase-functions/v2/https";
import { onSchedule } from "firebase-functions/v2/scheduler";
import { retried } from "../common/pipeline";

export const onRatingCreated = onDocumentCreated({ document: "bookings/{bookingId}/ratings/{raterUid}", retry: true }, retried("onRatingCreated", async (event) => {
  const { applyRating } = await import("./service");
  await applyRating(event.params.bookingId, event.params.raterUid);
}));

/** Callable `getReport({kind, from, to})`, admins only. */
export const getReport = onCall(async (request) => {
  const { getReport: buildReport } = await import("./reports");
  return buildReport(request.auth ? { uid: request.auth.uid, token: request.auth.token } : undefined, request.data);
});

/** Nightly: close yesterday (Lisbon) and reconcile it against the raw bookings and payments. */
export const closeAnalyticsDay = onSchedule({ schedule: "30 3 * * *", timeZone: "Europe/Lisbon" }, async () => {
  const { closePreviousDay } = await import("./reconcile");
  await closePreviousDay();
});
