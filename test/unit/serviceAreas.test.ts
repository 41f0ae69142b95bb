// Service areas (areas/geometry.ts, areas/configSchema.ts) and the before-booking snapshot's arithmetic
// (dispatch/snapshotLogic.ts): hand-picked cases, then fast-check properties.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { serviceAreasConfigSchema } from "../../functions/src/areas/configSchema";
import { areasContaining, contains, driverServesTrip, polygonProblem, tripAreaProblem, type ServiceArea } from "../../functions/src/areas/geometry";
import { describeIssues } from "../../functions/src/common/validation";
import { cellOf } from "../../functions/src/dispatch/geocells";
import { countBucket, etaMinutes, MIN_ETA_MINUTES, SNAPSHOT_DEPTH, snapshotBlock } from "../../functions/src/dispatch/snapshotLogic";

type P = { lat: number; lng: number };
const rect = (latMin: number, lngMin: number, latMax: number, lngMax: number): P[] => [
  { lat: latMin, lng: lngMin }, { lat: latMin, lng: lngMax }, { lat: latMax, lng: lngMax }, { lat: latMax, lng: lngMin },
];
// Two Lisbon areas side by side (west: Belém, east: Baixa), and an airport area overlapping the east one.
const west: ServiceArea = { id: "west", name: "Belém", polygon: rect(38.69, -9.23, 38.72, -9.18) };
const east: ServiceArea = { id: "east", name: "Baixa", polygon: rect(38.69, -9.18, 38.76, -9.12) };
const airport: ServiceArea = { id: "airport", name: "Airport", polygon: rect(38.75, -9.15, 38.80, -9.11) };
const belem = { lat: 38.697, lng: -9.206 };
const rossio = { lat: 38.7139, lng: -9.1394 };
const terminal = { lat: 38.775, lng: -9.135 };
const porto = { lat: 41.15, lng: -8.61 };

describe("polygon validity", () => {
  it("accepts a simple polygon, closed or not", () => {
    expect(polygonProblem(rect(38.7, -9.2, 38.8, -9.1))).toBeNull();
    const closed = [...rect(38.7, -9.2, 38.8, -9.1), { lat: 38.7, lng: -9.2 }];
    expect(polygonProblem(closed)).toBeNull();
  });

  it("refuses crossing edges, a repeated vertex, a vertex on another edge and a sliver", () => {
    const [a, b, c, d] = rect(38.7, -9.2, 38.8, -9.1) as [P, P, P, P];
    expect(polygonProblem([a, c, b, d])).toMatch(/cross/); // bow tie
    expect(polygonProblem([a, b, b, c, d])).toMatch(/not valid/);
    expect(polygonProblem([a, { lat: 38.7, lng: -9.15 }, b, c])).toBeNull(); // a vertex along its own edge is fine
    expect(polygonProblem([a, b, c, { lat: 38.7, lng: -9.15 }])).toMatch(/not valid|cross/); // the last vertex touches edge a–b
    expect(polygonProblem([{ lat: 38.7, lng: -9.2 }, { lat: 38.7, lng: -9.1 }, { lat: 38.700001, lng: -9.15 }])).toMatch(/less than/);
    expect(polygonProblem([a, b, a])).not.toBeNull();
  });

  it("the config reports each bad area at its field path; an empty list is valid (not restricted)", () => {
    const parsed = serviceAreasConfigSchema.safeParse({ areas: [{ ...west, polygon: [west.polygon[0], west.polygon[2], west.polygon[1], west.polygon[3]] }, west, { ...east, colour: "red" }] });
    expect(parsed.success).toBe(false);
    const paths = describeIssues(parsed.error!).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["areas.0.polygon", "areas.2.colour"]));
    const duplicate = serviceAreasConfigSchema.safeParse({ areas: [west, { ...west, name: "again" }] });
    expect(describeIssues(duplicate.error!).map((i) => i.path)).toEqual(["areas.1.id"]);
    expect(serviceAreasConfigSchema.safeParse({ areas: [] }).success).toBe(true);
    expect(serviceAreasConfigSchema.safeParse({ areas: [west, east, airport] }).success).toBe(true);
  });
});

describe("trips and areas", () => {
  it("no areas: every trip is allowed and every driver serves it", () => {
    expect(tripAreaProblem([], { pickup: porto, dropoff: belem }, "ride")).toBeNull();
    expect(driverServesTrip([], porto, ["nowhere"], { pickup: porto, dropoff: belem })).toBe(true);
  });

  it("names the first point outside every area: pickup, then stops, then the drop-off", () => {
    const areas = [west, east];
    expect(tripAreaProblem(areas, { pickup: belem, dropoff: rossio }, "ride")).toBeNull();
    expect(tripAreaProblem(areas, { pickup: porto, dropoff: rossio }, "ride")).toBe("the pickup is outside every ride service area");
    expect(tripAreaProblem(areas, { pickup: belem, stops: [rossio, porto], dropoff: rossio }, "ride")).toBe("the stop 2 is outside every ride service area");
    expect(tripAreaProblem(areas, { pickup: belem, dropoff: porto }, "delivery")).toBe("the drop-off is outside every delivery service area");
  });

  it("counts the boundary as inside", () => {
    expect(contains(west, { lat: 38.69, lng: -9.2 })).toBe(true);
    expect(areasContaining([west, east], { lat: 38.7, lng: -9.18 }).sort()).toEqual(["east", "west"]);
  });

  it("a driver serves a trip only inside the areas around him, narrowed by an admin's areaIds", () => {
    const areas = [west, east, airport];
    const nearRossio = { lat: 38.716, lng: -9.14 };
    const inBoth = { lat: 38.755, lng: -9.14 }; // east ∩ airport
    expect(driverServesTrip(areas, nearRossio, undefined, { pickup: rossio, dropoff: { lat: 38.74, lng: -9.13 } })).toBe(true);
    expect(driverServesTrip(areas, nearRossio, undefined, { pickup: rossio, dropoff: belem })).toBe(false); // belém is west
    expect(driverServesTrip(areas, nearRossio, undefined, { pickup: rossio, dropoff: terminal })).toBe(false); // airport only
    expect(driverServesTrip(areas, inBoth, undefined, { pickup: rossio, dropoff: terminal })).toBe(true); // east + airport
    expect(driverServesTrip(areas, inBoth, ["airport"], { pickup: rossio, dropoff: terminal })).toBe(false);
    expect(driverServesTrip(areas, porto, undefined, { pickup: rossio, dropoff: rossio })).toBe(false);
  });
});

// ---------- properties ----------

const lisbonPoint = fc.record({ lat: fc.double({ min: 38.6, max: 38.9, noNaN: true }), lng: fc.double({ min: -9.3, max: -9.0, noNaN: true }) });
/** Axis-aligned rectangles at least ~100 m a side, inside the Lisbon box. */
const rectangle = fc
  .tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 100 }))
  .map(([y, x, h, w]) => rect(38.6 + y / 1000, -9.3 + x / 1000, 38.6 + (y + h) / 1000, -9.3 + (x + w) / 1000));
const areaList = fc.array(rectangle, { minLength: 1, maxLength: 4 }).map((polygons) => polygons.map((polygon, i): ServiceArea => ({ id: `a${i}`, name: `A${i}`, polygon })));
const trip = fc.record({ pickup: lisbonPoint, dropoff: lisbonPoint, stops: fc.array(lisbonPoint, { maxLength: 2 }) });

describe("properties", () => {
  it("a rectangle contains exactly the points within its bounds", () => {
    fc.assert(
      fc.property(rectangle, lisbonPoint, (polygon, p) => {
        const lats = polygon.map((v) => v.lat);
        const lngs = polygon.map((v) => v.lng);
        const inside = p.lat >= Math.min(...lats) && p.lat <= Math.max(...lats) && p.lng >= Math.min(...lngs) && p.lng <= Math.max(...lngs);
        expect(contains({ polygon }, p)).toBe(inside);
      }),
      { numRuns: 300 },
    );
  });

  it("validity does not depend on the starting vertex or the orientation", () => {
    fc.assert(
      fc.property(fc.array(lisbonPoint, { minLength: 3, maxLength: 7 }), fc.nat(), (vertices, shift) => {
        const k = shift % vertices.length;
        const rotated = [...vertices.slice(k), ...vertices.slice(0, k)];
        const verdict = polygonProblem(vertices) === null;
        expect(polygonProblem(rotated) === null).toBe(verdict);
        expect(polygonProblem([...vertices].reverse()) === null).toBe(verdict);
      }),
      { numRuns: 200 },
    );
  });

  it("a trip is bookable iff each of its points is in some area", () => {
    fc.assert(
      fc.property(areaList, trip, (areas, t) => {
        const every = [t.pickup, ...t.stops, t.dropoff].every((p) => areasContaining(areas, p).length > 0);
        expect(tripAreaProblem(areas, t, "ride") === null).toBe(every);
      }),
      { numRuns: 200 },
    );
  });

  it("a trip a driver serves is bookable, and an admin's areaIds only take trips away", () => {
    fc.assert(
      fc.property(areaList, trip, lisbonPoint, fc.subarray(["a0", "a1", "a2", "a3"]), (areas, t, driver, areaIds) => {
        const served = driverServesTrip(areas, driver, undefined, t);
        if (served) expect(tripAreaProblem(areas, t, "ride")).toBeNull();
        if (driverServesTrip(areas, driver, areaIds, t)) expect(served).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("the snapshot depends on the pickup's grid cell only, and its figures are coarse", () => {
    fc.assert(
      fc.property(lisbonPoint, lisbonPoint, fc.array(fc.nat({ max: 12 }), { minLength: 9, maxLength: 9 }), (a, b, counts) => {
        const block = snapshotBlock(a);
        if (cellOf(a, SNAPSHOT_DEPTH) === cellOf(b, SNAPSHOT_DEPTH)) expect(snapshotBlock(b)).toEqual(block);
        const map = new Map(block.cells.map((cell, i) => [cell, counts[i]!]));
        const eta = etaMinutes(block.center, map, 7);
        const total = counts.reduce((x, y) => x + y, 0);
        expect(eta === null).toBe(total === 0);
        if (eta !== null) {
          expect(Number.isInteger(eta)).toBe(true);
          expect(eta).toBeGreaterThanOrEqual(MIN_ETA_MINUTES);
        }
        expect(["0", "1-2", "3-5", "6+"]).toContain(countBucket(total));
      }),
      { numRuns: 200 },
    );
  });

  it("more cars never make the bucket smaller nor the ETA longer", () => {
    fc.assert(
      fc.property(lisbonPoint, fc.array(fc.nat({ max: 3 }), { minLength: 9, maxLength: 9 }), fc.nat({ max: 8 }), (p, counts, extraAt) => {
        const order = ["0", "1-2", "3-5", "6+"];
        const block = snapshotBlock(p);
        const before = new Map(block.cells.map((cell, i) => [cell, counts[i]!]));
        const after = new Map(before);
        const cell = block.cells[extraAt]!;
        after.set(cell, (after.get(cell) ?? 0) + 1);
        const sum = (m: Map<string, number>) => [...m.values()].reduce((x, y) => x + y, 0);
        expect(order.indexOf(countBucket(sum(after)))).toBeGreaterThanOrEqual(order.indexOf(countBucket(sum(before))));
        const etaBefore = etaMinutes(block.center, before, 7);
        const etaAfter = etaMinutes(block.center, after, 7)!;
        if (etaBefore !== null) expect(etaAfter).toBeLessThanOrEqual(etaBefore);
      }),
      { numRuns: 200 },
    );
  });
});

describe("snapshot figures", () => {
  it("buckets counts and gives at least the minimum ETA in the pickup's own cell", () => {
    expect([0, 1, 2, 3, 5, 6, 40].map(countBucket)).toEqual(["0", "1-2", "1-2", "3-5", "3-5", "6+", "6+"]);
    const { center, cells } = snapshotBlock(rossio);
    expect(cells).toHaveLength(9);
    // A car in the pickup's own cell may be half a cell's diagonal away (≈ 1.1 km, × 1.35 on the road, at 7 m/s).
    expect(etaMinutes(center, new Map([[center, 1]]), 7)).toBe(4);
    expect(etaMinutes(center, new Map([[cells[1]!, 1]]), 7)).toBeGreaterThan(4);
    expect(etaMinutes(center, new Map(), 7)).toBeNull();
  });
});
