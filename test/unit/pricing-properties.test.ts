// Properties of the fare engine over random valid configs and trips (fast-check).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pricingConfigSchemaFor, type PricingConfig } from "../../functions/src/pricing/configSchema";
import { computeFare, type FareInput } from "../../functions/src/pricing/engine";
import type { ServiceType } from "../../functions/src/common/schema";

const minor = (max = 5000) => fc.integer({ min: 0, max });
const multiplier = fc.integer({ min: 100, max: 300 }).map((n) => n / 100);
const latLng = fc.record({ lat: fc.double({ min: 38.6, max: 38.9, noNaN: true }), lng: fc.double({ min: -9.3, max: -9.0, noNaN: true }) });

const window = fc
  .record({ name: fc.constant("w"), days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }), startHour: fc.integer({ min: 0, max: 23 }), length: fc.integer({ min: 1, max: 24 }), multiplier })
  .map(({ length, ...w }) => ({ ...w, endHour: Math.min(24, w.startHour + length) }));

const zone = fc.record({ name: fc.constant("z"), multiplier, polygon: fc.array(latLng, { minLength: 3, maxLength: 6 }) });

/** Hourly rates keep the documented constraint: the km included in a block cost less than the block. */
const rates = (serviceType: ServiceType) =>
  fc
    .record({
      baseFareMinor: minor(),
      perKmMinor: minor(500),
      perMinuteMinor: minor(100),
      minimumFareMinor: minor(),
      bookingFeeMinor: minor(500),
      cancellationFeeMinor: minor(),
      perStopMinor: minor(500),
      blockMinutes: fc.integer({ min: 15, max: 240 }),
      includedKmPerBlock: fc.integer({ min: 0, max: 50 }),
      blockExtra: minor(),
    })
    .map(({ blockExtra, blockMinutes, includedKmPerBlock, ...r }) =>
      serviceType === "hourly" ? { ...r, blockMinutes, includedKmPerBlock, hourlyBlockMinor: r.perKmMinor * includedKmPerBlock + 1 + blockExtra } : r,
    );

const configFor = (serviceType: ServiceType): fc.Arbitrary<PricingConfig> =>
  fc.record({
    currency: fc.constant("eur"),
    categories: rates(serviceType).map((c) => ({ cat: c })),
    parcelSizeSurchargeMinor: fc.record({ small: minor(300), large: minor(800) }),
    surge: fc.record({ cap: multiplier, windows: fc.array(window, { maxLength: 4 }), zones: fc.array(zone, { maxLength: 3 }) }),
    scheduledSurchargeMinor: minor(500),
    taxRateBps: fc.integer({ min: 0, max: 3000 }),
  });

const tripFor = (serviceType: ServiceType): fc.Arbitrary<FareInput> =>
  fc.record({
    serviceType: fc.constant(serviceType),
    categoryId: fc.constant("cat"),
    distanceMeters: fc.integer({ min: 0, max: 300_000 }),
    durationSeconds: fc.integer({ min: 0, max: 5 * 3600 }),
    stopCount: fc.integer({ min: 0, max: 5 }),
    pickup: latLng,
    at: fc.date({ min: new Date("2026-01-01T00:00:00Z"), max: new Date("2027-12-31T00:00:00Z"), noInvalidDate: true }),
    scheduled: fc.boolean(),
    parcelSizeClass: fc.constantFrom("small", "large", null),
  });

const scenario = fc.constantFrom<ServiceType>("ride", "delivery", "hourly").chain((serviceType) =>
  fc.record({ serviceType: fc.constant(serviceType), config: configFor(serviceType), trip: tripFor(serviceType) }),
);

describe("fare engine properties", () => {
  it("the generated configs are valid configs", () => {
    fc.assert(fc.property(scenario, ({ serviceType, config }) => pricingConfigSchemaFor(serviceType).safeParse(config).success));
  });

  it("totals are whole, non-negative, at least the minimum, and the breakdown adds up", () => {
    fc.assert(
      fc.property(scenario, ({ config, trip }) => {
        const fare = computeFare(config, trip);
        expect(Number.isSafeInteger(fare.amountMinor)).toBe(true);
        expect(fare.amountMinor).toBeGreaterThanOrEqual(config.categories.cat!.minimumFareMinor);
        expect(fare.breakdown.reduce((sum, line) => sum + line.amountMinor, 0)).toBe(fare.amountMinor);
        for (const line of fare.breakdown) {
          expect(Number.isSafeInteger(line.amountMinor) && line.amountMinor > 0).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("never costs less for a longer distance", () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 0, max: 100_000 }), ({ config, trip }, extra) => {
        const shorter = computeFare(config, trip).amountMinor;
        const longer = computeFare(config, { ...trip, distanceMeters: trip.distanceMeters + extra }).amountMinor;
        expect(longer).toBeGreaterThanOrEqual(shorter);
      }),
      { numRuns: 500 },
    );
  });

  it("never costs less for a longer time", () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 0, max: 4 * 3600 }), ({ config, trip }, extra) => {
        const quicker = computeFare(config, trip).amountMinor;
        const slower = computeFare(config, { ...trip, durationSeconds: trip.durationSeconds + extra }).amountMinor;
        expect(slower).toBeGreaterThanOrEqual(quicker);
      }),
      { numRuns: 500 },
    );
  });

  it("surge never lowers a fare and never exceeds the cap", () => {
    fc.assert(
      fc.property(scenario, ({ config, trip }) => {
        const fare = computeFare(config, trip);
        const calm = computeFare({ ...config, surge: { ...config.surge, windows: [], zones: [] } }, trip);
        expect(fare.amountMinor).toBeGreaterThanOrEqual(calm.amountMinor);
        expect(fare.surgeMultiplierBps).toBeLessThanOrEqual(Math.round(config.surge.cap * 10_000));
        expect(fare.surgeMultiplierBps).toBeGreaterThanOrEqual(10_000);
      }),
      { numRuns: 300 },
    );
  });
});
