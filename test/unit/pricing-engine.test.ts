// The fare engine pinned on hand-worked cases. Every expected figure is worked out in the comment next to it,
// with the one rounding rule: each fractional line rounded on its own, half up, to a whole cent.
import { describe, expect, it } from "vitest";
import type { PricingConfig } from "../../functions/src/pricing/configSchema";
import { localTime } from "../../functions/src/pricing/localTime";
import {
  cancellationFee,
  computeFare,
  divRoundHalfUp,
  pointInPolygon,
  PricingError,
  surgeMultiplier,
  type FareInput,
} from "../../functions/src/pricing/engine";

const square = (lat: number, lng: number, half: number) => [
  { lat: lat - half, lng: lng - half },
  { lat: lat - half, lng: lng + half },
  { lat: lat + half, lng: lng + half },
  { lat: lat + half, lng: lng - half },
];

const AIRPORT = { lat: 38.77, lng: -9.13 };
const CENTRE = { lat: 38.71, lng: -9.14 }; // inside both "centre" and "inner"
const CENTRE_EDGE = { lat: 38.71 + 0.015, lng: -9.14 }; // inside "centre" only
const NOWHERE = { lat: 38.6, lng: -9.3 };

const ride: PricingConfig = {
  currency: "eur",
  categories: {
    std: { baseFareMinor: 200, perKmMinor: 100, perMinuteMinor: 20, minimumFareMinor: 500, bookingFeeMinor: 50, cancellationFeeMinor: 300, perStopMinor: 150 },
    lux: { baseFareMinor: 400, perKmMinor: 175, perMinuteMinor: 33, minimumFareMinor: 1000, bookingFeeMinor: 0, cancellationFeeMinor: 500, perStopMinor: 0 },
  },
  surge: {
    cap: 1.8,
    windows: [
      { name: "rush", days: [1, 2, 3, 4, 5], startHour: 7, endHour: 10, multiplier: 1.5 },
      { name: "monday morning", days: [1], startHour: 8, endHour: 9, multiplier: 1.25 },
      { name: "weekend night", days: [5, 6], startHour: 22, endHour: 24, multiplier: 1.2 },
    ],
    zones: [
      { name: "airport", multiplier: 1.4, polygon: square(AIRPORT.lat, AIRPORT.lng, 0.01) },
      { name: "centre", multiplier: 1.1, polygon: square(CENTRE.lat, CENTRE.lng, 0.02) },
      { name: "inner", multiplier: 1.3, polygon: square(CENTRE.lat, CENTRE.lng, 0.005) },
    ],
  },
  scheduledSurchargeMinor: 200,
  taxRateBps: 0,
};

const delivery: PricingConfig = {
  currency: "eur",
  categories: { bike: { baseFareMinor: 100, perKmMinor: 50, perMinuteMinor: 0, minimumFareMinor: 300, bookingFeeMinor: 0, cancellationFeeMinor: 100, perStopMinor: 80 } },
  parcelSizeSurchargeMinor: { medium: 150, small: 0, large: 400 },
  surge: { cap: 2, windows: [{ name: "rush", days: [1, 2, 3, 4, 5], startHour: 7, endHour: 10, multiplier: 1.5 }], zones: [] },
  scheduledSurchargeMinor: 100,
  taxRateBps: 2300,
};

const hourly: PricingConfig = {
  currency: "eur",
  categories: {
    car: { baseFareMinor: 0, perKmMinor: 50, perMinuteMinor: 0, minimumFareMinor: 3000, bookingFeeMinor: 0, cancellationFeeMinor: 1000, perStopMinor: 100, hourlyBlockMinor: 2500, blockMinutes: 60, includedKmPerBlock: 20 },
  },
  surge: { cap: 1.5, windows: [], zones: [] },
  scheduledSurchargeMinor: 0,
  taxRateBps: 600,
};

// 2026-11-25 is a Wednesday; Lisbon is on UTC+0 in November and UTC+1 in July.
const WED_NOON = new Date("2026-11-25T12:00:00Z");
const WED_0830 = new Date("2026-11-25T08:30:00Z");

const trip = (over: Partial<FareInput> = {}): FareInput => ({
  serviceType: "ride",
  categoryId: "std",
  distanceMeters: 10_000,
  durationSeconds: 900,
  stopCount: 0,
  pickup: NOWHERE,
  at: WED_NOON,
  scheduled: false,
  ...over,
});

interface Case {
  name: string;
  config?: PricingConfig;
  input: Partial<FareInput>;
  lines: Record<string, number>;
  total: number;
}

const cases: Case[] = [
  // base 200 + 10 km × 100 + 15 min × 20 + booking 50
  { name: "plain ride", input: {}, lines: { base: 200, distance: 1000, time: 300, booking_fee: 50 }, total: 1550 },
  // 175 × 10.010 km = 1751.75 → 1752; no booking fee line (0 is omitted)
  { name: "distance rounds up above .5", input: { categoryId: "lux", distanceMeters: 10_010, durationSeconds: 0 }, lines: { base: 400, distance: 1752 }, total: 2152 },
  // 175 × 0.020 km = 3.5 → 4 (half up); 404 < 1000 → +596
  { name: "distance exactly half rounds up, then minimum", input: { categoryId: "lux", distanceMeters: 20, durationSeconds: 0 }, lines: { base: 400, distance: 4, minimum_fare: 596 }, total: 1000 },
  // 175 × 10.002 km = 1750.35 → 1750
  { name: "distance rounds down below .5", input: { categoryId: "lux", distanceMeters: 10_002, durationSeconds: 0 }, lines: { base: 400, distance: 1750 }, total: 2150 },
  // 33 × 50/60 min = 27.5 → 28
  { name: "time exactly half rounds up", input: { categoryId: "lux", durationSeconds: 50 }, lines: { base: 400, distance: 1750, time: 28 }, total: 2178 },
  // 33 × 95/60 min = 52.25 → 52
  { name: "time rounds down", input: { categoryId: "lux", durationSeconds: 95 }, lines: { base: 400, distance: 1750, time: 52 }, total: 2202 },
  // 2 stops × 150
  { name: "per-stop charge", input: { stopCount: 2 }, lines: { base: 200, distance: 1000, time: 300, stops: 300, booking_fee: 50 }, total: 1850 },
  // 200 + 100 + 20 + 50 = 370 < 500 → +130
  { name: "minimum fare tops up a short trip", input: { distanceMeters: 1000, durationSeconds: 60 }, lines: { base: 200, distance: 100, time: 20, booking_fee: 50, minimum_fare: 130 }, total: 500 },
  // 200 + 250 + 50 = 500: exactly the minimum, no adjustment line
  { name: "exactly the minimum needs no adjustment", input: { distanceMeters: 2500, durationSeconds: 0 }, lines: { base: 200, distance: 250, booking_fee: 50 }, total: 500 },
  // 200 + 50 = 250 → +250
  { name: "zero distance and time", input: { distanceMeters: 0, durationSeconds: 0 }, lines: { base: 200, booking_fee: 50, minimum_fare: 250 }, total: 500 },
  // 1550 × 23 % = 356.5 → 357
  { name: "tax exactly half rounds up", config: { ...ride, taxRateBps: 2300 }, input: {}, lines: { base: 200, distance: 1000, time: 300, booking_fee: 50, tax: 357 }, total: 1907 },
  // 1550 × 12.34 % = 191.27 → 191
  { name: "tax rounds down", config: { ...ride, taxRateBps: 1234 }, input: {}, lines: { base: 200, distance: 1000, time: 300, booking_fee: 50, tax: 191 }, total: 1741 },
  // minimum 500, then 6 % tax on it = 30
  { name: "tax applies on top of the minimum fare", config: { ...ride, taxRateBps: 600 }, input: { distanceMeters: 1000, durationSeconds: 60 }, lines: { base: 200, distance: 100, time: 20, booking_fee: 50, minimum_fare: 130, tax: 30 }, total: 530 },
  // + scheduled 200
  { name: "scheduled surcharge", input: { scheduled: true }, lines: { base: 200, distance: 1000, time: 300, booking_fee: 50, scheduled_surcharge: 200 }, total: 1750 },
  // 200 + 100 + 20 + 50 + 200 = 570 ≥ 500: the surcharge counts toward the minimum
  { name: "scheduled surcharge counts toward the minimum", input: { distanceMeters: 1000, durationSeconds: 60, scheduled: true }, lines: { base: 200, distance: 100, time: 20, booking_fee: 50, scheduled_surcharge: 200 }, total: 570 },
  // trip 1500 × 0.5 = 750 (Wed 08:30 Lisbon = rush ×1.5)
  { name: "weekday rush window", input: { at: WED_0830 }, lines: { base: 200, distance: 1000, time: 300, surge: 750, booking_fee: 50 }, total: 2300 },
  { name: "window start hour is inclusive", input: { at: new Date("2026-11-25T07:00:00Z") }, lines: { base: 200, distance: 1000, time: 300, surge: 750, booking_fee: 50 }, total: 2300 },
  { name: "window end hour is exclusive", input: { at: new Date("2026-11-25T10:00:00Z") }, lines: { base: 200, distance: 1000, time: 300, booking_fee: 50 }, total: 1550 },
  // Monday 08:30: rush ×1.5 and "monday morning" ×1.25 overlap → the highest window, ×1.5 (no stacking)
  { name: "overlapping windows: highest wins", input: { at: new Date("2026-11-23T08:30:00Z") }, lines: { base: 200, distance: 1000, time: 300, surge: 750, booking_fee: 50 }, total: 2300 },
  { name: "weekday window does not apply on Saturday", input: { at: new Date("2026-11-28T08:30:00Z") }, lines: { base: 200, distance: 1000, time: 300, booking_fee: 50 }, total: 1550 },
  // 06:30 UTC on a July Monday is 07:30 in Lisbon (WEST, UTC+1): rush
  { name: "windows follow Lisbon summer time", input: { at: new Date("2026-07-06T06:30:00Z") }, lines: { base: 200, distance: 1000, time: 300, surge: 750, booking_fee: 50 }, total: 2300 },
  // 06:30 UTC on a November Monday is 06:30 in Lisbon (WET): no surge
  { name: "windows follow Lisbon winter time", input: { at: new Date("2026-11-23T06:30:00Z") }, lines: { base: 200, distance: 1000, time: 300, booking_fee: 50 }, total: 1550 },
  // airport ×1.4: 1500 × 0.4 = 600
  { name: "zone surge on pickup", input: { pickup: AIRPORT }, lines: { base: 200, distance: 1000, time: 300, surge: 600, booking_fee: 50 }, total: 2150 },
  // inner ×1.3 inside centre ×1.1 → the highest zone, ×1.3: 1500 × 0.3 = 450
  { name: "overlapping zones: highest wins", input: { pickup: CENTRE }, lines: { base: 200, distance: 1000, time: 300, surge: 450, booking_fee: 50 }, total: 2000 },
  // rush 1.5 × airport 1.4 = 2.1 → cap 1.8: 1500 × 0.8 = 1200
  { name: "window × zone is capped", input: { at: WED_0830, pickup: AIRPORT }, lines: { base: 200, distance: 1000, time: 300, surge: 1200, booking_fee: 50 }, total: 2750 },
  // Friday 23:00 weekend night 1.2 × centre 1.1 = 1.32 (under the cap): 1500 × 0.32 = 480
  { name: "window × zone multiply under the cap", input: { at: new Date("2026-11-27T23:00:00Z"), pickup: CENTRE_EDGE }, lines: { base: 200, distance: 1000, time: 300, surge: 480, booking_fee: 50 }, total: 2030 },
  // distance 1000.5 → 1001; trip 1501 × 0.5 = 750.5 → 751
  { name: "surge line rounds half up on its own", input: { at: WED_0830, distanceMeters: 10_005 }, lines: { base: 200, distance: 1001, time: 300, surge: 751, booking_fee: 50 }, total: 2302 },
  // surge only on the trip (1500), not on the booking fee or the scheduled surcharge
  { name: "surge leaves fees alone", input: { at: WED_0830, scheduled: true }, lines: { base: 200, distance: 1000, time: 300, surge: 750, booking_fee: 50, scheduled_surcharge: 200 }, total: 2500 },
  // trip 320 × 0.5 = 160; 320 + 160 + 50 = 530 ≥ 500
  { name: "surge counts toward the minimum", input: { at: WED_0830, distanceMeters: 1000, durationSeconds: 60 }, lines: { base: 200, distance: 100, time: 20, surge: 160, booking_fee: 50 }, total: 530 },
  // 100 + 4 km × 50 + medium 150 = 450; tax 23 % = 103.5 → 104
  { name: "delivery with a parcel size class", config: delivery, input: { serviceType: "delivery", categoryId: "bike", distanceMeters: 4000, durationSeconds: 600, parcelSizeClass: "medium" }, lines: { base: 100, distance: 200, parcel_size: 150, tax: 104 }, total: 554 },
  // no class → the cheapest (small, 0): 300; tax 69
  { name: "delivery defaults to the cheapest size class", config: delivery, input: { serviceType: "delivery", categoryId: "bike", distanceMeters: 4000, durationSeconds: 600 }, lines: { base: 100, distance: 200, tax: 69 }, total: 369 },
  // trip 300 × 0.5 = 150; the large parcel 400 is not surged; 850 × 23 % = 195.5 → 196
  { name: "delivery surge leaves the parcel surcharge alone", config: delivery, input: { serviceType: "delivery", categoryId: "bike", distanceMeters: 4000, durationSeconds: 600, parcelSizeClass: "large", at: WED_0830 }, lines: { base: 100, distance: 200, parcel_size: 400, surge: 150, tax: 196 }, total: 1046 },
  // 90 min → 2 blocks × 2500; 30 km ≤ 2 × 20 km included; tax 6 % = 300
  { name: "hourly: blocks round up, km included", config: hourly, input: { serviceType: "hourly", categoryId: "car", distanceMeters: 30_000, durationSeconds: 5400 }, lines: { hourly_blocks: 5000, tax: 300 }, total: 5300 },
  // 30 min → 1 block 2500; 35 − 20 = 15 km × 50 = 750; 3250 × 6 % = 195
  { name: "hourly: extra km beyond the included", config: hourly, input: { serviceType: "hourly", categoryId: "car", distanceMeters: 35_000, durationSeconds: 1800 }, lines: { hourly_blocks: 2500, extra_distance: 750, tax: 195 }, total: 3445 },
  // 1 block 2500 < minimum 3000 → +500; tax 180
  { name: "hourly: minimum fare", config: hourly, input: { serviceType: "hourly", categoryId: "car", distanceMeters: 5000, durationSeconds: 1800 }, lines: { hourly_blocks: 2500, minimum_fare: 500, tax: 180 }, total: 3180 },
  // exactly 60 min is one block; +1 s is two; 2 stops × 100
  { name: "hourly: exactly one block", config: hourly, input: { serviceType: "hourly", categoryId: "car", distanceMeters: 0, durationSeconds: 3600, stopCount: 2 }, lines: { hourly_blocks: 2500, stops: 200, minimum_fare: 300, tax: 180 }, total: 3180 },
  { name: "hourly: one second more is a second block", config: hourly, input: { serviceType: "hourly", categoryId: "car", distanceMeters: 0, durationSeconds: 3601 }, lines: { hourly_blocks: 5000, tax: 300 }, total: 5300 },
  // zero duration still books one block
  { name: "hourly: zero duration is one block", config: hourly, input: { serviceType: "hourly", categoryId: "car", distanceMeters: 0, durationSeconds: 0 }, lines: { hourly_blocks: 2500, minimum_fare: 500, tax: 180 }, total: 3180 },
];

describe("fare engine: hand-worked cases", () => {
  it.each(cases)("$name", ({ config = ride, input, lines, total }) => {
    const fare = computeFare(config, trip(input));
    expect(Object.fromEntries(fare.breakdown.map((l) => [l.code, l.amountMinor]))).toEqual(lines);
    expect(fare.amountMinor).toBe(total);
    expect(fare.breakdown.reduce((s, l) => s + l.amountMinor, 0)).toBe(total);
    expect(fare.currency).toBe(config.currency);
  });

  it("keeps the component order of the breakdown and labels every line", () => {
    const fare = computeFare({ ...ride, taxRateBps: 600 }, trip({ at: WED_0830, stopCount: 1, scheduled: true }));
    expect(fare.breakdown.map((l) => l.code)).toEqual(["base", "distance", "time", "stops", "surge", "booking_fee", "scheduled_surcharge", "tax"]);
    expect(fare.breakdown.find((l) => l.code === "surge")?.label).toBe("Surge ×1.50 (rush)");
    expect(fare.breakdown.every((l) => l.label.length > 0)).toBe(true);
  });

  it("reports the surge multiplier applied and why", () => {
    expect(computeFare(ride, trip({ at: WED_0830, pickup: AIRPORT }))).toMatchObject({ surgeMultiplierBps: 18_000, surgeReasons: ["rush", "airport"] });
    expect(computeFare(ride, trip())).toMatchObject({ surgeMultiplierBps: 10_000, surgeReasons: [] });
  });

  it("refuses an unpriced category, an unknown parcel class and impossible inputs", () => {
    expect(() => computeFare(ride, trip({ categoryId: "van" }))).toThrow(PricingError);
    expect(() => computeFare(delivery, trip({ serviceType: "delivery", categoryId: "bike", parcelSizeClass: "huge" }))).toThrow(/huge/);
    expect(() => computeFare(ride, trip({ distanceMeters: -1 }))).toThrow(/distanceMeters/);
    expect(() => computeFare(ride, trip({ durationSeconds: Number.NaN }))).toThrow(/durationSeconds/);
    expect(() => computeFare(ride, trip({ distanceMeters: 10.5 }))).toThrow(/distanceMeters/);
  });

  it("never prices a category or parcel size named like an Object.prototype member (client strings are own keys only)", () => {
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"]) {
      expect(() => computeFare(ride, trip({ categoryId: name })), name).toThrow(PricingError);
      expect(() => computeFare(delivery, trip({ serviceType: "delivery", categoryId: "bike", parcelSizeClass: name })), name).toThrow(PricingError);
      expect(cancellationFee(ride, name)).toEqual({ amountMinor: 0, currency: "eur" });
    }
  });

  it("gives the cancellation fee of a category, 0 when unpriced", () => {
    expect(cancellationFee(ride, "lux")).toEqual({ amountMinor: 500, currency: "eur" });
    expect(cancellationFee(ride, "van")).toEqual({ amountMinor: 0, currency: "eur" });
  });
});

describe("fare engine: building blocks", () => {
  it("rounds integer division half up", () => {
    expect([divRoundHalfUp(7, 2), divRoundHalfUp(5, 4), divRoundHalfUp(6, 4), divRoundHalfUp(0, 3), divRoundHalfUp(1, 3), divRoundHalfUp(2, 3)]).toEqual([4, 1, 2, 0, 0, 1]);
  });

  it("tells points inside a polygon from points outside", () => {
    const zone = square(0, 0, 1);
    expect(pointInPolygon({ lat: 0.5, lng: -0.5 }, zone)).toBe(true);
    expect(pointInPolygon({ lat: 1.5, lng: 0 }, zone)).toBe(false);
    const concave = [{ lat: 0, lng: 0 }, { lat: 0, lng: 4 }, { lat: 4, lng: 4 }, { lat: 4, lng: 3 }, { lat: 1, lng: 3 }, { lat: 1, lng: 1 }, { lat: 4, lng: 1 }, { lat: 4, lng: 0 }];
    expect(pointInPolygon({ lat: 3, lng: 2 }, concave)).toBe(false); // in the notch
    expect(pointInPolygon({ lat: 3, lng: 0.5 }, concave)).toBe(true);
  });

  it("reads Lisbon weekday and hour across the DST change (cached per 15-minute slot)", () => {
    // 2026-03-29: clocks go from 01:00 WET to 02:00 WEST; Sunday
    expect(localTime(new Date("2026-03-29T00:59:00Z"))).toEqual({ weekday: 0, hour: 0 });
    expect(localTime(new Date("2026-03-29T01:00:00Z"))).toEqual({ weekday: 0, hour: 2 });
    expect(localTime(new Date("2026-03-28T23:30:00Z"))).toEqual({ weekday: 6, hour: 23 });
    expect(localTime(new Date("2026-03-28T23:30:00Z"), "Asia/Kolkata")).toEqual({ weekday: 0, hour: 5 });
  });

  it("never surges below ×1, even with a cap that is exactly the product", () => {
    const surge = { cap: 1.5, windows: [{ name: "w", days: [3], startHour: 0, endHour: 24, multiplier: 1.5 }], zones: [] };
    expect(surgeMultiplier(surge, NOWHERE, WED_NOON).bps).toBe(15_000);
    expect(surgeMultiplier({ ...surge, windows: [] }, NOWHERE, WED_NOON)).toEqual({ bps: 10_000, reasons: [] });
  });
});
