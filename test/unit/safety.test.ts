import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_PREFS, planChannels } from "../../functions/src/notifications/preferences";
import { tripShareViewSchema } from "../../functions/src/safety/schema";
import { firstName, incidentId, MAX_POSITION_AGE_MS, newShareToken, shareView, SHAREABLE_STATUSES } from "../../functions/src/safety/sharePolicy";
import { BOOKING_STATUSES } from "../../functions/src/common/schema";

const NOW = Date.parse("2026-12-06T12:00:00Z");
const booking = {
  status: "accepted",
  pickup: { lat: 38.7139, lng: -9.1394 },
  dropoff: { lat: 38.7369, lng: -9.1427 },
  eta: { pickupSeconds: 245.4 },
  riderId: "rider-1",
  driverId: "driver-1",
  recipient: { name: "Someone", phoneNumber: "+351910000000" },
  driverSummary: { displayName: "Ana Maria Silva", photoPath: "users/driver-1/profile/p.jpg", rating: { avg: 4.9, count: 10 }, vehicle: { make: "Toyota", model: "Corolla", color: "white", plate: "AA-00-01" } },
};
const location = { lat: 38.72, lng: -9.14, heading: 90, updatedAtMs: NOW - 5_000 };

describe("safety: the shared view", () => {
  it("shows the driver's first name, vehicle, plate, position and pickup ETA while on the way, and nothing else", () => {
    const view = shareView(booking, location, NOW);
    expect(view).toEqual({
      status: "accepted",
      driver: { firstName: "Ana", vehicle: "white Toyota Corolla", plate: "AA-00-01" },
      position: { lat: 38.72, lng: -9.14, heading: 90, atMs: NOW - 5_000 },
      etaSeconds: 245,
      etaTo: "pickup",
    });
    expect(tripShareViewSchema.safeParse(view).success).toBe(true);
    const text = JSON.stringify(view);
    for (const secret of ["rider-1", "driver-1", "+351", "Silva", "profile", "4.9", "38.7139"]) expect(text).not.toContain(secret);
  });

  it("gives the ETA to the drop-off during the trip, 0 once arrived, and waits without a driver", () => {
    expect(shareView({ ...booking, status: "in_progress" }, location, NOW)).toMatchObject({ status: "in_progress", etaTo: "dropoff" });
    expect(shareView({ ...booking, status: "in_progress" }, location, NOW).etaSeconds).toBeGreaterThan(60);
    expect(shareView({ ...booking, status: "arrived" }, location, NOW)).toMatchObject({ etaSeconds: 0, etaTo: "pickup" });
    expect(shareView({ status: "searching", pickup: booking.pickup }, undefined, NOW)).toEqual({ status: "waiting", driver: null, position: null, etaSeconds: null, etaTo: null });
  });

  it("hides a stale position, and the driver of a trip that is not live", () => {
    expect(shareView(booking, { ...location, updatedAtMs: NOW - MAX_POSITION_AGE_MS - 1 }, NOW).position).toBeNull();
    expect(shareView({ ...booking, status: "scheduled" }, location, NOW)).toMatchObject({ status: "waiting", driver: null, position: null });
  });

  it("never carries anything but the listed fields, whatever the booking holds (property)", () => {
    fc.assert(fc.property(fc.constantFrom(...BOOKING_STATUSES), fc.dictionary(fc.string(), fc.jsonValue()), (status, junk) => {
      const view = shareView({ ...junk, ...booking, status } as typeof booking, location, NOW);
      expect(tripShareViewSchema.safeParse(view).success).toBe(true);
    }));
  });

  it("first names and tokens", () => {
    expect(firstName("  Ana   Silva ")).toBe("Ana");
    expect(firstName(undefined)).toBe("");
    const tokens = new Set(Array.from({ length: 200 }, newShareToken));
    expect(tokens.size).toBe(200);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(SHAREABLE_STATUSES.has("completed")).toBe(false);
    expect(incidentId("b1", "u1")).toBe(incidentId("b1", "u1"));
  });
});

describe("safety: an alarm's channels", () => {
  const quietAllDay = { ...DEFAULT_PREFS, trip: { push: false, email: false, sms: false }, quietHours: { start: "00:00", end: "23:59", tz: "Europe/Lisbon" } };
  it("goes by push and SMS now, whatever the preferences and quiet hours", () => {
    const input = { category: "trip" as const, transactional: false, timeSensitive: false, hasEmail: true, hasPhone: true };
    expect(planChannels(quietAllDay, input, new Date(NOW))).toEqual({});
    expect(planChannels(quietAllDay, { ...input, emergency: true }, new Date(NOW))).toEqual({ push: "now", sms: "now" });
    expect(planChannels(quietAllDay, { ...input, emergency: true, hasPhone: false }, new Date(NOW))).toEqual({ push: "now" });
  });
});
