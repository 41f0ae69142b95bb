// What a route stop needs before completeDeliveryStop records it (fleet/stopOutcome.ts, pure).
import { describe, expect, it } from "vitest";
import type { RouteStop } from "../../../functions/src/fleet/schema.js";
import { arrivalIssue, positionIssue, stopOutcome, type StopBooking } from "../../../functions/src/fleet/stopOutcome.js";

const ctx = { planId: "p1", orderId: "o1", driverId: "van" };
const stop = (bookingId: string | null): RouteStop => ({
  orderId: "o1", bookingId, location: { lat: 0, lng: 0 }, pickup: null, eta: 0, status: "arrived", arrivedAt: 1, doneAt: null, outcome: null,
});
const scheduled: StopBooking = { status: "scheduled", serviceType: "delivery", paymentMethod: "cash", plannedBy: { planId: "p1", orderId: "o1" } };
const claim = { planId: "p1", orderId: "o1" };
const taken: StopBooking = { ...scheduled, status: "in_progress", driverId: "van", proofRequired: { photo: true, recipientCode: true, recipientName: true } };

describe("arriving at a booking-linked stop", () => {
  it("takes a scheduled cash delivery this plan holds for this stop", () => {
    expect(arrivalIssue("b", scheduled, claim, ctx)).toBeNull();
  });

  it("refuses anything else, saying why", () => {
    const reason = (booking: StopBooking | undefined, c: typeof claim | null = claim) => arrivalIssue("b", booking, c ?? undefined, ctx)?.details.reason;
    expect(reason(undefined)).toBe("booking-missing");
    for (const status of ["cancelled", "searching", "in_progress", "completed", undefined]) expect(reason({ ...scheduled, status })).toBe("booking-status");
    expect(reason({ ...scheduled, serviceType: "ride" })).toBe("booking-not-delivery");
    expect(reason({ ...scheduled, paymentMethod: "card" })).toBe("booking-payment");
    expect(reason(scheduled, null)).toBe("booking-in-other-plan");
    expect(reason(scheduled, { planId: "p2", orderId: "o1" })).toBe("booking-in-other-plan");
    expect(reason(scheduled, { planId: "p1", orderId: "o9" })).toBe("booking-in-other-plan");
  });
});

describe("finishing a stop", () => {
  it("an imported order needs nothing: delivered on the driver's word", () => {
    expect(stopOutcome(stop(null), undefined, ctx)).toEqual({ outcome: "delivered" });
  });

  it("a booking-linked stop follows its booking: completed → delivered, delivery_failed → failed", () => {
    expect(stopOutcome(stop("b"), { ...taken, status: "completed" }, ctx)).toEqual({ outcome: "delivered" });
    expect(stopOutcome(stop("b"), { ...taken, status: "delivery_failed" }, ctx)).toEqual({ outcome: "failed" });
  });

  it("refuses while the delivery is open, naming the proof still missing", () => {
    const verdict = stopOutcome(stop("b"), { ...taken, proof: { photo: { path: "x" } } }, ctx);
    expect(verdict).toMatchObject({ problem: { details: { bookingId: "b", status: "in_progress", missing: ["recipientCode", "recipientName"] } } });
  });

  it("refuses before arrival, and a booking of another driver, plan or stop, even completed", () => {
    expect(stopOutcome(stop("b"), scheduled, ctx)).toMatchObject({ problem: { message: expect.stringMatching(/Arrive/) } });
    expect(stopOutcome(stop("b"), undefined, ctx)).toHaveProperty("problem");
    const done = { ...taken, status: "completed" };
    expect(stopOutcome(stop("b"), { ...done, driverId: "someone-else" }, ctx)).toHaveProperty("problem");
    expect(stopOutcome(stop("b"), { ...done, plannedBy: { planId: "p2", orderId: "o1" } }, ctx)).toHaveProperty("problem");
    expect(stopOutcome(stop("b"), { ...done, plannedBy: { planId: "p1", orderId: "o2" } }, ctx)).toHaveProperty("problem");
    expect(stopOutcome(stop("b"), { ...done, plannedBy: null }, ctx)).toHaveProperty("problem");
  });
});

describe("the van at the drop-off (arrival geofence)", () => {
  const dropoff = { lat: 38.7369, lng: -9.1427 };
  const now = 1_800_000_000_000;
  const reason = (position: Parameters<typeof positionIssue>[2], at = dropoff) => positionIssue("b", at, position, now)?.details.reason ?? null;

  it("takes a fresh position within 250 m of the drop-off", () => {
    expect(reason({ ...dropoff, updatedAtMs: now - 5_000 })).toBeNull();
    expect(reason({ lat: dropoff.lat + 0.002, lng: dropoff.lng, updatedAtMs: now })).toBeNull(); // ~222 m
  });

  it("refuses a position too far, too old or unknown, and a booking without a drop-off", () => {
    expect(reason({ lat: dropoff.lat + 0.003, lng: dropoff.lng, updatedAtMs: now })).toBe("not-at-dropoff"); // ~333 m
    expect(reason({ ...dropoff, updatedAtMs: now - 121_000 })).toBe("position-unknown");
    expect(reason({ ...dropoff })).toBe("position-unknown");
    expect(reason({ lat: "38.7", lng: dropoff.lng, updatedAtMs: now })).toBe("position-unknown");
    expect(reason(undefined)).toBe("position-unknown");
    expect(positionIssue("b", undefined, { ...dropoff, updatedAtMs: now }, now)?.details.reason).toBe("booking-missing");
  });
});
