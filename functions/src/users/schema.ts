import { z } from "zod";
import { latLngSchema, roleSchema, timestampSchema, uidSchema } from "../common/schema";
import { typedCollection } from "../common/firestore";
import { SAVED_PLACE_IDS } from "./places";

const channelPrefsSchema = z.strictObject({ push: z.boolean(), email: z.boolean(), sms: z.boolean() });
const clockTimeSchema = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, "must be a time of day HH:MM");

/** users/{uid}.notificationPrefs: a boolean per category × channel, plus optional quiet hours. */
export const notificationPrefsSchema = z.strictObject({
  trip: channelPrefsSchema,
  chat: channelPrefsSchema,
  payment: channelPrefsSchema,
  marketing: channelPrefsSchema,
  quietHours: z.strictObject({ start: clockTimeSchema, end: clockTimeSchema, tz: z.string().min(1).max(64) }).nullable(),
});
export type NotificationPrefs = z.infer<typeof notificationPrefsSchema>;

/**
 * users/{uid}: the profile. Created by its owner on first sign-in (rules pin phoneNumber/email to the token);
 * `role` is written by admins only (absent = rider) and mirrored into the `role` custom claim.
 */
export const userProfileSchema = z.object({
  displayName: z.string(),
  phoneNumber: z.string().nullable(),
  email: z.string().optional(),
  photoPath: z.string().nullable().optional(),
  role: roleSchema.optional(),
  notificationPrefs: notificationPrefsSchema.optional(),
  createdAt: timestampSchema.optional(),
  updatedAt: timestampSchema.optional(),
});
export type UserProfile = z.infer<typeof userProfileSchema>;

export const users = typedCollection(userProfileSchema, () => "users");

export const setUserRoleInputSchema = z.strictObject({ uid: uidSchema, role: roleSchema });
/** setUserRole echoes the user and the role now stored in users/{uid}.role (the claim follows via onUserRoleWritten). */
export const setUserRoleOutputSchema = z.strictObject({ uid: uidSchema, role: roleSchema });
export type SetUserRoleOutput = z.infer<typeof setUserRoleOutputSchema>;

export const deleteAccountInputSchema = z.strictObject({});
/** deleteAccount returns once the personal data and the Auth user are gone. */
export const deleteAccountOutputSchema = z.strictObject({ deleted: z.literal(true) });
export type DeleteAccountOutput = z.infer<typeof deleteAccountOutputSchema>;

/** users/{uid}/places/{placeId}: the ids bound a rider's saved places to 10 (home, work, p1..p8; firestore.rules). */
export { SAVED_PLACE_IDS };
export const savedPlaceIdSchema = z.enum(SAVED_PLACE_IDS);

/** A saved place as the owner writes it (mirrors firestore.rules; updatedAt = request.time). */
export const savedPlaceSchema = z.strictObject({
  name: z.string().min(1, "name must not be empty").max(40, "name must be at most 40 characters"),
  location: latLngSchema,
  updatedAt: timestampSchema,
});
export type SavedPlace = z.infer<typeof savedPlaceSchema>;
