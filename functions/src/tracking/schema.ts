import { z } from "zod";
import { timestampSchema, uidSchema } from "../common/schema";
import { typedCollection } from "../common/firestore";

export const DRIVER_STATUSES = ["offline", "available", "busy"] as const;
export const driverStatusSchema = z.enum(DRIVER_STATUSES);
export type DriverStatus = z.infer<typeof driverStatusSchema>;

/**
 * driverLocations/{uid}. Client fields (the driver app, rules-validated): lat, lng, geohash, heading?, speed?,
 * accuracy?, updatedAt. Server fields: status, categoryId (mirrored from drivers/{uid} by the tracking trigger),
 * riderId (set by dispatch at assignment, cleared by bookings at the end), statusChangedAt (tracking: when the
 * mirrored status last changed; presence counts it as activity).
 */
export const driverLocationSchema = z.object({
  lat: z.number().min(-90).max(90).optional(),
  lng: z.number().min(-180).max(180).optional(),
  geohash: z.string().optional(),
  heading: z.number().optional(),
  speed: z.number().optional(),
  accuracy: z.number().optional(),
  updatedAt: timestampSchema.optional(),
  status: driverStatusSchema.optional(),
  categoryId: z.string().nullable().optional(),
  riderId: uidSchema.nullable().optional(),
  statusChangedAt: timestampSchema.optional(),
});
export type DriverLocation = z.infer<typeof driverLocationSchema>;

/** What the driver app writes on driverLocations/{uid} (mirrors firestore.rules; at most once a second). */
export const driverLocationWriteSchema = z.strictObject({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  geohash: z.string().regex(/^[0-9b-hjkmnp-z]{6,12}$/, "must be a geofire-common geohash of 6 to 12 characters"),
  heading: z.number().min(0).max(360).optional(),
  speed: z.number().min(0).max(100).optional(),
  accuracy: z.number().min(0).max(10_000).optional(),
  updatedAt: timestampSchema,
});
export const driverLocations = typedCollection(driverLocationSchema, () => "driverLocations");

/** The part of drivers/{uid} (users & catalogue domain) that tracking reads and presence writes. */
export const driverSchema = z.looseObject({
  approved: z.boolean().optional(),
  vehicleId: z.string().nullable().optional(),
  status: driverStatusSchema.optional(),
});
export type Driver = z.infer<typeof driverSchema>;
export const drivers = typedCollection(driverSchema, () => "drivers");

/** The part of vehicles/{vehicleId} that tracking reads. */
export const vehicleSchema = z.looseObject({
  driverId: z.string().optional(),
  categoryId: z.string().optional(),
  status: z.string().optional(),
});
export const vehicles = typedCollection(vehicleSchema, () => "vehicles");

/** The part of bookings/{id} that the ETA refresh reads. */
export const bookingForEtaSchema = z.looseObject({
  status: z.string(),
  driverId: z.string().nullable().optional(),
  pickup: z.looseObject({ lat: z.number(), lng: z.number() }).optional(),
  eta: z
    .object({ pickupSeconds: z.number(), updatedAt: timestampSchema })
    .nullable()
    .optional(),
});
export const bookingsForEta = typedCollection(bookingForEtaSchema, () => "bookings");
