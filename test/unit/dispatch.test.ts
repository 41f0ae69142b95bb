import fc from "fast-check";
import { geohashForLocation } from "geofire-common";
import { describe, expect, it } from "vitest";
import { attemptExclusions, lostDrivingRight, mayDrive, refusalReason, roundExclusions } from "../../functions/src/dispatch/eligibility";
import { boxOf, cellOf, distanceMeters, neighboursOf, rangeOf } from "../../functions/src/dispatch/geocells";
import { nearest, type GeoDoc, type RangeQuery } from "../../functions/src/dispatch/nearest";
import { ANSWER_IN_FLIGHT_MAX_MS, DEFAULT_SETTINGS, isAnswerInFlight, nextStep, rankCandidates } from "../../functions/src/dispatch/ranking";

const LISBON = { lat: 38.7223, lng: -9.1393 };
const position = fc.record({ lat: fc.double({ min: 38.5, max: 38.9, noNaN: true }), lng: fc.double({ min: -9.4, max: -8.9, noNaN: true }) });

/** An in-memory index with Firestore's semantics for `geohash >= start && geohash < end order by geohash, id`. */
function memoryIndex(docs: GeoDoc[]) {
  const sorted = [...docs].sort((a, b) => (a.geohash < b.geohash ? -1 : a.geohash > b.geohash ? 1 : a.id < b.id ? -1 : 1));
  return async ({ start, end, after, limit }: RangeQuery<GeoDoc>) =>
    sorted
      .filter((d) => d.geohash >= start && d.geohash < end)
      .filter((d) => !after || d.geohash > after.geohash || (d.geohash === after.geohash && d.id > after.id))
      .slice(0, limit);
}

describe("geocells", () => {
  it("puts every position's geohash inside its cell's range and box, at any depth", () => {
    fc.assert(
      fc.property(position, fc.integer({ min: 1, max: 40 }), (p, depth) => {
        const cell = cellOf(p, depth);
        const { start, end } = rangeOf(cell);
        const hash = geohashForLocation([p.lat, p.lng]);
        const box = boxOf(cell);
        return hash >= start && hash < end && p.lat >= box.latMin && p.lat <= box.latMax && p.lng >= box.lngMin && p.lng <= box.lngMax;
      }),
    );
  });

  it("finds the 8 neighbours of a cell, each touching it", () => {
    const cell = cellOf(LISBON, 30);
    const neighbours = neighboursOf(cell);
    expect(new Set(neighbours).size).toBe(8);
    const box = boxOf(cell);
    for (const n of neighbours) {
      const b = boxOf(n);
      expect(n).toHaveLength(30);
      expect(b.latMin <= box.latMax + 1e-9 && b.latMax >= box.latMin - 1e-9 && b.lngMin <= box.lngMax + 1e-9 && b.lngMax >= box.lngMin - 1e-9).toBe(true);
    }
  });
});

describe("nearest", () => {
  it("returns exactly the k nearest accepted documents, whatever the density", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ p: position, stale: fc.boolean() }), { minLength: 0, maxLength: 300 }),
        position,
        fc.integer({ min: 1, max: 12 }),
        async (points, center, k) => {
          const docs = points.map(({ p, stale }, i) => ({ id: `d${i}`, ...p, geohash: geohashForLocation([p.lat, p.lng]), stale }));
          const maxRadiusMeters = 15_000;
          const { found, stats } = await nearest({ center, k, maxRadiusMeters, fetch: memoryIndex(docs), accept: (d) => !(d as (typeof docs)[number]).stale });
          const truth = docs
            .filter((d) => !d.stale)
            .map((d) => distanceMeters(center, d))
            .filter((d) => d <= maxRadiusMeters)
            .sort((a, b) => a - b)
            .slice(0, k);
          expect(found.slice(0, k).map((f) => f.distanceMeters)).toEqual(truth);
          expect(stats.docsRead).toBeLessThanOrEqual(docs.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("reads far fewer documents than exist in a dense city", async () => {
    const docs: GeoDoc[] = [];
    for (let i = 0; i < 3000; i++) {
      const p = { lat: LISBON.lat + ((i * 7919) % 1000) / 1000 * 0.08 - 0.04, lng: LISBON.lng + ((i * 104729) % 997) / 997 * 0.1 - 0.05 };
      docs.push({ id: `d${i}`, ...p, geohash: geohashForLocation([p.lat, p.lng]) });
    }
    const { found, stats } = await nearest({ center: LISBON, k: 10, maxRadiusMeters: 10_000, fetch: memoryIndex(docs) });
    expect(found.length).toBeGreaterThanOrEqual(10);
    expect(stats.docsRead).toBeLessThan(100);
  });
});

describe("ranking", () => {
  it("ranks by pickup time, then least recently assigned, then distance", () => {
    const ranked = rankCandidates(
      [
        { driverId: "far", distanceMeters: 3000, lastAssignedAt: null },
        { driverId: "near-busy-lately", distanceMeters: 100, lastAssignedAt: 5_000 },
        { driverId: "near-rested", distanceMeters: 150, lastAssignedAt: 1_000 },
        { driverId: "near-never", distanceMeters: 180, lastAssignedAt: null },
      ],
      DEFAULT_SETTINGS,
    );
    expect(ranked.map((r) => r.driverId)).toEqual(["near-never", "near-rested", "near-busy-lately", "far"]);
    expect(ranked[3]!.etaSeconds).toBe(Math.round(3000 / DEFAULT_SETTINGS.speedMetersPerSecond));
  });

  it("never ranks a driver in a later pickup-time bucket ahead of an earlier one", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ driverId: fc.uuid(), distanceMeters: fc.integer({ min: 0, max: 20_000 }), lastAssignedAt: fc.option(fc.integer({ min: 0, max: 1e12 }), { nil: null }) })),
        (candidates) => {
          const ranked = rankCandidates(candidates, DEFAULT_SETTINGS);
          const bucket = (s: number) => Math.floor(s / DEFAULT_SETTINGS.etaBucketSeconds);
          return ranked.every((r, i) => i === 0 || bucket(ranked[i - 1]!.etaSeconds) <= bucket(r.etaSeconds));
        },
      ),
    );
  });

  it("stops after the configured rounds or search time", () => {
    const settings = { ...DEFAULT_SETTINGS, maxRounds: 3, maxSearchSeconds: 60 };
    expect(nextStep(0, 0, 1_000, settings)).toBe("offer");
    expect(nextStep(2, 0, 59_000, settings)).toBe("offer");
    expect(nextStep(3, 0, 1_000, settings)).toBe("no_drivers");
    expect(nextStep(1, 0, 60_000, settings)).toBe("no_drivers");
  });
});

describe("isAnswerInFlight (the round timer holds for an accept its trigger has not processed)", () => {
  const now = 1_000_000;
  const accepted = { status: "accepted", attempt: 1, answeredAtMillis: now - 2_000 };

  it("holds for an unprocessed accept of the same attempt", () => {
    expect(isAnswerInFlight(accepted, 1, now)).toBe(true);
  });
  it("does not hold once the accept trigger resolved the offer", () => {
    expect(isAnswerInFlight({ ...accepted, resolvedAt: { seconds: 1 } }, 1, now)).toBe(false);
  });
  it("does not hold for another attempt, a decline, a pending offer or an answer without a time", () => {
    expect(isAnswerInFlight(accepted, 2, now)).toBe(false);
    expect(isAnswerInFlight({ ...accepted, status: "declined" }, 1, now)).toBe(false);
    expect(isAnswerInFlight({ ...accepted, status: "pending" }, 1, now)).toBe(false);
    expect(isAnswerInFlight({ status: "accepted", attempt: 1 }, 1, now)).toBe(false);
  });
  it("gives up on an answer older than the limit (a lost trigger cannot hold the search forever)", () => {
    expect(isAnswerInFlight({ ...accepted, answeredAtMillis: now - ANSWER_IN_FLIGHT_MAX_MS + 1 }, 1, now)).toBe(true);
    expect(isAnswerInFlight({ ...accepted, answeredAtMillis: now - ANSWER_IN_FLIGHT_MAX_MS }, 1, now)).toBe(false);
  });
});

describe("eligibility (who may be offered and take a booking)", () => {
  const standing = fc.record({ approved: fc.constantFrom(true, false, undefined, "true"), suspended: fc.constantFrom(true, false, undefined, "yes") }, { requiredKeys: [] });

  it("only an approved, not suspended driver may drive (anything else, including odd types, may not)", () => {
    expect(mayDrive({ approved: true })).toBe(true);
    expect(mayDrive({ approved: true, suspended: false })).toBe(true);
    expect(mayDrive({ approved: true, suspended: true })).toBe(false);
    expect(mayDrive({ approved: false })).toBe(false);
    expect(mayDrive({ approved: "true" })).toBe(false);
    expect(mayDrive(undefined)).toBe(false);
    fc.assert(fc.property(standing, (d) => mayDrive(d) === (d.approved === true && d.suspended !== true)));
  });

  it("losing the right to drive is the move from allowed to not allowed, and only that", () => {
    expect(lostDrivingRight({ approved: true }, { approved: true, suspended: true })).toBe(true);
    expect(lostDrivingRight({ approved: true }, { approved: false })).toBe(true);
    expect(lostDrivingRight({ approved: true }, undefined)).toBe(true);
    expect(lostDrivingRight({ approved: false }, { approved: false, suspended: true })).toBe(false);
    expect(lostDrivingRight({ approved: true, suspended: true }, { approved: true })).toBe(false);
    fc.assert(fc.property(standing, standing, (a, b) => lostDrivingRight(a, b) === (mayDrive(a) && !mayDrive(b))));
  });

  it("refuses an accept of one's own booking first, then a suspended, then an unapproved driver", () => {
    expect(refusalReason("u1", "u1", { approved: true })).toBe("own_booking");
    expect(refusalReason("u1", "r1", { approved: true, suspended: true })).toBe("driver_suspended");
    expect(refusalReason("u1", "r1", { approved: false })).toBe("driver_unapproved");
    expect(refusalReason("u1", "r1", undefined)).toBe("driver_unapproved");
    expect(refusalReason("u1", "r1", { approved: true })).toBeNull();
  });

  it("a new attempt excludes earlier exclusions and every driver who cancelled; a round also skips the rider", () => {
    expect(attemptExclusions({ jobExcluded: ["a"], previousDriverIds: ["b", "a", 7, ""], cancelledBy: "c" })).toEqual(["a", "b", "c"]);
    expect(attemptExclusions({ previousDriverIds: ["b"], cancelledBy: null })).toEqual(["b"]);
    expect(attemptExclusions({})).toEqual([]);
    expect([...roundExclusions({ offeredTo: ["x"], excluded: ["b"] }, "rider")].sort()).toEqual(["b", "rider", "x"]);
  });
});
