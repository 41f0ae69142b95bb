import { z } from "zod";
import { SERVICE_TYPES, timestampSchema, uidSchema } from "../common/schema";
import { typedCollection } from "../common/firestore";

export const DRIVER_STATUSES = ["offline", "available", "busy"] as const;
export const VEHICLE_STATUSES = ["pending", "active", "maintenance", "retired"] as const;
export type VehicleStatus = (typeof VEHICLE_STATUSES)[number];

/** drivers/{uid}: a driver's application and live state. approved/suspended admin-only; rating/stats server-only. */
export const driverSchema = z.object({
  approved: z.boolean(),
  suspended: z.boolean().optional(),
  status: z.enum(DRIVER_STATUSES),
  vehicleId: z.string().nullable().optional(),
  licence: z.object({ number: z.string(), country: z.string(), expiresAt: timestampSchema }).optional(),
  licencePhotoPath: z.string().nullable().optional(),
  rating: z.object({ avg: z.number(), count: z.number().int() }).nullable().optional(),
  stats: z.record(z.string(), z.unknown()).optional(),
  deletedAt: timestampSchema.optional(),
});
export type Driver = z.infer<typeof driverSchema>;
export const drivers = typedCollection(driverSchema, () => "drivers");

/** vehicles/{vehicleId}: registered by its driver as `pending`; admins activate, park in maintenance, retire. */
export const vehicleSchema = z.object({
  driverId: uidSchema,
  categoryId: z.string(),
  make: z.string(),
  model: z.string(),
  year: z.number().int(),
  color: z.string(),
  plate: z.string(),
  status: z.enum(VEHICLE_STATUSES),
});
export type Vehicle = z.infer<typeof vehicleSchema>;
export const vehicles = typedCollection(vehicleSchema, () => "vehicles");

/** vehicles/{vehicleId}/statusHistory/{eventId}: one entry per status change, written by a trigger. */
export const vehicleStatusEntrySchema = z.object({
  from: z.enum(VEHICLE_STATUSES).nullable(),
  to: z.enum(VEHICLE_STATUSES).nullable(),
  driverId: uidSchema,
  at: timestampSchema,
});
export const vehicleStatusHistory = typedCollection(vehicleStatusEntrySchema, (vehicleId: string) => `vehicles/${vehicleId}/statusHistory`);

/** vehicleCategories/{categoryId}: admin-managed. */
export const vehicleCategorySchema = z.object({
  name: z.string(),
  description: z.string(),
  capacity: z.number().int(),
  serviceTypes: z.array(z.enum(SERVICE_TYPES)),
  active: z.boolean(),
  sortOrder: z.number().int(),
});
export type VehicleCategory = z.infer<typeof vehicleCategorySchema>;
export const vehicleCategories = typedCollection(vehicleCategorySchema, () => "vehicleCategories");
