// The admin-edited pricing document `pricing/{serviceType}` (see docs/pricing.md). Only zod: the engine and the
// validation trigger share it, and unit tests load it without Firebase.
import { z } from "zod";
import { currencySchema, latLngSchema, type ServiceType } from "../common/schema";

/** No admin setting may allow a final fare more than 50 % above the estimate without the rider's approval. */
export const MAX_INCREASE_BPS_LIMIT = 5_000;

/** The most commission a pricing document may set (earnings/ledgerMath.ts applies it). */
export const MAX_COMMISSION_BPS = 5_000;

/** Upper bound of any single amount (100 000.00 in a 2-decimal currency): keeps integer maths exact. */
export const MAX_AMOUNT_MINOR = 10_000_000;

const minor = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be an integer in minor units (cents)`)
    .min(0, `${what} must not be negative`)
    .max(MAX_AMOUNT_MINOR, `${what} must be at most ${MAX_AMOUNT_MINOR}`);

const multiplier = (what: string) =>
  z.number({ error: `${what} must be a number` }).min(1, `${what} must be at least 1`).max(10, `${what} must be at most 10`);

const name = z.string().min(1, "name must not be empty").max(80, "name must be at most 80 characters");

export const categoryRatesSchema = z.strictObject({
  baseFareMinor: minor("baseFareMinor"),
  perKmMinor: minor("perKmMinor"),
  perMinuteMinor: minor("perMinuteMinor"),
  minimumFareMinor: minor("minimumFareMinor"),
  bookingFeeMinor: minor("bookingFeeMinor"),
  cancellationFeeMinor: minor("cancellationFeeMinor"),
  perStopMinor: minor("perStopMinor"),
  /** hourly only: price of one block of `blockMinutes`, which includes `includedKmPerBlock` km. */
  hourlyBlockMinor: minor("hourlyBlockMinor").optional(),
  blockMinutes: z.number().int("blockMinutes must be a whole number").min(15, "blockMinutes must be at least 15").max(1440, "blockMinutes must be at most 1440").optional(),
  includedKmPerBlock: z.number().min(0, "includedKmPerBlock must not be negative").max(1000, "includedKmPerBlock must be at most 1000").optional(),
  /** hourly only: each started minute beyond the booked hours; without it, overtime is charged in started blocks. */
  overtimePerMinuteMinor: minor("overtimePerMinuteMinor").optional(),
});
export type CategoryRates = z.infer<typeof categoryRatesSchema>;

export const surgeWindowSchema = z
  .strictObject({
    name,
    /** 0 = Sunday … 6 = Saturday, in the business time zone. */
    days: z.array(z.number().int().min(0, "days are 0 (Sunday) to 6 (Saturday)").max(6, "days are 0 (Sunday) to 6 (Saturday)")).min(1, "days must list at least one weekday"),
    /** Local hours: startHour inclusive, endHour exclusive (24 = midnight). */
    startHour: z.number().int("startHour must be a whole hour").min(0, "startHour must be 0–23").max(23, "startHour must be 0–23"),
    endHour: z.number().int("endHour must be a whole hour").min(1, "endHour must be 1–24").max(24, "endHour must be 1–24"),
    multiplier: multiplier("multiplier"),
  })
  .refine((w) => w.startHour < w.endHour, { message: "endHour must be after startHour (split windows that cross midnight)", path: ["endHour"] });
export type SurgeWindow = z.infer<typeof surgeWindowSchema>;

export const surgeZoneSchema = z.strictObject({
  name,
  multiplier: multiplier("multiplier"),
  polygon: z.array(latLngSchema).min(3, "a polygon needs at least 3 points").max(200, "a polygon has at most 200 points"),
});
export type SurgeZone = z.infer<typeof surgeZoneSchema>;

export const surgeSchema = z.strictObject({
  cap: multiplier("cap"),
  windows: z.array(surgeWindowSchema).max(50, "at most 50 windows"),
  zones: z.array(surgeZoneSchema).max(50, "at most 50 zones"),
});

const categoryId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "category ids are 1–64 letters, digits, _ or -");

/** What a parcel class requires before a delivery completes (bookings/deliveryProofPolicy.ts ProofRequirements). */
export const proofRequirementsSchema = z.strictObject({
  photo: z.boolean({ error: "photo must be true or false" }),
  recipientCode: z.boolean({ error: "recipientCode must be true or false" }),
  recipientName: z.boolean({ error: "recipientName must be true or false" }),
});

/** Largest return-leg rate: the return never costs more than twice the same trip priced by these rules. */
export const MAX_RETURN_LEG_BPS = 20_000;

const sizeClass = z.string().regex(/^[a-z0-9_-]{1,32}$/, "size classes are lower-case ids");

export const pricingConfigSchema = z.strictObject({
  currency: currencySchema,
  categories: z.record(categoryId, categoryRatesSchema).refine((c) => Object.keys(c).length > 0, "at least one category must be priced"),
  /** delivery only: surcharge per parcel size class, e.g. {small: 0, medium: 150, large: 400}. */
  parcelSizeSurchargeMinor: z.record(sizeClass, minor("surcharge")).optional(),
  /** delivery only: the proof each parcel size class requires before completion (a class not listed: none). */
  proofOfDelivery: z.record(sizeClass, proofRequirementsSchema).optional(),
  /** delivery only: a failed delivery's return leg (drop-off → pickup) costs this share of that trip priced here. */
  failedDelivery: z
    .strictObject({
      returnLegBps: z.number().int("returnLegBps must be whole basis points").min(0, "returnLegBps must not be negative").max(MAX_RETURN_LEG_BPS, `returnLegBps must be at most ${MAX_RETURN_LEG_BPS} (200 %)`),
    })
    .optional(),
  surge: surgeSchema,
  scheduledSurchargeMinor: minor("scheduledSurchargeMinor"),
  taxRateBps: z.number().int("taxRateBps must be whole basis points").min(0, "taxRateBps must not be negative").max(10_000, "taxRateBps must be at most 10000 (100 %)"),
  /** How far the final fare may exceed the estimate without review, and the free wait at the pickup. */
  finalFare: z
    .strictObject({
      maxIncreaseBps: z
        .number()
        .int("maxIncreaseBps must be whole basis points")
        .min(0, "maxIncreaseBps must not be negative")
        .max(MAX_INCREASE_BPS_LIMIT, `maxIncreaseBps must be at most ${MAX_INCREASE_BPS_LIMIT} (50 %): more needs the rider's approval`),
      waitingGraceSeconds: z.number().int("waitingGraceSeconds must be whole seconds").min(0, "waitingGraceSeconds must not be negative").max(3_600, "waitingGraceSeconds must be at most 3600"),
    })
    .optional(),
  /** The platform's commission on this service type's fares (earnings domain); 20 % when absent. */
  commission: z
    .strictObject({
      rateBps: z
        .number()
        .int("rateBps must be whole basis points")
        .min(0, "rateBps must not be negative")
        .max(MAX_COMMISSION_BPS, `rateBps must be at most ${MAX_COMMISSION_BPS} (50 %)`),
      minimumMinor: minor("minimumMinor").optional(),
    })
    .optional(),
});
export type PricingConfig = z.infer<typeof pricingConfigSchema>;

/** The config schema with the rules that depend on the service type. */
export function pricingConfigSchemaFor(serviceType: ServiceType) {
  return pricingConfigSchema.superRefine((config, ctx) => {
    if (serviceType === "delivery" && !Object.keys(config.parcelSizeSurchargeMinor ?? {}).length) {
      ctx.addIssue({ code: "custom", path: ["parcelSizeSurchargeMinor"], message: "delivery pricing needs at least one parcel size class" });
    }
    for (const field of ["proofOfDelivery", "failedDelivery"] as const) {
      if (serviceType !== "delivery" && config[field] !== undefined) ctx.addIssue({ code: "custom", path: [field], message: `${field} applies to delivery pricing only` });
    }
    for (const size of Object.keys(config.proofOfDelivery ?? {})) {
      if (!Object.hasOwn(config.parcelSizeSurchargeMinor ?? {}, size)) {
        ctx.addIssue({ code: "custom", path: ["proofOfDelivery", size], message: `size class ${size} is not priced in parcelSizeSurchargeMinor` });
      }
    }
    if (serviceType !== "hourly") return;
    for (const [id, rates] of Object.entries(config.categories)) {
      for (const field of ["hourlyBlockMinor", "blockMinutes", "includedKmPerBlock"] as const) {
        if (rates[field] === undefined) ctx.addIssue({ code: "custom", path: ["categories", id, field], message: `hourly pricing needs ${field}` });
      }
      // A longer hire must never cost less: one more block may waive at most its own price in extra km.
      const waived = (rates.perKmMinor * (rates.includedKmPerBlock ?? 0)) + 1;
      if (rates.perKmMinor > 0 && rates.hourlyBlockMinor !== undefined && waived > rates.hourlyBlockMinor) {
        ctx.addIssue({
          code: "custom",
          path: ["categories", id, "includedKmPerBlock"],
          message: "the km included in a block, at perKmMinor, must cost less than the block itself",
        });
      }
    }
  });
}
