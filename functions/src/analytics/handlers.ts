import { onDocumentCreated, onDocumentUpdated, onDocumentWritten } from "firebase-functions/v2/firestore";
import { onCall } from "firebase-functions/v2/https";
import { onSchedule } from "firebase-functions/v2/scheduler";

/** Every audit-trail event: offers feed driverStats; status, fare and payment events recount the booking. */
export const onBookingEventForAnalytics = onDocumentCreated("bookings/{bookingId}/events/{eventId}", async (event) => {
  const { applyBookingEvent } = await import("./service");
  const data = event.data?.data();
  if (data) await applyBookingEvent(event.params.bookingId, event.params.eventId, data);
});

/** Captures and refunds change the day's money figures. */
export const onPaymentForAnalytics = onDocumentWritten("payments/{bookingId}", async (event) => {
  const { applyPaymentChange } = await import("./service");
  await applyPaymentChange(event.params.bookingId, event.id);
});

export const onRatingCreated = onDocumentCreated("bookings/{bookingId}/ratings/{raterUid}", async (event) => {
  const { applyRating } = await import("./service");
  await applyRating(event.params.bookingId, event.params.raterUid);
});

/** Driver status changes give online hours (driverStats.onlineSeconds / onlineHours). */
export const onDriverStatusForAnalytics = onDocumentUpdated("drivers/{uid}", async (event) => {
  const before = event.data?.before.data()?.status;
  const after = event.data?.after.data()?.status;
  if (before === after) return;
  const { applyDriverStatusChange } = await import("./service");
  await applyDriverStatusChange(event.params.uid, event.id, before, after, Date.parse(event.time));
});

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
