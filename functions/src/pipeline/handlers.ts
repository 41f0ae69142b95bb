// The one Firestore trigger per document path of the trip pipeline. Each compares before and after once and runs
// its domains' steps in the documented order (runPipeline: isolated, idempotent, retried, bounded in age).
// The steps, and what each writes, are listed in bookingWritten.ts, bookingEventCreated.ts and driverWritten.ts
// (docs/functions.md renders them as a table).
import { onDocumentCreated, onDocumentWritten } from "firebase-functions/v2/firestore";
import { stripeSecretKey } from "../common/config";

/** bookings/{bookingId}: confirmation, status changes, payments, dispatch, chat, ETA (bookingWritten.ts). */
export const onBookingWritten = onDocumentWritten({ document: "bookings/{bookingId}", secrets: [stripeSecretKey], retry: true }, async (event) => {
  const [{ runPipeline }, { BOOKING_STEPS }] = await Promise.all([import("../common/pipeline"), import("./bookingWritten")]);
  const before = event.data?.before.exists ? event.data.before.data() : undefined;
  const after = event.data?.after.exists ? event.data.after : undefined;
  const change = {
    bookingId: event.params.bookingId,
    eventId: event.id,
    before,
    after: after?.data(),
    changedAt: after?.updateTime,
    createdAt: after?.createTime,
  };
  const writtenAtMs = after?.updateTime?.toMillis();
  await runPipeline({ trigger: "onBookingWritten", path: `bookings/${event.params.bookingId}`, id: event.id, time: event.time, writtenAtMs }, BOOKING_STEPS, change, {
    from: before?.status ?? null,
    to: after?.get("status") ?? null,
  });
});

/** bookings/{bookingId}/events/{eventId}: notifications, then analytics (bookingEventCreated.ts). */
export const onBookingEventCreated = onDocumentCreated({ document: "bookings/{bookingId}/events/{eventId}", retry: true }, async (event) => {
  const data = event.data?.data();
  if (!data) return;
  const [{ runPipeline }, { BOOKING_EVENT_STEPS }] = await Promise.all([import("../common/pipeline"), import("./bookingEventCreated")]);
  const { bookingId, eventId } = event.params;
  await runPipeline({ trigger: "onBookingEventCreated", path: `bookings/${bookingId}/events/${eventId}`, id: event.id, time: event.time, writtenAtMs: event.data?.createTime?.toMillis() }, BOOKING_EVENT_STEPS, {
    bookingId,
    eventDocId: eventId,
    data,
  }, { type: data.type ?? null });
});

/** drivers/{uid}: approval, availability, offer withdrawal, the location mirror, online time (driverWritten.ts). */
export const onDriverWritten = onDocumentWritten({ document: "drivers/{uid}", retry: true }, async (event) => {
  const [{ runPipeline }, { DRIVER_STEPS }] = await Promise.all([import("../common/pipeline"), import("./driverWritten")]);
  await runPipeline({ trigger: "onDriverWritten", path: `drivers/${event.params.uid}`, id: event.id, time: event.time }, DRIVER_STEPS, {
    uid: event.params.uid,
    eventId: event.id,
    eventTimeMs: Date.parse(event.time),
    before: event.data?.before.exists ? event.data.before.data() : undefined,
    after: event.data?.after.exists ? event.data.after.data() : undefined,
  });
});
