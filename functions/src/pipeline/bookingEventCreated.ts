// What happens when an audit event is added to a booking (bookings/{bookingId}/events/{eventId}). Its one trigger
// only enqueues the event's side effects as a Cloud Task named after the event (one task per event, whatever the
// redeliveries); the task (bookingEventTask) runs these steps, in order. Notifications and analytics are off the
// trip pipeline's path: a slow push provider or a recount never delays the next move of any booking, and the
// queue bounds and retries them on its own terms. Both steps are deduplicated on the event document
// (processOnce / notification keys).
import type { DocumentData } from "firebase-admin/firestore";
import type { Step } from "../common/pipeline";

export interface BookingEventChange {
  bookingId: string;
  eventDocId: string;
  data: DocumentData;
}

/** The task function that runs BOOKING_EVENT_STEPS, and the one step of the events trigger. */
export const BOOKING_EVENT_TASK = "bookingEventTask";

export const BOOKING_EVENT_TRIGGER_STEPS: readonly Step<BookingEventChange>[] = [
  {
    name: "events.enqueue",
    does: `enqueue the event's side effects: one Cloud Task \`${BOOKING_EVENT_TASK}\` named after the event`,
    applies: () => true,
    run: async (c) => {
      const { enqueueTask } = await import("../common/tasks");
      return enqueueTask(BOOKING_EVENT_TASK, { bookingId: c.bookingId, eventId: c.eventDocId }, { id: `bookingEvent-${c.bookingId}-${c.eventDocId}` });
    },
  },
];

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
