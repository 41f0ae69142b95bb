// What happens when an audit event is added to a booking (bookings/{bookingId}/events/{eventId}): the steps of
// its one trigger, in order. Both are deduplicated on the event document (processOnce / notification keys).
import type { DocumentData } from "firebase-admin/firestore";
import type { Step } from "../common/pipeline";

export interface BookingEventChange {
  bookingId: string;
  eventDocId: string;
  data: DocumentData;
}

export const BOOKING_EVENT_STEPS: readonly Step<BookingEventChange>[] = [
  {
    name: "notifications",
    does: "tell the rider and/or drivers what happened (push, in-app inbox, SMS or e-mail per their preferences)",
    applies: () => true,
    run: async (c) => (await import("../notifications/service")).notifyForBookingEvent(c.eventDocId, c.data),
  },
  {
    name: "analytics",
    does: "offers feed driverStats; status, fare and payment events recount the booking in its day's figures",
    applies: () => true,
    run: async (c) => (await import("../analytics/service")).applyBookingEvent(c.bookingId, c.eventDocId, c.data),
  },
];
