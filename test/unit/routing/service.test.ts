// planRoute / optimizeStopOrder with the real offline estimate and with a fake asymmetric provider (no emulator).
import { describe, expect, it } from "vitest";
import { optimizeStopOrder, planRoute } from "../../../functions/src/routing/service.js";
import { NoRouteError, offlineRoutingProvider, type RoutingProvider } from "../../../functions/src/routing/provider.js";
import type { LatLng } from "../../../functions/src/common/schema.js";

// Along Avenida da Liberdade / Baixa, Lisbon, roughly south to north.
const line = (k: number): LatLng => ({ lat: 38.705 + 0.004 * k, lng: -9.14 });
const START = line(0);
const SHUFFLED = [5, 2, 8, 1, 4, 7, 3, 6].map(line); // stops at 1..8, shuffled
const sortedOrder = [1, 2, 3, 4, 5, 6, 7, 8].map((k) => SHUFFLED.findIndex((p) => p.lat === line(k).lat));
const offline = offlineRoutingProvider();

describe("planRoute", () => {
  it("orders stops along a line and sums the legs", async () => {
    const plan = await planRoute({ start: START, stops: SHUFFLED }, { provider: offline });
    expect(plan.order).toEqual(sortedOrder);
    expect(plan.method).toBe("exact");
    expect(plan.source).toBe("offline-estimate");
    expect(plan.estimated).toBe(true);
    expect(plan.legs).toHaveLength(8);
    expect(plan.legs[0]).toMatchObject({ fromStop: null, toStop: sortedOrder[0] });
    expect(plan.legs.at(-1)).toMatchObject({ fromStop: sortedOrder[6], toStop: sortedOrder[7] });
    expect(plan.distanceMeters).toBe(plan.legs.reduce((sum, leg) => sum + leg.distanceMeters, 0));
    expect(plan.durationSeconds).toBe(plan.legs.reduce((sum, leg) => sum + leg.durationSeconds, 0));
    expect(plan.legs.at(-1)!.arrivalAfterSeconds).toBe(plan.durationSeconds);
  });

  it("ends at a fixed end and comes back on a round trip", async () => {
    const fixed = await planRoute({ start: START, stops: SHUFFLED, end: line(4.5) }, { provider: offline });
    expect(fixed.legs).toHaveLength(9);
    expect(fixed.legs.at(-1)!.toStop).toBeNull();
    // Out to the far end and back down to 4.5: 8 + 3.5 units of ~445 m × road factor.
    const unit = fixed.distanceMeters / 11.5;
    expect(unit).toBeGreaterThan(550);
    expect(unit).toBeLessThan(650);

    const round = await planRoute({ start: START, stops: SHUFFLED, roundTrip: true }, { provider: offline });
    expect(round.legs).toHaveLength(9);
    expect(round.legs.at(-1)).toMatchObject({ toStop: null });
    expect(round.distanceMeters / 16).toBeCloseTo(unit, -1);
  });

  it("uses the heuristic beyond 12 stops and still returns every stop once", async () => {
    const stops = Array.from({ length: 40 }, (_, i) => ({ lat: 38.7 + 0.01 * Math.sin(i * 2.4), lng: -9.15 + 0.01 * Math.cos(i * 1.7) }));
    const plan = await planRoute({ start: START, stops, roundTrip: true }, { provider: offline });
    expect(plan.method).toBe("heuristic");
    expect([...plan.order].sort((a, b) => a - b)).toEqual(stops.map((_, i) => i));
  });

  it("follows one-way streets: minimises the chosen objective on an asymmetric matrix", async () => {
    // Duration: going to a higher index is cheap (60 s) and the other way dear (600 s); distance the opposite.
    const places = [START, ...SHUFFLED];
    const rank = (p: LatLng) => places.findIndex((q) => q.lat === p.lat && q.lng === p.lng);
    const oneWay: RoutingProvider = {
      name: "google",
      matrix: async (origins, destinations) => ({
        durationSeconds: origins.map((o) => destinations.map((d) => (rank(d) > rank(o) ? 60 : 600))),
        distanceMeters: origins.map((o) => destinations.map((d) => (rank(d) > rank(o) ? 5000 : 1000))),
        source: "google",
      }),
    };
    const fast = await planRoute({ start: START, stops: SHUFFLED }, { provider: oneWay });
    expect(fast.order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(fast.durationSeconds).toBe(8 * 60);
    expect(fast.source).toBe("google");
    const short = await planRoute({ start: START, stops: SHUFFLED, optimizeFor: "distance" }, { provider: oneWay });
    expect(short.order).toEqual([7, 6, 5, 4, 3, 2, 1, 0]);
    expect(short.distanceMeters).toBe(5000 + 7 * 1000);
  });

  it("lets a NoRouteError through for the caller to report", async () => {
    const island: RoutingProvider = { name: "google", matrix: async () => Promise.reject(new NoRouteError(0, 1, "ZERO_RESULTS")) };
    await expect(planRoute({ start: START, stops: [line(1)] }, { provider: island })).rejects.toBeInstanceOf(NoRouteError);
  });
});

describe("optimizeStopOrder (for multi-stop bookings)", () => {
  it("returns the order and totals of the open path, or to the dropoff", async () => {
    const open = await optimizeStopOrder(START, SHUFFLED, null);
    expect(open.order).toEqual(sortedOrder);
    const toDropoff = await optimizeStopOrder(START, SHUFFLED.slice(0, 3), line(0.5), new Date("2030-01-01T03:00:00Z"));
    expect([...toDropoff.order].sort()).toEqual([0, 1, 2]);
    expect(toDropoff.distanceMeters).toBeGreaterThan(0);
    expect(toDropoff.durationSeconds).toBeGreaterThan(0);
  });

  it("needs no matrix without stops", async () => {
    expect(await optimizeStopOrder(START, [], null)).toEqual({ order: [], distanceMeters: 0, durationSeconds: 0 });
  });
});
