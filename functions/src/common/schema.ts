// Primitive schemas shared by every domain's contract types (see ../shared/CONTRACT.md "Conventions").
import { z } from "zod";
import type { Timestamp } from "firebase-admin/firestore";

export const latLngSchema = z.strictObject({
  lat: z.number().min(-90, "latitude must be ≥ -90").max(90, "latitude must be ≤ 90"),
  lng: z.number().min(-180, "longitude must be ≥ -180").max(180, "longitude must be ≤ 180"),
});
export type LatLng = z.infer<typeof latLngSchema>;

/** A Firestore Timestamp as read by the Admin SDK (checked by shape, so firebase-admin loads lazily). */
export const timestampSchema = z.custom<Timestamp>(
  (value) => typeof value === "object" && value !== null && typeof (value as Timestamp).toMillis === "function",
  "must be a Firestore Timestamp",
);

export const currencySchema = z.string().regex(/^[a-z]{3}$/, "must be an ISO 4217 code in lower case, e.g. eur");
export const amountMinorSchema = z.number().int("must be an integer amount in minor units").min(0);
export const uidSchema = z.string().min(1).max(128);
export const docIdSchema = z.string().min(1).max(128).regex(/^[^/]+$/, "must not contain '/'");

export const ROLES = ["rider", "driver", "admin"] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const SERVICE_TYPES = ["ride", "delivery", "hourly"] as const;
export const serviceTypeSchema = z.enum(SERVICE_TYPES);
export type ServiceType = z.infer<typeof serviceTypeSchema>;

export const BOOKING_STATUSES = [
  "requested",
  "awaiting_payment",
  "scheduled",
  "searching",
  "accepted",
  "arrived",
  "in_progress",
  "completed",
  "cancelled",
  "no_drivers",
  "payment_failed",
  "delivery_failed",
] as const;
export const bookingStatusSchema = z.enum(BOOKING_STATUSES);
export type BookingStatus = z.infer<typeof bookingStatusSchema>;

export const NOTIFICATION_CATEGORIES = ["trip", "chat", "payment", "marketing"] as const;
export type NotificationCategory = (typeof NOTIFICATION_CATEGORIES)[number];
