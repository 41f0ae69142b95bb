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

/** What an incident's trail records (incidents/{incidentId}/events/{eventId}, admins only). */
export interface NewIncidentEvent {
  type: "sos_raised" | "sos_closed";
  bookingId: string;
  /** "server" or the uid whose call caused the event. */
  actor: string;
  data?: Record<string, unknown>;
}

/**
 * The audit trail of an SOS incident, with the same deterministic ids as a booking's. It is not the booking's trail
 * on purpose: both participants read that one, and an alarm raised about the other one must not show there.
 */
export function writeIncidentAuditEvent(tx: Transaction, incidentId: string, eventDocId: string, event: NewIncidentEvent): void {
  tx.set(db().doc(`incidents/${incidentId}/events/${eventDocId.replace(/\//g, "_")}`), {
    type: event.type,
    incidentId,
    bookingId: event.bookingId,
    actor: event.actor,
    at: fieldValue().serverTimestamp(),
    data: event.data ?? {},
  });
}
