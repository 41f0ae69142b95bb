// The one writer of booking transitions made by the server. Inside the caller's transaction it checks the move
// against the state machine, then writes `status`, `timeline.<status>`, the fields that belong to the move
// (e.g. the driver summary at `accepted`) and exactly one audit event with a deterministic id. Moves made by
// the rider's or driver's app are checked by the rules instead (they write `timeline.<status>` themselves) and
// logged by bookings/lifecycle.ts.
import type { DocumentData, Transaction } from "firebase-admin/firestore";
import type { BookingEventType } from "../common/bookingEvents";
import { writeAuditEvent } from "../common/auditTrail";
import { db, fieldValue } from "../common/firebase";
import { canTransition, type Actor, type BookingStatus } from "./stateMachine";

export interface Move {
  to: BookingStatus;
  /** Who makes the move in the state machine's terms (server moves are the norm here). */
  by?: Actor;
  /** The uid recorded as the event's actor; "server" by default. */
  actor?: string;
  /** The audit event's document id: deterministic, so that a replay rewrites the same event. */
  eventId: string;
  /** Further fields written with the move. */
  fields?: Record<string, unknown>;
  event?: { type?: BookingEventType; data?: Record<string, unknown>; driverId?: string | null };
}

export class IllegalTransition extends Error {}

/** True when `current` may make `move` (the caller then calls writeTransition). */
export function allowed(current: DocumentData | undefined, to: BookingStatus, by: Actor = "server"): boolean {
  const from = current?.status as BookingStatus | undefined;
  return !!from && canTransition(from, to, by, { cancelledBy: current?.cancellation?.by });
}

export function writeTransition(tx: Transaction, bookingId: string, current: DocumentData, move: Move): void {
  const from = current.status as BookingStatus;
  const by = move.by ?? "server";
  if (!allowed(current, move.to, by)) throw new IllegalTransition(`booking ${bookingId}: ${from} → ${move.to} by ${by} is not a move of the state machine`);
  const now = fieldValue().serverTimestamp();
  tx.update(db().doc(`bookings/${bookingId}`), { status: move.to, [`timeline.${move.to}`]: now, updatedAt: now, ...move.fields });
  const driverId = move.event?.driverId !== undefined ? move.event.driverId : ((move.fields?.driverId as string | undefined) ?? current.driverId ?? null);
  writeAuditEvent(tx, bookingId, move.eventId, {
    type: move.event?.type ?? "status_changed",
    riderId: String(current.riderId),
    driverId: typeof driverId === "string" ? driverId : null,
    status: move.to,
    previousStatus: from,
    actor: move.actor ?? "server",
    data: move.event?.data ?? {},
  });
}
