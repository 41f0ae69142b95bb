// Document references and settings shared by the dispatch services.
import { db } from "../common/firebase";
import { DEFAULT_SETTINGS, type DispatchSettings } from "./ranking";
import { dispatchSettingsSchema } from "./schema";
import * as logger from "../common/logger";

export const bookingRef = (bookingId: string) => db().doc(`bookings/${bookingId}`);
export const jobRef = (bookingId: string) => db().doc(`dispatchJobs/${bookingId}`);
export const offerRef = (bookingId: string, driverId: string) => db().doc(`bookings/${bookingId}/offers/${driverId}`);
export const offersOf = (bookingId: string) => db().collection(`bookings/${bookingId}/offers`);

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
