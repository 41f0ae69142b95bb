import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ETA_MODEL, estimatePickupSeconds, etaIsDue, isPlausibleMove, isStale, MAX_DRIVER_SPEED_MPS, mirroredState, POSITION_SLACK_METERS,
} from "../../functions/src/tracking/policy";

describe("mirroredState", () => {
  const vehicle = { driverId: "d1", categoryId: "economy", status: "active" };

  it("mirrors the driver's status and the category of their own active vehicle", () => {
    expect(mirroredState({ uid: "d1", driver: { approved: true, status: "available", vehicleId: "v1" }, vehicle })).toEqual({ status: "available", categoryId: "economy" });
    expect(mirroredState({ uid: "d1", driver: { approved: true, status: "busy", vehicleId: "v1" }, vehicle })).toEqual({ status: "busy", categoryId: "economy" });
  });

  it("gives no category for a vehicle that is missing, not active or someone else's", () => {
    const driver = { approved: true, status: "available" as const, vehicleId: "v1" };
    expect(mirroredState({ uid: "d1", driver, vehicle: undefined }).categoryId).toBeNull();
    expect(mirroredState({ uid: "d1", driver, vehicle: { ...vehicle, status: "pending" } }).categoryId).toBeNull();
    expect(mirroredState({ uid: "d1", driver, vehicle: { ...vehicle, driverId: "d2" } }).categoryId).toBeNull();
  });

  it("is offline for a deleted, unapproved or status-less driver", () => {
    expect(mirroredState({ uid: "d1", driver: undefined, vehicle }).status).toBe("offline");
    expect(mirroredState({ uid: "d1", driver: { approved: false, status: "available" }, vehicle }).status).toBe("offline");
    expect(mirroredState({ uid: "d1", driver: { approved: true }, vehicle }).status).toBe("offline");
  });
});

describe("isStale", () => {
  it("uses the later of the last position and the last status change", () => {
    const now = 1_000_000_000;
    expect(isStale({ updatedAtMs: now - 6 * 60_000 }, now, 5)).toBe(true);
    expect(isStale({ updatedAtMs: now - 4 * 60_000 }, now, 5)).toBe(false);
    expect(isStale({ updatedAtMs: now - 60 * 60_000, statusChangedAtMs: now - 60_000 }, now, 5)).toBe(false);
    expect(isStale({}, now, 5)).toBe(true);
  });
});

describe("ETA", () => {
  it("is never below the minimum and grows with distance", () => {
    fc.assert(
      fc.property(fc.double({ min: 38, max: 39, noNaN: true }), fc.double({ min: 0, max: 0.2, noNaN: true }), fc.double({ min: 0, max: 0.2, noNaN: true }), (lat, d1, d2) => {
        const pickup = { lat, lng: -9 };
        const near = estimatePickupSeconds({ lat: lat + Math.min(d1, d2), lng: -9 }, pickup);
        const far = estimatePickupSeconds({ lat: lat + Math.max(d1, d2), lng: -9 }, pickup);
        expect(near).toBeGreaterThanOrEqual(ETA_MODEL.minimumSeconds);
        expect(far).toBeGreaterThanOrEqual(near);
      }),
    );
  });

  it("is refreshed when forced, when never computed, or once the interval has passed", () => {
    expect(etaIsDue(undefined, 0, 20, false)).toBe(true);
    expect(etaIsDue(10_000, 25_000, 20, false)).toBe(false);
    expect(etaIsDue(10_000, 25_000, 20, true)).toBe(true);
    expect(etaIsDue(10_000, 30_000, 20, false)).toBe(true);
  });
});

describe("position speed check (isPlausibleMove)", () => {
  const lisbon = { lat: 38.7223, lng: -9.1393 };
  const north = (meters: number) => ({ lat: lisbon.lat + meters / 111_195, lng: lisbon.lng });

  it("accepts a car at 15 m/s and GPS noise, refuses a 274 km jump a second later", () => {
    expect(isPlausibleMove(lisbon, north(15), 1000)).toBe(true);
    expect(isPlausibleMove(lisbon, north(MAX_DRIVER_SPEED_MPS + POSITION_SLACK_METERS - 1), 1000)).toBe(true);
    expect(isPlausibleMove(lisbon, north(MAX_DRIVER_SPEED_MPS + POSITION_SLACK_METERS + 1), 1000)).toBe(false);
    expect(isPlausibleMove(lisbon, north(274_000), 1000)).toBe(false);
    expect(isPlausibleMove(lisbon, north(274_000), 7_200_000)).toBe(true); // two hours later: drivable
  });
});
