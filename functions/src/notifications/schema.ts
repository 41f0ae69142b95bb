import { z } from "zod";
import { BOOKING_STATUSES, timestampSchema } from "../common/schema";

/** users/{uid}/devices/{deviceId}, written by the apps (see firestore.rules). */
export const deviceSchema = z.object({
  fcmToken: z.string().min(1).max(4096),
  platform: z.enum(["ios", "android", "web"]),
  updatedAt: timestampSchema.optional(),
});
export type Device = z.infer<typeof deviceSchema>;

/** The owner marks an inbox entry (users/{uid}/notifications/{id}) read. */
export const inboxReadSchema = z.strictObject({ readAt: timestampSchema });

/** The fields of users/{uid} notifications read; prefs are merged over defaults by resolvePrefs. */
export const recipientSchema = z.looseObject({
  email: z.string().email().optional().catch(undefined),
  phoneNumber: z.string().regex(/^\+[1-9]\d{6,14}$/).optional().catch(undefined),
  locale: z.string().max(35).optional().catch(undefined),
  notificationPrefs: z.unknown().optional(),
});
export type Recipient = z.infer<typeof recipientSchema>;

/** deferredNotifications/{id} (server-only): push/SMS held back by quiet hours, sent by the sweep. */
export const deferredSchema = z.object({
  userId: z.string(),
  dueAt: timestampSchema,
  push: z
    .object({
      title: z.string(),
      body: z.string(),
      category: z.enum(["trip", "chat", "payment", "marketing"]),
      notificationId: z.string(),
      template: z.string(),
      timeSensitive: z.boolean(),
      data: z.record(z.string(), z.string()),
    })
    .nullable(),
  sms: z.object({ to: z.string(), body: z.string() }).nullable(),
});
export type Deferred = z.infer<typeof deferredSchema>;

/** The fields of a booking audit-trail event the notifications read (common/bookingEvents.ts). */
export const bookingEventSchema = z.looseObject({
  type: z.enum(["status_changed", "offer_sent", "offer_answered", "driver_assigned", "fare_fixed", "payment", "cancelled", "recovered", "proof_verified"]),
  bookingId: z.string().min(1),
  riderId: z.string().min(1),
  driverId: z.string().min(1).nullish(),
  status: z.enum(BOOKING_STATUSES),
  previousStatus: z.enum(BOOKING_STATUSES).nullish(),
  actor: z.string().default("server"),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type BookingEventInput = z.infer<typeof bookingEventSchema>;
