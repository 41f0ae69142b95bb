// Document references and the audit-event writer shared by the dispatch services.
import type { DocumentReference, Transaction } from "firebase-admin/firestore";
import type { BookingEvent } from "../common/bookingEvents";
import { db, fieldValue } from "../common/firebase";
import type { BookingStatus } from "../common/schema";
import { DEFAULT_SETTINGS, type DispatchSettings } from "./ranking";
import { dispatchSettingsSchema } from "./schema";
import * as logger from "../common/logger";

export const bookingRef = (bookingId: string) => db().doc(`bookings/${bookingId}`);
export const jobRef = (bookingId: string) => db().doc(`dispatchJobs/${bookingId}`);
export const offerRef = (bookingId: string, driverId: string) => db().doc(`bookings/${bookingId}/offers/${driverId}`);
export const offersOf = (bookingId: string) => db().collection(`bookings/${bookingId}/offers`);

type NewEvent = Omit<BookingEvent, "at" | "bookingId">;

/** Audit events get deterministic ids, so a replayed step rewrites the same event instead of adding one. */
export function writeEvent(tx: Transaction, bookingId: string, eventId: string, event: NewEvent): void {
  const ref: DocumentReference = db().doc(`bookings/${bookingId}/events/${eventId}`);
  tx.set(ref, { ...event, bookingId, at: fieldValue().serverTimestamp() });
}

export function statusEvent(riderId: string, status: BookingStatus, driverId: string | null, data: Record<string, unknown>): NewEvent {
  return { type: "status_changed", riderId, driverId, status, previousStatus: "searching", actor: "server", data };
}

/** Defaults, overridden per category by dispatchSettings/{categoryId} when that document is valid. */
export async function loadSettings(categoryId: string): Promise<DispatchSettings> {
  const snapshot = await db().doc(`dispatchSettings/${categoryId}`).get();
  if (!snapshot.exists) return DEFAULT_SETTINGS;
  const parsed = dispatchSettingsSchema.safeParse(snapshot.data());
  if (!parsed.success) {
    logger.warn("invalid dispatchSettings ignored", { categoryId, issues: parsed.error.issues.map((i) => i.message) });
    return DEFAULT_SETTINGS;
  }
  return { ...DEFAULT_SETTINGS, ...parsed.data };
}
