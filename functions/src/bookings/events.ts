// Builds the audit events of bookings/{id}/events (shape: common/bookingEvents.ts). Each is written with a
// deterministic id (derived from the trigger event), so a redelivered trigger overwrites instead of adding.
import type { Transaction } from "firebase-admin/firestore";
import type { BookingEvent, BookingEventType } from "../common/bookingEvents";
import { db, fieldValue } from "../common/firebase";
import type { BookingStatus } from "../common/schema";
import { eventsPath } from "./schema";

export interface AuditEvent {
  type: BookingEventType;
  status: BookingStatus;
  previousStatus?: BookingStatus | null;
  actor: string;
  driverId?: string | null;
  data?: Record<string, unknown>;
}

export function writeAuditEvent(
  tx: Transaction,
  bookingId: string,
  riderId: string,
  eventDocId: string,
  event: AuditEvent,
): void {
  const doc: Omit<BookingEvent, "at"> & { at: unknown } = {
    type: event.type,
    bookingId,
    riderId,
    driverId: event.driverId ?? null,
    status: event.status,
    previousStatus: event.previousStatus ?? null,
    actor: event.actor,
    at: fieldValue().serverTimestamp(),
    data: event.data ?? {},
  };
  tx.set(db().collection(eventsPath(bookingId)).doc(eventDocId.replace(/\//g, "_")), doc);
}
