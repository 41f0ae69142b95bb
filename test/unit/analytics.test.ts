import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, businessDay, dayBounds, daysInRange, isValidDay } from "../../functions/src/analytics/day";
import {
  contributionOf,
  dailyFigures,
  driverFigures,
  flatten,
  nest,
  subtract,
  sum,
  type BookingInput,
} from "../../functions/src/analytics/contribution";
import { addToAverage, driverRates, onlineTransition } from "../../functions/src/analytics/driverRates";
import { financialRows, financialTotalRow, toCsv, usageRow } from "../../functions/src/analytics/report";
import { reportInputSchema } from "../../functions/src/analytics/schema";

const TZ = "Europe/Lisbon";
const at = (iso: string) => ({ toMillis: () => Date.parse(iso) });

describe("business days (Europe/Lisbon)", () => {
  it("puts an instant on its Lisbon date, also across DST", () => {
    expect(businessDay(Date.parse("2026-07-01T23:30:00Z"), TZ)).toBe("2026-07-02"); // WEST = UTC+1
    expect(businessDay(Date.parse("2026-01-01T23:30:00Z"), TZ)).toBe("2026-01-01"); // WET = UTC
  });

  it("bounds a day by local midnights, 23 h on the spring-forward day", () => {
    expect(dayBounds("2026-07-02", TZ)).toEqual({ startMs: Date.parse("2026-07-01T23:00:00Z"), endMs: Date.parse("2026-07-02T23:00:00Z") });
    const spring = dayBounds("2026-03-29", TZ);
    expect(spring.endMs - spring.startMs).toBe(23 * 3_600_000);
  });

  it("every instant of a day lies within that day's bounds", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse("2000-01-01"), max: Date.parse("2040-01-01") }), (ms) => {
        const { startMs, endMs } = dayBounds(businessDay(ms, TZ), TZ);
        return startMs <= ms && ms < endMs;
      }),
    );
  });

  it("validates and counts days", () => {
    expect(isValidDay("2026-02-28")).toBe(true);
    expect(isValidDay("2026-02-30")).toBe(false);
    expect(isValidDay("2026-2-3")).toBe(false);
    expect(daysInRange("2026-01-01", "2026-12-31")).toBe(365);
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
  });
});

const completedCard: BookingInput = {
  status: "completed",
  riderId: "r1",
  driverId: "d1",
  serviceType: "ride",
  categoryId: "standard",
  paymentMethod: "card",
  fare: { finalMinor: 1500, currency: "eur", breakdown: [{ code: "base", amountMinor: 1200 }, { code: "booking_fee", amountMinor: 100 }, { code: "tax", amountMinor: 200 }] },
  route: { distanceMeters: 5000, durationSeconds: 900 },
  timeline: { requested: at("2026-07-01T10:00:00Z"), accepted: at("2026-07-01T10:01:00Z"), arrived: at("2026-07-01T10:06:00Z"), completed: at("2026-07-01T10:30:00Z") },
};

describe("a booking's contribution", () => {
  it("is nothing until the booking reaches a terminal status", () => {
    expect(contributionOf({ ...completedCard, status: "in_progress" }, undefined, TZ)).toBeNull();
  });

  it("counts a completed card trip with fees, tax, pickup wait and on-time arrival", () => {
    const c = contributionOf(completedCard, { currency: "eur", amountCapturedMinor: 1500, amountRefundedMinor: 0 }, TZ)!;
    expect(dailyFigures(c)).toEqual({
      "bookings.total": 1,
      "bookings.byStatus.completed": 1,
      "bookings.byServiceType.ride": 1,
      "bookings.byCategory.standard": 1,
      "trips.completed": 1,
      "money.eur.grossFaresMinor": 1500,
      "money.eur.cardFaresMinor": 1500,
      "money.eur.bookingFeesMinor": 100,
      "money.eur.taxMinor": 200,
      "money.eur.capturedMinor": 1500,
      "pickupWait.totalSeconds": 300,
      "pickupWait.count": 1,
      "tripDistance.totalMeters": 5000,
      "tripDistance.count": 1,
      "tripDuration.totalSeconds": 900,
      "tripDuration.count": 1,
    });
    expect(driverFigures(c)).toEqual({ "trips.completed": 1, "earningsMinor.eur": 1200, "arrivals.total": 1, "arrivals.onTime": 1 });
  });

  it("counts a cancellation with fee on the day it was requested", () => {
    const c = contributionOf(
      { status: "cancelled", riderId: "r2", serviceType: "ride", categoryId: "standard", paymentMethod: "card", cancellation: { by: "rider", reason: "late", feeMinor: 300 }, timeline: { requested: at("2026-07-01T23:30:00Z") } },
      undefined,
      TZ,
    )!;
    expect(c.day).toBe("2026-07-02");
    expect(dailyFigures(c)).toMatchObject({ "trips.cancelled": 1, "trips.cancelledWithFee": 1, "money.eur.cancellationFeesMinor": 300 });
    expect(driverFigures(c)).toEqual({});
  });

  it("a late arrival is not on time", () => {
    const late = { ...completedCard, timeline: { ...completedCard.timeline, arrived: at("2026-07-01T10:20:00Z") } };
    expect(driverFigures(contributionOf(late, undefined, TZ)!)).toMatchObject({ "arrivals.total": 1 });
    expect(driverFigures(contributionOf(late, undefined, TZ)!)["arrivals.onTime"]).toBeUndefined();
  });
});

describe("figures arithmetic", () => {
  it("subtract then sum gets back the original, dropping zeros", () => {
    const figures = fc.dictionary(fc.constantFrom("a", "b.c", "b.d", "e.f.g"), fc.integer({ min: -1000, max: 1000 }).filter((n) => n !== 0));
    fc.assert(
      fc.property(figures, figures, (a, b) => {
        expect(sum(subtract(a, b), b)).toEqual(a);
      }),
    );
    expect(subtract({ a: 1 }, { a: 1 })).toEqual({});
  });

  it("nest and flatten are inverses", () => {
    const f = { "money.eur.grossFaresMinor": 5, activeRiders: 2, "bookings.byStatus.completed": 1 };
    expect(flatten(nest(f, (v) => v))).toEqual(f);
  });
});

describe("driver rates and averages", () => {
  it("derives acceptance, on-time and rating from counters", () => {
    expect(driverRates({ "offers.received": 4, "offers.accepted": 3, "arrivals.total": 2, "arrivals.onTime": 1, "ratings.count": 3, "ratings.starsTotal": 13 })).toEqual({
      acceptanceRate: 0.75,
      onTimeArrivalRate: 0.5,
      rating: { avg: 4.33, count: 3 },
    });
    expect(driverRates({}).acceptanceRate).toBeNull();
  });

  it("keeps an exact running average of integer stars", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 500 }), (stars) => {
        const result = stars.reduce<{ avg: number; count: number } | undefined>((acc, s) => addToAverage(acc, s), undefined)!;
        expect(result.count).toBe(stars.length);
        expect(Math.round(result.avg * result.count)).toBe(stars.reduce((a, b) => a + b, 0));
      }),
    );
  });
});

describe("online time", () => {
  it("opens a session when a driver goes online and measures it when they go offline", () => {
    const opened = onlineTransition(null, false, true, 1_000_000);
    expect(opened).toEqual({ onlineSinceMs: 1_000_000, closedSeconds: 0 });
    expect(onlineTransition(opened.onlineSinceMs, true, true, 2_000_000)).toEqual(opened); // available ↔ busy
    expect(onlineTransition(opened.onlineSinceMs, true, false, 1_000_000 + 5_400_000)).toEqual({ onlineSinceMs: null, closedSeconds: 5400 });
  });

  it("keeps the first opening and ignores a close without an open session", () => {
    expect(onlineTransition(500, false, true, 900)).toEqual({ onlineSinceMs: 500, closedSeconds: 0 });
    expect(onlineTransition(null, true, false, 900)).toEqual({ onlineSinceMs: null, closedSeconds: 0 });
  });
});

describe("reports", () => {
  it("usage and financial rows, totals and CSV", () => {
    const f = { "bookings.total": 3, "trips.completed": 1, "trips.cancelled": 1, "money.eur.grossFaresMinor": 1500, "money.eur.refundsMinor": 200, "money.eur.cancellationFeesMinor": 300 };
    expect(usageRow("2026-07-01", f)).toMatchObject({ bookings: 3, cancellationRate: 0.5, averagePickupWaitSeconds: null });
    const rows = financialRows("2026-07-01", f);
    expect(rows).toEqual([expect.objectContaining({ currency: "eur", netRevenueMinor: 1600 })]);
    const total = financialTotalRow([...rows, ...rows], "eur");
    expect(total).toMatchObject({ day: "total", currency: "eur", grossFaresMinor: 3000, completedTrips: 2, netRevenueMinor: 3200 });
    expect(toCsv(["a", "b"], [{ a: "x,y", b: null }, { a: 'q"', b: 2 }])).toBe('a,b\n"x,y",\n"q""",2\n');
  });

  it("validates ranges with field paths", () => {
    const paths = (data: unknown) => (reportInputSchema.safeParse(data).error?.issues ?? []).map((i) => i.path.join("."));
    expect(paths({ kind: "usage", from: "2026-01-01", to: "2026-03-31" })).toEqual([]);
    expect(paths({ kind: "usage", from: "2026-02-01", to: "2026-01-01" })).toEqual(["from"]);
    expect(paths({ kind: "usage", from: "2025-01-01", to: "2026-01-02" })).toEqual(["to"]);
    expect(paths({ kind: "usage", from: "2024-01-01", to: "2024-12-31" })).toEqual([]); // 366 days (leap year)
    expect(paths({ kind: "weekly", from: "2026-13-01", to: "x" }).sort()).toEqual(["from", "kind", "to"]);
  });
});
