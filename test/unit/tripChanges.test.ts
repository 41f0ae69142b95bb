// The pure parts of trip changes (functions/src/trips/changes.ts): who may change what, and along which points
// the changed trip is priced.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { changeRefusal, pricedPoints } from "../../functions/src/trips/changes";

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
