import { onDocumentCreated } from "firebase-functions/v2/firestore";
import { onSchedule } from "firebase-functions/v2/scheduler";

/** Trip notifications: each audit-trail event of a booking tells the rider and/or drivers what happened. */
export const onBookingEventNotify = onDocumentCreated("bookings/{bookingId}/events/{eventId}", async (event) => {
  const { notifyForBookingEvent } = await import("./service");
  await notifyForBookingEvent(event.params.eventId, event.data?.data());
});

/** Push and SMS held back by quiet hours go out when the quiet hours end. */
export const sendDeferredNotifications = onSchedule("every 5 minutes", async () => {
  const { sendDueNotifications } = await import("./service");
  await sendDueNotifications();
});
