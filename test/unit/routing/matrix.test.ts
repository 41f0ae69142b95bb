import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  blockShape,
  MAX_DESTINATIONS_PER_REQUEST,
  MAX_ELEMENTS_PER_REQUEST,
  MAX_ORIGINS_PER_REQUEST,
  travelMatrix,
  type MatrixCache,
} from "../../../functions/src/routing/matrix.js";
import { NoRouteError, type RoutingProvider, type TravelMatrix } from "../../../functions/src/routing/provider.js";
import type { LatLng } from "../../../functions/src/common/schema.js";

/** A provider whose "distance" between two points encodes them, so every cell can be checked. */
function fakeProvider(options: { source?: (call: number) => TravelMatrix["source"]; noRoute?: [LatLng, LatLng] } = {}) {
  const calls: Array<{ origins: LatLng[]; destinations: LatLng[]; departureTime?: Date }> = [];
  const provider: RoutingProvider = {
    name: "google",
    matrix: async (origins, destinations, matrixOptions) => {
      calls.push({ origins, destinations, ...(matrixOptions?.departureTime ? { departureTime: matrixOptions.departureTime } : {}) });
      const source = options.source?.(calls.length) ?? "google";
      const blocked = options.noRoute;
      if (blocked) {
        origins.forEach((o, i) =>
          destinations.forEach((d, j) => {
            if (o === blocked[0] && d === blocked[1]) throw new NoRouteError(i, j, "ZERO_RESULTS");
          }),
        );
      }
      return {
        distanceMeters: origins.map((o) => destinations.map((d) => expected(o, d))),
        durationSeconds: origins.map((o) => destinations.map((d) => expected(o, d) / 10)),
        source,
      };
    },
  };
  return { provider, calls };
}
const expected = (o: LatLng, d: LatLng) => Math.round(1000 * o.lat) * 100_000 + Math.round(1000 * d.lat) + (o.lat > d.lat ? 7 : 0);
const point = (i: number): LatLng => ({ lat: 0.001 * (i + 1), lng: 0 });

describe("blockShape", () => {
  it("stays within Google's limits and covers the matrix", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), (n) => {
        const { rows, cols, requests } = blockShape(n);
        expect(rows).toBeLessThanOrEqual(MAX_ORIGINS_PER_REQUEST);
        expect(cols).toBeLessThanOrEqual(MAX_DESTINATIONS_PER_REQUEST);
        expect(rows * cols).toBeLessThanOrEqual(MAX_ELEMENTS_PER_REQUEST);
        expect(requests).toBe(Math.ceil(n / rows) * Math.ceil(n / cols));
        expect(requests * MAX_ELEMENTS_PER_REQUEST).toBeGreaterThanOrEqual(n * n);
      }),
    );
    expect(blockShape(10).requests).toBe(1);
    expect(blockShape(52).requests).toBeLessThanOrEqual(36);
  });
});

describe("travelMatrix", () => {
  it("assembles the full matrix from blocks within the limits, with the departure time", async () => {
    const points = Array.from({ length: 37 }, (_, i) => point(i));
    const { provider, calls } = fakeProvider();
    const departureTime = new Date("2030-01-01T08:00:00Z");
    const matrix = await travelMatrix(provider, points, { departureTime });
    expect(matrix.source).toBe("google");
    expect(matrix.requests).toBe(calls.length);
    for (const call of calls) {
      expect(call.origins.length).toBeLessThanOrEqual(25);
      expect(call.destinations.length).toBeLessThanOrEqual(25);
      expect(call.origins.length * call.destinations.length).toBeLessThanOrEqual(100);
      expect(call.departureTime).toEqual(departureTime);
    }
    points.forEach((o, i) =>
      points.forEach((d, j) => {
        expect(matrix.distanceMeters[i]![j]).toBe(i === j ? 0 : expected(o, d));
        expect(matrix.durationSeconds[i]![j]).toBe(i === j ? 0 : expected(o, d) / 10);
      }),
    );
  });

  it("asks for identical points once and reuses cached blocks within a request", async () => {
    const points = [point(0), point(1), point(0), point(2), point(1)];
    const { provider, calls } = fakeProvider();
    const cache: MatrixCache = new Map();
    const matrix = await travelMatrix(provider, points, { cache });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.origins).toHaveLength(3);
    expect(matrix.distanceMeters[2]![4]).toBe(expected(point(0), point(1)));
    expect(matrix.distanceMeters[0]![2]).toBe(0);
    const again = await travelMatrix(provider, points, { cache });
    expect(calls).toHaveLength(1);
    expect(again.requests).toBe(0);
    expect(again.distanceMeters).toEqual(matrix.distanceMeters);
  });

  it("makes no request for a single place", async () => {
    const { provider, calls } = fakeProvider();
    const matrix = await travelMatrix(provider, [point(3), point(3)]);
    expect(calls).toHaveLength(0);
    expect(matrix.distanceMeters).toEqual([[0, 0], [0, 0]]);
  });

  it("estimates the whole matrix offline when some blocks fell back", async () => {
    const points = Array.from({ length: 30 }, (_, i) => ({ lat: 38.7 + 0.001 * i, lng: -9.14 }));
    const { provider } = fakeProvider({ source: (call) => (call === 2 ? "offline-estimate" : "google") });
    const offline = fakeProvider({ source: () => "offline-estimate" });
    const matrix = await travelMatrix(provider, points, { fallback: offline.provider });
    expect(matrix.source).toBe("offline-estimate");
    expect(offline.calls.length).toBeGreaterThan(0);
  });

  it("names unreachable points by their index in the request", async () => {
    const points = Array.from({ length: 30 }, (_, i) => point(i));
    const { provider } = fakeProvider({ noRoute: [points[27]!, points[3]!] });
    const error = await travelMatrix(provider, points).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoRouteError);
    expect(error).toMatchObject({ origin: 27, destination: 3 });
  });
});
