import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_PATH_FILTER,
  filterPath,
  haversineMeters,
  measureTrip,
  pathLengthMeters,
  pointsFromChunks,
  type TrackPoint,
} from "../../functions/src/tracking/path";

const FALLBACK = { distanceMeters: 12_345, durationSeconds: 999 };
const T0 = Date.UTC(2026, 0, 1, 8, 0, 0);
/** ~11.1 m per 0.0001° of latitude: 10 m/s (36 km/h) north with one point every 5 s. */
function straightTrip(n: number, { stepDeg = 0.00045, stepMs = 5000, start = { lat: 38.7, lng: -9.14 } } = {}): TrackPoint[] {
  return Array.from({ length: n }, (_, i) => ({ lat: start.lat + i * stepDeg, lng: start.lng, t: T0 + i * stepMs }));
}

describe("haversineMeters", () => {
  it("measures one degree of latitude as ~111.2 km and is symmetric", () => {
    const a = { lat: 0, lng: 0 };
    const b = { lat: 1, lng: 0 };
    expect(haversineMeters(a, b)).toBeCloseTo(111_195, -1);
    expect(haversineMeters(b, a)).toBeCloseTo(haversineMeters(a, b), 6);
    expect(haversineMeters(a, a)).toBe(0);
  });
});

describe("measureTrip", () => {
  it("measures a clean track from its points", () => {
    const points = straightTrip(20);
    const result = measureTrip(points, FALLBACK);
    expect(result.source).toBe("track");
    expect(result.droppedPoints).toBe(0);
    expect(result.durationSeconds).toBe(95);
    expect(result.distanceMeters).toBe(Math.round(pathLengthMeters(points)));
    expect(result.distanceMeters).toBeGreaterThan(940);
    expect(result.distanceMeters).toBeLessThan(960);
  });

  it("drops a GPS spike (impossible speed) in the middle", () => {
    const points = straightTrip(20);
    const spiked = [...points.slice(0, 10), { lat: 39.5, lng: -9.14, t: points[9]!.t + 1000 }, ...points.slice(10)];
    const result = measureTrip(spiked, FALLBACK);
    expect(result).toMatchObject({ source: "track", droppedPoints: 1, distanceMeters: Math.round(pathLengthMeters(points)) });
  });

  it("drops a wrong first fix once a consistent run disagrees with it", () => {
    const points = straightTrip(20);
    const wrongFirst = [{ lat: 40, lng: -8, t: T0 - 1000 }, ...points];
    const result = measureTrip(wrongFirst, FALLBACK);
    expect(result).toMatchObject({ source: "track", droppedPoints: 1, distanceMeters: Math.round(pathLengthMeters(points)) });
  });

  it("drops points with poor or invalid accuracy and keeps those without accuracy", () => {
    const points = straightTrip(10).map((p, i) => (i === 3 ? { ...p, accuracy: 200 } : i === 4 ? { ...p, accuracy: -1 } : i === 5 ? { ...p, accuracy: 12 } : p));
    expect(filterPath(points)).toHaveLength(8);
    expect(measureTrip(points, FALLBACK).droppedPoints).toBe(2);
  });

  it("drops out-of-order and duplicate timestamps", () => {
    const points = straightTrip(10);
    const messy = [...points.slice(0, 5), points[2]!, { ...points[4]!, lat: points[4]!.lat + 0.0001 }, ...points.slice(5)];
    const result = measureTrip(messy, FALLBACK);
    expect(result).toMatchObject({ droppedPoints: 2, distanceMeters: Math.round(pathLengthMeters(points)) });
  });

  it("drops invalid coordinates and non-finite values", () => {
    const points = straightTrip(8);
    const bad = [...points, { lat: 91, lng: 0, t: T0 + 99_000 }, { lat: 0, lng: -181, t: T0 + 99_500 }, { lat: Number.NaN, lng: 0, t: T0 + 99_700 }, { lat: 0, lng: 0, t: Number.POSITIVE_INFINITY }];
    expect(measureTrip(bad, FALLBACK)).toMatchObject({ source: "track", droppedPoints: 4 });
  });

  it("falls back to the route estimate when too few points survive", () => {
    expect(measureTrip([], FALLBACK)).toEqual({ ...FALLBACK, source: "route-estimate", droppedPoints: 0, flags: ["track_sparse"] });
    expect(measureTrip(straightTrip(DEFAULT_PATH_FILTER.minPoints - 1), FALLBACK)).toEqual({ ...FALLBACK, source: "route-estimate", droppedPoints: 0, flags: ["track_sparse"] });
    const poor = straightTrip(20).map((p) => ({ ...p, accuracy: 500 }));
    expect(measureTrip(poor, FALLBACK)).toEqual({ ...FALLBACK, source: "route-estimate", droppedPoints: 20, flags: ["implausible_points", "track_sparse"] });
  });

  it("falls back when the track has a long gap", () => {
    const points = straightTrip(20);
    const gapped = [...points.slice(0, 10), ...points.slice(10).map((p) => ({ ...p, t: p.t + (DEFAULT_PATH_FILTER.maxGapSeconds + 10) * 1000 }))];
    expect(measureTrip(gapped, FALLBACK)).toMatchObject({ ...FALLBACK, source: "route-estimate" });
    expect(measureTrip(points, FALLBACK).source).toBe("track");
  });

  it("orders chunks by their first point", () => {
    const points = straightTrip(9);
    const chunks = [{ points: points.slice(6) }, { points: [] }, { points: points.slice(0, 3) }, { points: points.slice(3, 6) }];
    expect(pointsFromChunks(chunks)).toEqual(points);
  });
});

// Properties over arbitrary (mostly plausible, sometimes wild) point lists.
const pointArb = fc.record({
  lat: fc.oneof(fc.double({ min: 38.6, max: 38.8, noNaN: true }), fc.double({ min: -100, max: 100 })),
  lng: fc.oneof(fc.double({ min: -9.3, max: -9.0, noNaN: true }), fc.double({ min: -200, max: 200 })),
  t: fc.integer({ min: T0, max: T0 + 3_600_000 }),
  accuracy: fc.option(fc.double({ min: -5, max: 300, noNaN: true }), { nil: undefined }),
});
const tripArb = fc.array(pointArb, { maxLength: 60 });

describe("measureTrip properties", () => {
  it("accounts for every point and never invents distance from nothing", () => {
    fc.assert(
      fc.property(tripArb, (points) => {
        const kept = filterPath(points);
        const result = measureTrip(points, FALLBACK);
        expect(result.droppedPoints).toBe(points.length - kept.length);
        expect(result.droppedPoints).toBeGreaterThanOrEqual(0);
        expect(Number.isInteger(result.distanceMeters) && result.distanceMeters >= 0).toBe(true);
        if (result.source === "route-estimate") {
          expect(result).toMatchObject(FALLBACK);
        } else {
          expect(kept.length).toBeGreaterThanOrEqual(DEFAULT_PATH_FILTER.minPoints);
        }
      }),
    );
  });

  it("keeps a strictly time-ordered, physically plausible subsequence of the input", () => {
    fc.assert(
      fc.property(tripArb, (points) => {
        const kept = filterPath(points);
        for (let i = 1; i < kept.length; i++) {
          const a = kept[i - 1]!;
          const b = kept[i]!;
          expect(b.t).toBeGreaterThan(a.t);
          expect(haversineMeters(a, b)).toBeLessThanOrEqual(DEFAULT_PATH_FILTER.maxSpeedMps * ((b.t - a.t) / 1000) + 1e-6);
        }
        for (const p of kept) expect(points).toContain(p);
      }),
    );
  });

  it("never measures more than the raw path of a time-sorted trip (triangle inequality)", () => {
    fc.assert(
      fc.property(tripArb, (points) => {
        const sorted = points
          .filter((p) => Math.abs(p.lat) <= 90 && Math.abs(p.lng) <= 180)
          .sort((a, b) => a.t - b.t);
        const result = measureTrip(sorted, FALLBACK);
        if (result.source === "track") expect(result.distanceMeters).toBeLessThanOrEqual(Math.round(pathLengthMeters(sorted)) + 1);
      }),
    );
  });

  it("ignores a duplicated point and an inserted spike", () => {
    fc.assert(
      fc.property(fc.integer({ min: 6, max: 40 }), fc.nat(), (n, seed) => {
        const points = straightTrip(n);
        const at = 1 + (seed % (n - 2));
        const clean = measureTrip(points, FALLBACK);
        const withDuplicate = [...points.slice(0, at + 1), points[at]!, ...points.slice(at + 1)];
        expect(measureTrip(withDuplicate, FALLBACK)).toEqual({ ...clean, droppedPoints: 1, flags: ["implausible_points", ...clean.flags] });
        const spike = { lat: points[at]!.lat + 1, lng: points[at]!.lng, t: points[at]!.t + 1 };
        const withSpike = [...points.slice(0, at + 1), spike, ...points.slice(at + 1)];
        expect(measureTrip(withSpike, FALLBACK)).toEqual({ ...clean, droppedPoints: 1, flags: ["implausible_points", ...clean.flags] });
      }),
    );
  });
});
