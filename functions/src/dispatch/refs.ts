// Document references and settings shared by the dispatch services.
import { db } from "../common/firebase";
import { DEFAULT_SETTINGS, type DispatchSettings } from "./ranking";
import { dispatchSettingsSchema } from "./schema";
import { settingsDocument } from "../common/settings";

export const bookingRef = (bookingId: string) => db().doc(`bookings/${bookingId}`);
export const jobRef = (bookingId: string) => db().doc(`dispatchJobs/${bookingId}`);
export const offerRef = (bookingId: string, driverId: string) => db().doc(`bookings/${bookingId}/offers/${driverId}`);
export const offersOf = (bookingId: string) => db().collection(`bookings/${bookingId}/offers`);

/** Defaults, overridden per category by dispatchSettings/{categoryId} when that document is valid. */
export function loadSettings(categoryId: string): Promise<DispatchSettings> {
  return settingsDocument<DispatchSettings>(`dispatchSettings/${categoryId}`, dispatchSettingsSchema, DEFAULT_SETTINGS);
}
