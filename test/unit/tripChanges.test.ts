// The pure parts of trip changes (functions/src/trips/changes.ts): who may change what, and along which points
// the changed trip is priced.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hireBlocks } from "../../functions/src/pricing/engine";
import { changeRefusal, pricedPoints } from "../../functions/src/trips/changes";
import { extensionRefusal } from "../../functions/src/trips/hire";

const P = (lat: number, lng: number) => ({ lat, lng });
const booking = { riderId: "rita", status: "accepted", serviceType: "ride" as const, categoryId: "economy", pickup: P(38.71, -9.14), stops: [], fare: { estimateMinor: 900, currency: "eur" } };

describe("trip changes: who may change a trip", () => {
  it("allows the rider while scheduled, accepted, arrived or in progress", () => {
    for (const status of ["scheduled", "accepted", "arrived", "in_progress"]) expect(changeRefusal({ ...booking, status }, "rita")).toBeNull();
  });
  it("refuses another user, a missing booking, an hourly hire, a booking without a fare and every other status", () => {
    expect(changeRefusal(booking, "mallory")?.code).toBe("not-found");
    expect(changeRefusal(undefined, "rita")?.code).toBe("not-found");
    expect(changeRefusal({ ...booking, serviceType: "hourly" }, "rita")?.code).toBe("failed-precondition");
    expect(changeRefusal({ ...booking, fare: {} }, "rita")?.code).toBe("failed-precondition");
    for (const status of ["requested", "awaiting_payment", "searching", "completed", "cancelled", "no_drivers", "payment_failed"]) {
      expect(changeRefusal({ ...booking, status }, "rita")?.code).toBe("failed-precondition");
    }
  });
});

describe("trip changes: the priced points", () => {
  const point = fc.record({ lat: fc.double({ min: -80, max: 80, noNaN: true }), lng: fc.double({ min: -179, max: 179, noNaN: true }) });
  it("before pickup: pickup, the new stops, the new destination; the surcharge counts the new stops", () => {
    fc.assert(
      fc.property(fc.array(point, { maxLength: 5 }), fc.array(point, { maxLength: 5 }), point, (oldStops, stops, dropoff) => {
        const priced = pricedPoints({ status: "accepted", pickup: booking.pickup, stops: oldStops }, { dropoff, stops }, P(1, 1));
        expect(priced.points).toEqual([booking.pickup, ...stops, dropoff]);
        expect(priced.stopCount).toBe(stops.length);
      }),
    );
  });
  it("on board: through the driver's position, and never fewer stops charged than the trip had", () => {
    fc.assert(
      fc.property(fc.array(point, { maxLength: 5 }), fc.array(point, { maxLength: 5 }), point, point, (oldStops, stops, dropoff, driver) => {
        const priced = pricedPoints({ status: "in_progress", pickup: booking.pickup, stops: oldStops }, { dropoff, stops }, driver);
        expect(priced.points).toEqual([booking.pickup, driver, ...stops, dropoff]);
        expect(priced.stopCount).toBe(Math.max(stops.length, oldStops.length));
      }),
    );
  });
});

describe("hourly hire: blocks and overtime", () => {
  const perMinute = { blockMinutes: 60, overtimePerMinuteMinor: 50 };
  it("booked hours are paid in full, overtime per started minute when the category prices it", () => {
    expect(hireBlocks(perMinute, 30 * 60, 2)).toEqual({ blocks: 2, overtimeMinutes: 0 });
    expect(hireBlocks(perMinute, 2 * 3600, 2)).toEqual({ blocks: 2, overtimeMinutes: 0 });
    expect(hireBlocks(perMinute, 2 * 3600 + 1, 2)).toEqual({ blocks: 2, overtimeMinutes: 1 });
    expect(hireBlocks(perMinute, 3 * 3600 + 600, 3)).toEqual({ blocks: 3, overtimeMinutes: 10 });
  });
  it("without a per-minute rule, overtime is further started blocks; without booked hours, the blocks used", () => {
    expect(hireBlocks({ blockMinutes: 60 }, 2 * 3600 + 60, 2)).toEqual({ blocks: 3, overtimeMinutes: 0 });
    expect(hireBlocks({ blockMinutes: 30 }, 30 * 60, 2)).toEqual({ blocks: 4, overtimeMinutes: 0 });
    expect(hireBlocks(perMinute, 90 * 60, null)).toEqual({ blocks: 2, overtimeMinutes: 0 });
    expect(hireBlocks(perMinute, 0, null)).toEqual({ blocks: 1, overtimeMinutes: 0 });
  });
  it("never charges less time than was used or booked (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 * 3600 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom(15, 30, 60, 90), fc.boolean(), (used, booked, block, perMin) => {
        const rates = perMin ? { blockMinutes: block, overtimePerMinuteMinor: 10 } : { blockMinutes: block };
        const { blocks, overtimeMinutes } = hireBlocks(rates, used, booked);
        expect(blocks * block * 60 + overtimeMinutes * 60).toBeGreaterThanOrEqual(Math.max(used, booked * 3600));
      }),
    );
  });
});

describe("hourly hire: who may extend it", () => {
  const hire = { riderId: "rita", status: "in_progress", serviceType: "hourly", categoryId: "economy", pickup: P(38.71, -9.14), hours: 2, fare: { estimateMinor: 5000 } };
  it("allows the rider a longer hire while it is booked or running", () => {
    for (const status of ["scheduled", "accepted", "arrived", "in_progress"]) expect(extensionRefusal({ ...hire, status }, "rita", 3)).toBeNull();
    expect(extensionRefusal(hire, "rita", 2)).toBeNull(); // the same total: answered as it stands
  });
  it("refuses fewer hours, another user, a ride, a metered hire and a finished one", () => {
    expect(extensionRefusal(hire, "rita", 1)?.code).toBe("invalid-argument");
    expect(extensionRefusal(hire, "mallory", 3)?.code).toBe("not-found");
    expect(extensionRefusal({ ...hire, serviceType: "ride" }, "rita", 3)?.code).toBe("failed-precondition");
    expect(extensionRefusal({ ...hire, hours: undefined }, "rita", 3)?.code).toBe("failed-precondition");
    for (const status of ["completed", "cancelled", "searching"]) expect(extensionRefusal({ ...hire, status }, "rita", 3)?.code).toBe("failed-precondition");
  });
});

describe("hourly hire: the apps' clock", () => {
  const started = 1_800_000_000_000;
  const running = (hours: number) => ({ hours, timeline: { in_progress: { toMillis: () => started } } });
  it("counts down from the pickup for the hours booked, then counts overtime", async () => {
    const { hireClock, hireEndsAtMs } = await import("../../web/src/hireClock");
    expect(hireEndsAtMs({ hours: 2 })).toBeUndefined();
    expect(hireClock({ hours: 2 }, started)).toBe("2 h booked");
    expect(hireEndsAtMs(running(2))).toBe(started + 2 * 3_600_000);
    expect(hireClock(running(2), started + 55 * 60_000)).toBe("1 h 05 min left");
    expect(hireClock(running(1), started + 72 * 60_000)).toBe("12 min overtime");
  });
});
