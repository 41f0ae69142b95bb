// Pricing documents and the quoteFare input. The admin-edited config itself is in configSchema.ts.
import { z } from "zod";
import { typedCollection } from "../common/firestore";
import {
  amountMinorSchema,
  currencySchema,
  docIdSchema,
  latLngSchema,
  serviceTypeSchema,
  timestampSchema,
  uidSchema,
} from "../common/schema";
import { pricingConfigSchema } from "./configSchema";
import { FARE_LINE_CODES, MAX_HIRE_HOURS } from "./engine";
// A quote allows the stops a booking allows.
import { MAX_STOPS } from "../bookings/policy";

/** How far ahead a trip may be scheduled. */
export const SCHEDULE_HORIZON_DAYS = 30;
/** How long a quote can be booked. */
export const QUOTE_TTL_MS = 10 * 60_000;
/** How long an expired quote is kept before the TTL policy deletes it. */
export const QUOTE_RETENTION_MS = 7 * 86_400_000;
/** quoteFare calls per user per window. */
export const QUOTE_RATE_LIMIT = { max: 20, windowMs: 60_000 };

const fareLineSchema = z.object({ code: z.string(), label: z.string(), amountMinor: z.number().int() });

/** pricingActive/{serviceType}: the config in force (the last valid one) and its version; server-only. */
export const activePricingSchema = z.object({
  serviceType: serviceTypeSchema,
  version: z.number().int().min(1),
  configHash: z.string(),
  config: pricingConfigSchema,
  activatedAt: timestampSchema,
});
export type ActivePricing = z.infer<typeof activePricingSchema>;
export const activePricing = typedCollection(activePricingSchema, () => "pricingActive");

/** quotes/{quoteId}: written by quoteFare, read by its rider, checked when the rider books it. */
export const quoteSchema = z.object({
  riderId: uidSchema,
  serviceType: serviceTypeSchema,
  categoryId: docIdSchema,
  pickup: latLngSchema,
  dropoff: latLngSchema,
  stops: z.array(latLngSchema),
  scheduledAt: timestampSchema.nullable(),
  parcelSizeClass: z.string().nullable(),
  /** hourly only: the hours booked (absent on quotes made before hours could be booked). */
  hours: z.number().int().nullable().optional(),
  amountMinor: amountMinorSchema,
  currency: currencySchema,
  breakdown: z.array(fareLineSchema),
  distanceMeters: z.number().int().min(0),
  durationSeconds: z.number().int().min(0),
  /** true when the route comes from the offline estimate rather than Google Maps. */
  estimated: z.boolean(),
  routingSource: z.enum(["google", "offline-estimate"]),
  pricingVersion: z.number().int(),
  surgeMultiplierBps: z.number().int(),
  createdAt: timestampSchema,
  expiresAt: timestampSchema,
  /** A TTL policy deletes the quote after this (a week after it expires). */
  purgeAt: timestampSchema,
  /** Set when a booking takes the quote; a quote is booked at most once. */
  bookingId: z.string().nullable(),
});
export type Quote = z.infer<typeof quoteSchema>;
export const quotes = typedCollection(quoteSchema, () => "quotes");

const dateInput = z
  .union([z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time" }), z.number().int("must be epoch milliseconds")])
  .transform((value) => new Date(value));

export const quoteFareInputSchema = z
  .strictObject({
    pickup: latLngSchema,
    dropoff: latLngSchema,
    stops: z.array(latLngSchema).max(MAX_STOPS, `at most ${MAX_STOPS} stops`).default([]),
    categoryId: docIdSchema,
    serviceType: serviceTypeSchema,
    scheduledAt: dateInput
      .refine((d) => d.getTime() > Date.now(), "must be in the future")
      .refine((d) => d.getTime() <= Date.now() + SCHEDULE_HORIZON_DAYS * 86_400_000, `must be within ${SCHEDULE_HORIZON_DAYS} days`)
      .nullable()
      .optional(),
    /** delivery only; defaults to the cheapest size class. */
    parcelSizeClass: z.string().min(1).max(32).nullable().optional(),
    /** hourly only: the hours booked (paid in full); without it, the blocks the route's duration needs. */
    hours: z.number().int("must be a whole number of hours").min(1, "must be at least 1").max(MAX_HIRE_HOURS, `must be at most ${MAX_HIRE_HOURS}`).nullable().optional(),
  })
  .superRefine((input, ctx) => {
    if (input.hours != null && input.serviceType !== "hourly") {
      ctx.addIssue({ code: "custom", path: ["hours"], message: "only applies to hourly" });
    }
    if (input.parcelSizeClass && input.serviceType !== "delivery") {
      ctx.addIssue({ code: "custom", path: ["parcelSizeClass"], message: "only applies to delivery" });
    }
  });
export type QuoteFareInput = z.output<typeof quoteFareInputSchema>;

/**
 * What quoteFare returns. The quote (quotes/{quoteId}) can be booked until expiresAt; amountMinor is the sum of
 * the breakdown's lines, in currency's minor units.
 */
export const quoteFareOutputSchema = z.strictObject({
  quoteId: docIdSchema,
  amountMinor: amountMinorSchema,
  currency: currencySchema,
  breakdown: z.array(
    z.strictObject({
      code: z.enum(FARE_LINE_CODES),
      /** For display, e.g. "Distance (4.2 km)". */
      label: z.string(),
      /** Never 0 (such lines are left out); a surge below ×1 is negative. */
      amountMinor: z.number().int(),
    }),
  ),
  distanceMeters: z.number().int().min(0),
  durationSeconds: z.number().int().min(0),
  /** ISO 8601 in UTC: 10 minutes after the quote. */
  expiresAt: z.iso.datetime(),
  /** true when the route comes from the offline estimate rather than Google Maps. */
  estimated: z.boolean(),
  /** pricingActive/{serviceType}.version the fare was computed with. */
  pricingVersion: z.number().int().min(1),
});
export type QuoteFareOutput = z.infer<typeof quoteFareOutputSchema>;
