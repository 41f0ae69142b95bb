// Analytics turns booking fields into field paths (bookings.byCategory.<categoryId>, money.<currency>.…) and
// uids into document ids: whatever a booking holds, no path segment outside the allow-list is produced and
// nothing reaches Object.prototype (the V4 prototype-pollution attack).
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  CONFIRMATION_REJECTIONS,
  contributionOf,
  dailyFigures,
  driverFigures,
  flatten,
  isSafeDocId,
  isSafeKey,
  nest,
  subtract,
  sum,
  type BookingInput,
  type Figures,
} from "../../functions/src/analytics/contribution";

const TZ = "Europe/Lisbon";
const at = (iso: string) => ({ toMillis: () => Date.parse(iso) });
const HOSTILE = [
  "__proto__", "constructor", "prototype", "__proto__.status", "constructor.prototype.driverId", "constructor.prototype",
  "toString", "hasOwnProperty", "a.b", "", ".", "..", "a/b", "__x__", "x".repeat(65), "money.eur", "ünïcode", " ",
];
const hostileString = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 80 }), fc.string({ unit: "grapheme", maxLength: 10 }));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const completed = (overrides: Partial<BookingInput>): BookingInput => ({
  status: "completed", riderId: "r1", driverId: "d1", serviceType: "ride", categoryId: "economy", paymentMethod: "card",
  fare: { finalMinor: 1500, currency: "eur", breakdown: [{ code: "booking_fee", amountMinor: 100 }] },
  route: { distanceMeters: 5000, durationSeconds: 900 },
  timeline: { accepted: at("2026-07-01T10:01:00Z"), arrived: at("2026-07-01T10:06:00Z"), completed: at("2026-07-01T10:30:00Z") },
  ...overrides,
});

const ALLOWED_PARENTS = {
  "bookings.byStatus": ["completed", "cancelled", "no_drivers", "payment_failed"],
  "bookings.byServiceType": ["ride", "delivery", "hourly", "unknown"],
};

/** Every path a contribution may write: fixed names, plus the allow-listed value under each by-key parent. */
function expectAllowed(paths: string[], categoryId: unknown): void {
  for (const path of paths) {
    for (const segment of path.split(".")) expect(isSafeKey(segment), `${path} has the unsafe segment ${JSON.stringify(segment)}`).toBe(true);
    const [a, b, c] = path.split(".");
    const parent = `${a}.${b}`;
    if (parent in ALLOWED_PARENTS) expect(ALLOWED_PARENTS[parent as keyof typeof ALLOWED_PARENTS]).toContain(c);
    if (parent === "bookings.byCategory") expect(c === "other" || c === "unknown" || c === categoryId).toBe(true);
    if (a === "money" || a === "earningsMinor") expect(b).toMatch(/^[a-z]{3}$/);
  }
}

const prototypeSnapshot = () => Object.getOwnPropertyNames(Object.prototype).sort().join(",");
const before = prototypeSnapshot();
afterEach(() => {
  // A test that polluted the prototype must fail loudly, and not leak into the next one.
  expect(prototypeSnapshot()).toBe(before);
  expect(({} as Record<string, unknown>).driverId).toBeUndefined();
  expect(({} as Record<string, unknown>).status).toBeUndefined();
});

describe("analytics keys: client strings never become paths outside the allow-list", () => {
  it("the V4 attack: a dotted categoryId is counted as 'other' and pollutes nothing", () => {
    for (const categoryId of ["constructor.prototype.driverId", "__proto__.status", "constructor", "__proto__", "prototype"]) {
      const c = contributionOf(completed({ categoryId }), undefined, TZ)!;
      expect(c.categoryId).toBe("other");
      const nested = nest(dailyFigures(c), (v) => v);
      expect(Object.keys(nested.bookings as object)).toContain("byCategory");
      expect((nested.bookings as { byCategory: Record<string, number> }).byCategory).toEqual({ other: 1 });
    }
    // The next honest booking is credited to its own driver (it went to driverStats/[object Object] before).
    const honest = contributionOf(completed({ driverId: "d-honest" }), undefined, TZ)!;
    expect(honest.driverId).toBe("d-honest");
  });

  it("nest refuses an unsafe path instead of walking into a prototype", () => {
    for (const path of ["constructor.prototype.driverId", "__proto__.status", "a.constructor", "a..b", "a/b", "prototype"]) {
      expect(() => nest({ [path]: 1 } as Figures, (v) => v), path).toThrow(/refusing/);
    }
    expect(() => nest({ a: 1, "a.b": 2 } as Figures, (v) => v)).toThrow();
    expect(() => sum({ "__proto__.status": 1 } as Figures)).toThrow(/refusing/);
  });

  it("flatten skips stored fields whose names are not safe keys", () => {
    const stored = JSON.parse('{"__proto__": {"status": 1}, "constructor": {"prototype": {"driverId": 2}}, "trips": {"completed": 3, "a.b": 4}}');
    expect(flatten(stored)).toEqual({ "trips.completed": 3 });
  });

  it("a booking the server rejected at confirmation counts nothing", () => {
    for (const reason of CONFIRMATION_REJECTIONS) {
      const rejected = { status: "cancelled", riderId: "r1", categoryId: "ghost", serviceType: "ride", cancellation: { by: "server", reason, feeMinor: 0 }, timeline: { requested: at("2026-07-01T10:00:00Z") } };
      expect(contributionOf(rejected, undefined, TZ), reason).toBeNull();
    }
    const riderCancelled = { status: "cancelled", riderId: "r1", cancellation: { by: "rider", reason: "other" }, timeline: { requested: at("2026-07-01T10:00:00Z") } };
    expect(contributionOf(riderCancelled, undefined, TZ)).not.toBeNull();
  });

  it("unsafe uids and currencies are not counted (they would be document ids and path segments)", () => {
    expect(contributionOf(completed({ riderId: "a/b" }), undefined, TZ)).toBeNull();
    expect(contributionOf(completed({ riderId: "__proto__" }), undefined, TZ)).toBeNull();
    expect(contributionOf(completed({ driverId: "../x" }), undefined, TZ)).toBeNull();
    expect(contributionOf(completed({ fare: { finalMinor: 1, currency: "constructor" } }), undefined, TZ)).toBeNull();
    expect(isSafeDocId("uid-123_ABC")).toBe(true);
    expect(isSafeDocId("__name__")).toBe(false);
  });

  it("property: arbitrary booking strings never produce an unsafe or unlisted path, and never pollute", () => {
    const booking = fc.record({
      status: fc.oneof(fc.constantFrom("completed", "cancelled", "no_drivers", "payment_failed"), hostileString),
      riderId: fc.oneof(fc.constant("r1"), hostileString),
      driverId: maybe(fc.oneof(fc.constant("d1"), hostileString)),
      serviceType: maybe(fc.oneof(fc.constantFrom("ride", "delivery", "hourly"), hostileString)),
      categoryId: maybe(fc.oneof(fc.constantFrom("economy", "moto"), hostileString)),
      paymentMethod: maybe(fc.oneof(fc.constantFrom("card", "cash"), hostileString)),
      currency: fc.oneof(fc.constantFrom("eur", "gbp"), hostileString),
      reason: hostileString,
    });
    fc.assert(
      fc.property(booking, (b) => {
        const input = completed({
          status: b.status, riderId: b.riderId, driverId: b.driverId, serviceType: b.serviceType, categoryId: b.categoryId,
          paymentMethod: b.paymentMethod, fare: { finalMinor: 900, currency: b.currency }, cancellation: { by: "rider", reason: b.reason, feeMinor: 100 },
          createdAt: at("2026-07-01T10:00:00Z"),
        });
        const c = contributionOf(input, { currency: b.currency, amountCapturedMinor: 900 }, TZ);
        if (!c) return;
        const daily = dailyFigures(c);
        const driver = driverFigures(c);
        expectAllowed([...Object.keys(daily), ...Object.keys(driver)], b.categoryId);
        if (c.driverId !== null) expect(isSafeDocId(c.driverId)).toBe(true);
        expect(isSafeDocId(c.riderId)).toBe(true);
        // The whole write path: nest for the increments, flatten back, subtract for a recount.
        expect(flatten(nest(daily, (v) => v))).toEqual(daily);
        expect(subtract({}, sum(daily, driver))).toBeDefined();
        expect(prototypeSnapshot()).toBe(before);
      }),
      { numRuns: 500 },
    );
  });
});
