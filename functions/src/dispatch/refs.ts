// Document references and settings shared by the dispatch services.
import type { DocumentSnapshot, Transaction } from "firebase-admin/firestore";
import { db } from "../common/firebase";
import { DEFAULT_SETTINGS, type DispatchSettings } from "./ranking";
import { dispatchSettingsSchema } from "./schema";
import { settingsDocument } from "../common/settings";

export const bookingRef = (bookingId: string) => db().doc(`bookings/${bookingId}`);
export const jobRef = (bookingId: string) => db().doc(`dispatchJobs/${bookingId}`);
export const offerRef = (bookingId: string, driverId: string) => db().doc(`bookings/${bookingId}/offers/${driverId}`);
export const offersOf = (bookingId: string) => db().collection(`bookings/${bookingId}/offers`);

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
