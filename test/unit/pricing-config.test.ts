// The admin-edited config schema (what the validation trigger accepts), the quote/booking comparison and the
// offline route estimate.
import { describe, expect, it } from "vitest";
import { pricing } from "../../scripts/seed/data";
import { pricingConfigSchemaFor } from "../../functions/src/pricing/configSchema";
import { describeIssues } from "../../functions/src/common/validation";
import { quoteMismatch, type BookedInputs, type QuotedInputs } from "../../functions/src/pricing/quoteMatch";
import { estimateLeg, greatCircleMeters, offlineMatrix, ROAD_FACTOR, speedKmh } from "../../functions/src/routing/offline";

const seed = (type: keyof typeof pricing) => JSON.parse(JSON.stringify(pricing[type])) as Record<string, any>;
const issuesOf = (type: "ride" | "delivery" | "hourly", config: unknown) => {
  const result = pricingConfigSchemaFor(type).safeParse(config);
  return result.success ? [] : describeIssues(result.error);
};

describe("pricing config schema", () => {
  it.each(["ride", "delivery", "hourly"] as const)("accepts the seed's %s pricing", (type) => {
    expect(issuesOf(type, seed(type))).toEqual([]);
  });

  it("names every bad field by its path", () => {
    const config = seed("ride");
    config.taxRateBps = -1;
    config.categories.economy.perKmMinor = 0.5;
    config.categories.economy.basefare = 1;
    config.surge.windows[0].endHour = 5;
    config.surge.zones[0].polygon = [{ lat: 0, lng: 0 }];
    config.currency = "EUR";
    const paths = issuesOf("ride", config).map((i) => i.path).sort();
    expect(paths).toEqual([
      "categories.economy.basefare",
      "categories.economy.perKmMinor",
      "currency",
      "surge.windows.0.endHour",
      "surge.zones.0.polygon",
      "taxRateBps",
    ]);
  });

  it("requires parcel classes for delivery and block settings for hourly", () => {
    const delivery = seed("delivery");
    delete delivery.parcelSizeSurchargeMinor;
    delete delivery.proofOfDelivery; // it names a size class, which would be refused as well
    expect(issuesOf("delivery", delivery).map((i) => i.path)).toEqual(["parcelSizeSurchargeMinor"]);
    const hourly = seed("hourly");
    delete hourly.categories.van.blockMinutes;
    expect(issuesOf("hourly", hourly).map((i) => i.path)).toEqual(["categories.van.blockMinutes"]);
  });

  it("refuses hourly rates where a longer hire could cost less", () => {
    const hourly = seed("hourly");
    hourly.categories.economy.perKmMinor = 200; // 20 km × 200 = 4000 ≥ the 2500 block
    expect(issuesOf("hourly", hourly).map((i) => i.path)).toEqual(["categories.economy.includedKmPerBlock"]);
  });

  it("refuses a multiplier below 1, a cap above 10 and an empty catalogue", () => {
    const config = seed("ride");
    config.surge.windows[0].multiplier = 0.8;
    config.surge.cap = 11;
    config.categories = {};
    expect(issuesOf("ride", config).map((i) => i.path).sort()).toEqual(["categories", "surge.cap", "surge.windows.0.multiplier"]);
  });
});

describe("quote vs booking", () => {
  const at = (ms: number) => ({ toMillis: () => ms });
  const now = Date.UTC(2026, 10, 25, 12);
  const quote: QuotedInputs = {
    riderId: "rita",
    serviceType: "delivery",
    categoryId: "van",
    pickup: { lat: 38.72, lng: -9.14 },
    dropoff: { lat: 38.75, lng: -9.13 },
    stops: [{ lat: 38.73, lng: -9.15 }],
    scheduledAt: at(now + 3600_000),
    parcelSizeClass: "medium",
    expiresAt: at(now + 60_000),
  };
  const booking: BookedInputs = {
    riderId: "rita",
    serviceType: "delivery",
    categoryId: "van",
    pickup: { lat: 38.72, lng: -9.14 },
    dropoff: { lat: 38.75, lng: -9.13 },
    stops: [{ lat: 38.73, lng: -9.15 }],
    scheduledAt: new Date(now + 3600_000),
    parcelSizeClass: "medium",
  };

  it("accepts the same inputs, within a metre", () => {
    expect(quoteMismatch(quote, booking, now)).toBeNull();
    expect(quoteMismatch(quote, { ...booking, pickup: { lat: 38.720005, lng: -9.140005 } }, now)).toBeNull();
  });

  it.each<[string, Partial<BookedInputs>, string]>([
    ["another rider", { riderId: "rui" }, "another rider"],
    ["another service", { serviceType: "ride" }, "service type"],
    ["another category", { categoryId: "moto" }, "category"],
    ["a moved pickup", { pickup: { lat: 38.721, lng: -9.14 } }, "pickup"],
    ["a moved dropoff", { dropoff: { lat: 38.75, lng: -9.131 } }, "dropoff"],
    ["a dropped stop", { stops: [] }, "stops"],
    ["another stop", { stops: [{ lat: 38.74, lng: -9.15 }] }, "stops"],
    ["another time", { scheduledAt: new Date(now + 7200_000) }, "scheduled time"],
    ["now instead of later", { scheduledAt: null }, "scheduled time"],
    ["a bigger parcel", { parcelSizeClass: "large" }, "parcel size"],
  ])("refuses %s", (_name, change, reason) => {
    expect(quoteMismatch(quote, { ...booking, ...change }, now)).toContain(reason);
  });

  it("refuses an expired quote", () => {
    expect(quoteMismatch(quote, booking, now + 60_000)).toContain("expired");
  });
});

describe("offline route estimate", () => {
  const marques = { lat: 38.7253, lng: -9.15 };
  const comercio = { lat: 38.7075, lng: -9.1364 };

  it("measures great circles", () => {
    // Lisbon → Porto is about 274 km as the crow flies
    expect(greatCircleMeters({ lat: 38.7223, lng: -9.1393 }, { lat: 41.1579, lng: -8.6291 }) / 1000).toBeCloseTo(274, -1);
    expect(greatCircleMeters(marques, marques)).toBe(0);
  });

  it("drives slower in the Lisbon rush hour than at night", () => {
    expect(speedKmh(new Date("2026-11-25T08:00:00Z"))).toBe(18);
    expect(speedKmh(new Date("2026-11-25T13:00:00Z"))).toBe(25);
    expect(speedKmh(new Date("2026-11-25T23:00:00Z"))).toBe(35);
    const rush = estimateLeg(marques, comercio, new Date("2026-11-25T08:00:00Z"));
    const night = estimateLeg(marques, comercio, new Date("2026-11-25T23:00:00Z"));
    expect(rush.distanceMeters).toBe(night.distanceMeters);
    expect(rush.distanceMeters).toBe(Math.round(greatCircleMeters(marques, comercio) * ROAD_FACTOR));
    expect(rush.durationSeconds).toBeGreaterThan(night.durationSeconds);
  });

  it("fills a whole matrix, labelled as an estimate", () => {
    const m = offlineMatrix([marques, comercio], [comercio, marques, marques], new Date());
    expect(m.source).toBe("offline-estimate");
    expect(m.distanceMeters.map((r) => r.length)).toEqual([3, 3]);
    expect(m.distanceMeters[0]![0]).toBe(m.distanceMeters[1]![1]);
    expect(m.distanceMeters[1]![0]).toBe(0);
  });
});
