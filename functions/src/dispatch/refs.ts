// Document references and settings shared by the dispatch services.
import type { DocumentReference, DocumentSnapshot, Timestamp, Transaction, UpdateData } from "firebase-admin/firestore";
import { db, fieldValue } from "../common/firebase";
import { DEFAULT_SETTINGS, type DispatchSettings } from "./ranking";
import { dispatchSettingsSchema } from "./schema";
import { settingsDocument } from "../common/settings";

export const bookingRef = (bookingId: string) => db().doc(`bookings/${bookingId}`);
export const jobRef = (bookingId: string) => db().doc(`dispatchJobs/${bookingId}`);
export const offerRef = (bookingId: string, driverId: string) => db().doc(`bookings/${bookingId}/offers/${driverId}`);
export const offersOf = (bookingId: string) => db().collection(`bookings/${bookingId}/offers`);
export const offerInboxRef = (driverId: string) => db().doc(`offerInbox/${driverId}`);

/**
 * Creates a pending offer and lists it in the driver's inbox (`offerInbox/{driverUid}.pending.{bookingId}`), the
 * one document a driver app listens to for new offers: a listener on a single document costs the store a lookup
 * per write, where a collection-group query on `offers` per online driver is re-run against every offer write
 * (the emulator re-runs each such query in full, under the lock every commit takes; docs/dispatch.md).
 */
export function createOffer(tx: Transaction, bookingId: string, driverId: string, offer: Record<string, unknown> & { expiresAt: Timestamp }): void {
  tx.set(offerRef(bookingId, driverId), offer);
  tx.set(offerInboxRef(driverId), { pending: { [bookingId]: { expiresAt: offer.expiresAt } }, updatedAt: fieldValue().serverTimestamp() }, { merge: true });
}

/**
 * Resolves an offer (sets `resolvedAt` with the given status or reason) and takes it out of the driver's inbox.
 * Every resolution goes through here, so an inbox lists exactly its driver's unresolved offers.
 */
export function resolveOffer(tx: Transaction, ref: DocumentReference, fields: UpdateData<Record<string, unknown>>): void {
  const bookingId = ref.parent.parent!.id;
  tx.update(ref, { ...fields, resolvedAt: fieldValue().serverTimestamp() });
  tx.set(offerInboxRef(ref.id), { pending: { [bookingId]: fieldValue().delete() }, updatedAt: fieldValue().serverTimestamp() }, { merge: true });
}

/**
 * The attempt's pending offers, read inside a transaction BY ID (the job's `offeredTo`), never by a query: a
 * query in a transaction locks a range (in production) or the whole `offers` collection group (the emulator's
 * lock manager locks by collection id), which made every accept, decline and round contend with every other
 * booking's offers. An attempt's offers are exactly those in `offeredTo`; earlier attempts left none pending.
 */
export async function pendingOffersIn(tx: Transaction, bookingId: string, offeredTo: readonly string[] | undefined): Promise<DocumentSnapshot[]> {
  const ids = [...new Set(offeredTo ?? [])];
  if (!ids.length) return [];
  const snaps = await tx.getAll(...ids.map((driverId) => offerRef(bookingId, driverId)));
  return snaps.filter((snap) => snap.get("status") === "pending");
}

/** Defaults, overridden per category by dispatchSettings/{categoryId} when that document is valid. */
export function loadSettings(categoryId: string): Promise<DispatchSettings> {
  return settingsDocument<DispatchSettings>(`dispatchSettings/${categoryId}`, dispatchSettingsSchema, DEFAULT_SETTINGS);
}
