// The final fare is upfront and bounded (issue: a driver set the fare with a forged track). Pure logic only:
// the emulator tests (test/integration/fareBounds.test.ts) check the same bound on the money itself.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pricingConfigSchemaFor, type PricingConfig } from "../../functions/src/pricing/configSchema";
import { computeFare, type FareLine } from "../../functions/src/pricing/engine";
import { billableWaitingMinutes, DEFAULT_FINAL_FARE_POLICY, fareCapMinor, finalFare, MAX_INCREASE_BPS_LIMIT } from "../../functions/src/pricing/finalFare";
import { DEFAULT_PATH_FILTER, measureTrip, pointsFromChunks, TRIP_WINDOW_SLACK_MS, type TrackPoint } from "../../functions/src/tracking/path";

const sum = (lines: FareLine[]) => lines.reduce((total, line) => total + line.amountMinor, 0);
const estimate = {
  amountMinor: 764,
  breakdown: [
    { code: "base", label: "Base fare", amountMinor: 200 },
    { code: "distance", label: "Distance (3.0 km)", amountMinor: 300 },
    { code: "time", label: "Time (10 min)", amountMinor: 200 },
    { code: "tax", label: "Tax (6%)", amountMinor: 64 },
  ] satisfies FareLine[],
};
const base = { serviceType: "ride" as const, estimate, waitingSeconds: 0, perMinuteMinor: 20, taxRateBps: 600, policy: DEFAULT_FINAL_FARE_POLICY };

describe("final fare: upfront", () => {
  it("a ride costs its quote, however the trip was measured", () => {
    const fare = finalFare(base);
    expect(fare).toMatchObject({ amountMinor: 764, proposedMinor: 764, capMinor: 917, capped: false });
    expect(fare.breakdown).toEqual(estimate.breakdown);
  });

  it("waiting past the grace period adds whole started minutes at the per-minute rate, with its tax", () => {
    expect(billableWaitingMinutes(300, 300)).toBe(0);
    expect(billableWaitingMinutes(301, 300)).toBe(1);
    expect(billableWaitingMinutes(Number.NaN, 300)).toBe(0);
    const fare = finalFare({ ...base, waitingSeconds: 300 + 4 * 60 + 10 }); // 5 started minutes past grace
    expect(fare.breakdown.find((l) => l.code === "waiting")).toEqual({ code: "waiting", label: "Waiting at pickup (5 min)", amountMinor: 100 });
    expect(fare.breakdown.find((l) => l.code === "tax")?.amountMinor).toBe(64 + 6);
    expect(fare.amountMinor).toBe(764 + 106);
    expect(sum(fare.breakdown)).toBe(fare.amountMinor);
  });

  it("a long wait is capped: the excess is proposed, never charged", () => {
    const fare = finalFare({ ...base, waitingSeconds: 3 * 3600 });
    expect(fare.capped).toBe(true);
    expect(fare.amountMinor).toBe(917);
    expect(fare.proposedMinor).toBeGreaterThan(917);
    expect(sum(fare.breakdown)).toBe(917);
    expect(fare.breakdown.at(-1)).toMatchObject({ code: "tax", amountMinor: Math.floor((2 * 917 * 600 + 10_600) / (2 * 10_600)) });
    expect(fare.breakdown.find((l) => l.code === "fare_cap")!.amountMinor).toBeLessThan(0);
  });

  it("the cap fixed at booking wins over a looser policy later", () => {
    expect(finalFare({ ...base, capMinor: 800, waitingSeconds: 3600 }).amountMinor).toBe(800);
    expect(finalFare({ ...base, capMinor: 10_000, waitingSeconds: 3 * 3600 }).amountMinor).toBe(917);
  });
});

describe("final fare: the cap", () => {
  it("is the estimate plus the margin, rounded up, never more than 50 %", () => {
    expect(fareCapMinor(1000)).toBe(1200);
    expect(fareCapMinor(1001)).toBe(1202);
    expect(fareCapMinor(1000, 0)).toBe(1000);
    expect(fareCapMinor(1000, 9_000)).toBe(1000 + 1000 * (MAX_INCREASE_BPS_LIMIT / 10_000));
    expect(fareCapMinor(1000, -5)).toBe(1000);
  });

  it("an admin cannot set a margin above 50 % (the pricing config refuses it with a readable message)", () => {
    const config = {
      currency: "eur",
      categories: { std: { baseFareMinor: 200, perKmMinor: 100, perMinuteMinor: 20, minimumFareMinor: 500, bookingFeeMinor: 0, cancellationFeeMinor: 0, perStopMinor: 0 } },
      surge: { cap: 1, windows: [], zones: [] },
      scheduledSurchargeMinor: 0,
      taxRateBps: 0,
    };
    expect(pricingConfigSchemaFor("ride").safeParse({ ...config, finalFare: { maxIncreaseBps: 5000, waitingGraceSeconds: 120 } }).success).toBe(true);
    const refused = pricingConfigSchemaFor("ride").safeParse({ ...config, finalFare: { maxIncreaseBps: 5001, waitingGraceSeconds: 120 } });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]).toMatchObject({ path: ["finalFare", "maxIncreaseBps"], message: expect.stringContaining("at most 5000") });
  });
});

// --- the forged track of the report: 120 points 12 km apart, each "179 s" after the last, ten chunks ---
const HOURLY: PricingConfig = {
  currency: "eur",
  categories: {
    car: { baseFareMinor: 0, perKmMinor: 100, perMinuteMinor: 0, minimumFareMinor: 0, bookingFeeMinor: 0, cancellationFeeMinor: 0, perStopMinor: 0, hourlyBlockMinor: 2500, blockMinutes: 60, includedKmPerBlock: 10 },
  },
  surge: { cap: 1, windows: [], zones: [] },
  scheduledSurchargeMinor: 0,
  taxRateBps: 600,
};
const START = Date.UTC(2026, 11, 6, 10, 0, 0);
const TEN_MINUTES = { startMs: START, endMs: START + 600_000 };
const ROUTE = { distanceMeters: 3_000, durationSeconds: 600 };

function forgedChunks(): Array<{ points: TrackPoint[]; writtenAtMs: number }> {
  let t = START;
  let lat = 38.7;
  return Array.from({ length: 10 }, (_, chunk) => ({
    points: Array.from({ length: 120 }, () => {
      const point = { lat, lng: -9.14, t };
      lat += 12_000 / 111_195; // 12 km north
      t += 179_000;
      return point;
    }),
    writtenAtMs: START + (chunk + 1) * 60_000, // sent once a minute during the real ten minutes
  }));
}

describe("the measured track is evidence, bounded by the server's clock", () => {
  it("the report's forged track measures at most what a car can drive in the trip's real duration", () => {
    const measured = measureTrip(pointsFromChunks(forgedChunks()), ROUTE, DEFAULT_PATH_FILTER, TEN_MINUTES);
    expect(measured.distanceMeters).toBeLessThanOrEqual(DEFAULT_PATH_FILTER.maxSpeedMps * (600 + (2 * TRIP_WINDOW_SLACK_MS) / 1000));
    expect(measured.flags).toContain("implausible_points");
    // And a ride is charged its quote whatever the track says.
    expect(finalFare({ ...base }).amountMinor).toBe(764);
  });

  it("points stamped after their chunk was written are dropped", () => {
    const points = Array.from({ length: 10 }, (_, i) => ({ lat: 38.7 + i * 0.0004, lng: -9.14, t: START + i * 5_000 }));
    const honest = measureTrip(pointsFromChunks([{ points, writtenAtMs: START + 60_000 }]), ROUTE);
    expect(honest.source).toBe("track");
    const early = measureTrip(pointsFromChunks([{ points, writtenAtMs: START - 60_000 }]), ROUTE);
    expect(early.source).toBe("route-estimate");
    expect(early.flags).toContain("track_sparse");
  });

  it("property: any forged sequence of chunks → distance within physics, fare within the cap", () => {
    const point = fc.record({
      lat: fc.double({ min: -90, max: 90, noNaN: true }),
      lng: fc.double({ min: -180, max: 180, noNaN: true }),
      t: fc.integer({ min: START - 86_400_000, max: START + 86_400_000 }),
      accuracy: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined }),
    });
    const chunk = fc.record({ points: fc.array(point, { minLength: 1, maxLength: 120 }), writtenAtMs: fc.integer({ min: START, max: START + 3_600_000 }) });
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 12 }), fc.integer({ min: 60, max: 3 * 3600 }), fc.integer({ min: 0, max: 5_000 }), (chunks, tripSeconds, marginBps) => {
        const window = { startMs: START, endMs: START + tripSeconds * 1000 };
        const measured = measureTrip(pointsFromChunks(chunks.map((c) => ({ ...c, points: c.points.map((p) => (p.accuracy === undefined ? { lat: p.lat, lng: p.lng, t: p.t } : p)) }))), ROUTE, DEFAULT_PATH_FILTER, window);
        if (measured.source === "track") {
          expect(measured.distanceMeters).toBeLessThanOrEqual(Math.ceil(DEFAULT_PATH_FILTER.maxSpeedMps * (tripSeconds + (2 * TRIP_WINDOW_SLACK_MS) / 1000)) + 1);
        }
        const metered = computeFare(HOURLY, {
          serviceType: "hourly",
          categoryId: "car",
          distanceMeters: measured.distanceMeters,
          durationSeconds: tripSeconds,
          stopCount: 0,
          pickup: { lat: 38.7, lng: -9.14 },
          at: new Date(START),
          scheduled: false,
        });
        const quoted = { amountMinor: 2650, breakdown: [{ code: "hourly_blocks", label: "1 h", amountMinor: 2500 }, { code: "tax", label: "Tax", amountMinor: 150 }] as FareLine[] };
        const fare = finalFare({ serviceType: "hourly", estimate: quoted, metered, waitingSeconds: 0, perMinuteMinor: 0, taxRateBps: 600, policy: { maxIncreaseBps: marginBps, waitingGraceSeconds: 300 } });
        expect(fare.amountMinor).toBeLessThanOrEqual(fareCapMinor(2650, marginBps));
        expect(sum(fare.breakdown)).toBe(fare.amountMinor);
      }),
      { numRuns: 300 },
    );
  });
});
