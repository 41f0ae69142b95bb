// The one writer of a booking's audit trail, bookings/{bookingId}/events/{eventId} (shape: bookingEvents.ts).
// Every event has a deterministic id, derived from what it records (the move, the attempt, the payment state),
// so a replayed step rewrites the same document instead of adding one.
import type { Transaction } from "firebase-admin/firestore";
import type { BookingEvent } from "./bookingEvents";
import { db, fieldValue } from "./firebase";

export type NewAuditEvent = Omit<BookingEvent, "at" | "bookingId">;

export function auditEventRef(bookingId: string, eventDocId: string) {
  return db().doc(`bookings/${bookingId}/events/${eventDocId.replace(/\//g, "_")}`);
}

export function writeAuditEvent(tx: Transaction, bookingId: string, eventDocId: string, event: NewAuditEvent): void {
  tx.set(auditEventRef(bookingId, eventDocId), {
    type: event.type,
    bookingId,
    riderId: event.riderId,
    driverId: event.driverId ?? null,
    status: event.status,
    previousStatus: event.previousStatus ?? null,
    actor: event.actor,
    at: fieldValue().serverTimestamp(),
    data: event.data ?? {},
  });
}
