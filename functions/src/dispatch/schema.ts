import { z } from "zod";
import { bookingStatusSchema, docIdSchema, latLngSchema, timestampSchema, uidSchema } from "../common/schema";
import { typedCollection } from "../common/firestore";
import { DEFAULT_SETTINGS } from "./ranking";

export const OFFER_STATUSES = ["pending", "accepted", "declined", "taken", "expired"] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

/** bookings/{bookingId}/offers/{driverUid}: server-written; the driver only answers `status` + `answeredAt`. */
export const offerSchema = z.object({
  driverId: uidSchema,
  bookingId: z.string(),
  status: z.enum(OFFER_STATUSES),
  attempt: z.number().int(),
  round: z.number().int(),
  expiresAt: timestampSchema,
  createdAt: timestampSchema,
  answeredAt: timestampSchema.optional(),
  resolvedAt: timestampSchema.optional(),
  reason: z.string().optional(),
  pickup: latLngSchema,
  distanceMeters: z.number(),
  etaSeconds: z.number(),
  categoryId: z.string(),
  serviceType: z.string().optional(),
});
export type Offer = z.infer<typeof offerSchema>;

/** The offered driver's answer: the only fields a client changes on an offer (mirrors firestore.rules). */
export const offerAnswerSchema = z.strictObject({
  status: z.enum(["accepted", "declined"], "must be accepted or declined"),
  answeredAt: timestampSchema,
});
export const offers = typedCollection(offerSchema, (bookingId: string) => `bookings/${bookingId}/offers`);

/**
 * offerInbox/{driverUid}: server-written (refs.ts createOffer / resolveOffer), read by its driver only. Lists the
 * driver's unresolved offers by booking, so the app needs one document listener to learn of a new offer.
 */
export const offerInboxSchema = z.strictObject({
  pending: z.record(docIdSchema, z.strictObject({ expiresAt: timestampSchema })),
  updatedAt: timestampSchema,
});
export type OfferInbox = z.infer<typeof offerInboxSchema>;

/** The part of a booking dispatch reads (the bookings domain owns the full schema). */
export const bookingForDispatchSchema = z.looseObject({
  status: bookingStatusSchema,
  riderId: uidSchema,
  categoryId: z.string().min(1),
  serviceType: z.string().optional(),
  pickup: latLngSchema,
  dropoff: latLngSchema.optional(),
  stops: z.array(latLngSchema).optional(),
  driverId: z.string().nullish(),
  /** Drivers who cancelled this booking (bookings domain); never offered it again. */
  previousDriverIds: z.array(z.unknown()).optional(),
});
export type BookingForDispatch = z.infer<typeof bookingForDispatchSchema>;
export const bookings = typedCollection(bookingForDispatchSchema, () => "bookings");

export const JOB_STATUSES = ["searching", "assigned", "no_drivers", "stopped"] as const;

/** dispatchJobs/{bookingId}: server-only state of the search for a driver. */
export const dispatchJobSchema = z.object({
  bookingId: z.string(),
  status: z.enum(JOB_STATUSES),
  /** One attempt per entry into `searching` (a driver cancel starts a new one). */
  attempt: z.number().int(),
  round: z.number().int(),
  offeredTo: z.array(z.string()),
  /** Drivers never offered this booking again (they cancelled it). */
  excluded: z.array(z.string()),
  startedAt: timestampSchema,
  roundExpiresAt: timestampSchema.nullable(),
  driverId: z.string().nullable(),
  lastMatch: z
    .object({ docsRead: z.number(), queries: z.number(), billedReads: z.number(), radiusMeters: z.number(), candidates: z.number(), verifyReads: z.number() })
    .nullable(),
  updatedAt: timestampSchema,
});
export type DispatchJob = z.infer<typeof dispatchJobSchema>;
export const dispatchJobs = typedCollection(dispatchJobSchema, () => "dispatchJobs");

/** driverLocations/{uid}: written by the driver app; status, categoryId, riderId, lastAssignedAt by the server. */
export const driverLocationSchema = z.looseObject({
  lat: z.number(),
  lng: z.number(),
  geohash: z.string(),
  updatedAt: timestampSchema.optional(),
  status: z.string().optional(),
  categoryId: z.string().optional(),
  lastAssignedAt: timestampSchema.nullish(),
});
export type DriverLocation = z.infer<typeof driverLocationSchema>;

export const driverSchema = z.looseObject({
  approved: z.boolean().optional(),
  suspended: z.boolean().optional(),
  vehicleId: z.string().nullish(),
  status: z.string().optional(),
  /** Admin-set in the console (never by the driver, firestore.rules): the only service areas the driver serves. */
  areaIds: z.array(z.string()).max(50).optional(),
});

/** dispatchSettings/{categoryId}: optional per-category overrides, written by admins in the console. */
export const dispatchSettingsSchema = z.strictObject({
  offersPerRound: z.number().int().min(1).max(50).optional(),
  candidates: z.number().int().min(1).max(50).optional(),
  offerTtlSeconds: z.number().min(1).max(600).optional(),
  maxRounds: z.number().int().min(1).max(50).optional(),
  maxSearchSeconds: z.number().min(1).max(3600).optional(),
  maxRadiusMeters: z.number().min(100).max(100_000).optional(),
  freshnessSeconds: z.number().min(5).max(3600).optional(),
  speedMetersPerSecond: z.number().min(1).max(40).optional(),
  etaBucketSeconds: z.number().min(1).max(600).optional(),
});
export { DEFAULT_SETTINGS };

/** Payload of the round timer task. */
export const roundTimerSchema = z.strictObject({
  bookingId: z.string().min(1),
  attempt: z.number().int().min(1),
  /** 0: no round yet (the task that starts round 1). */
  round: z.number().int().min(0),
  dueAtMillis: z.number(),
  /** A re-check while an accept was in flight: the round's offers are already expired. */
  held: z.boolean().optional(),
});
export type RoundTimer = z.infer<typeof roundTimerSchema>;

/** Callable acceptOffer({bookingId}): the calling driver accepts their offer for the booking. */
export const acceptOfferInputSchema = z.strictObject({
  bookingId: docIdSchema,
});
export type AcceptOfferInput = z.infer<typeof acceptOfferInputSchema>;

/**
 * What acceptOffer answers, in the same round trip: `assigned` (the trip is yours), `taken` (another driver
 * was first, or the booking left the search), `expired` (the offer ran out first), `unavailable` (you may not
 * take it now: another trip, a vehicle not active, a suspension).
 */
export const acceptOfferOutputSchema = z.strictObject({
  outcome: z.enum(["assigned", "taken", "expired", "unavailable"]),
});
export type AcceptOfferOutput = z.infer<typeof acceptOfferOutputSchema>;

/** Callable `nearbyCars` (before booking): how many cars are near a pickup and how soon one could be there. */
export const nearbyCarsInputSchema = z.strictObject({
  pickup: latLngSchema,
  serviceType: z.enum(["ride", "delivery", "hourly"], "must be ride, delivery or hourly"),
  categoryId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "category ids are 1–64 letters, digits, _ or -"),
});
export type NearbyCarsInput = z.infer<typeof nearbyCarsInputSchema>;

export const CAR_COUNT_BUCKETS = ["0", "1-2", "3-5", "6+"] as const;

/**
 * Coarse on purpose (docs/security.md "Service areas, nearby cars, saved places"): a count bucket and whole
 * minutes, computed from the grid cells around the pickup, never a position or an exact count.
 */
export const nearbyCarsOutputSchema = z.strictObject({
  cars: z.enum(CAR_COUNT_BUCKETS),
  /** Whole minutes, at least the minimum; null when no car is near. */
  etaMinutes: z.number().int().min(1).nullable(),
  /** false: the pickup is outside every area of the service type (quotes and bookings would be refused). */
  inServiceArea: z.boolean(),
});
export type NearbyCarsOutput = z.infer<typeof nearbyCarsOutputSchema>;
