// The order of a new booking's checks (bookings/vetting.ts), with fake ports: a booking that fails a check never
// reaches the next one, so the paid stop order (Distance Matrix) is only asked for a booking that passed every
// other check, the rider's booking limit included (V5: a burst of bookings with invented quotes made no Maps call).
import { describe, expect, it } from "vitest";
import type { QuoteCheck } from "../../functions/src/bookings/ports";
import { vetNewBooking, type VettingPorts } from "../../functions/src/bookings/vetting";

interface FakeBooking {
  riderId: string;
  quoteId: string;
  categoryId: string;
}

const goodQuote: QuoteCheck = { ok: true, fare: { estimateMinor: 1200, currency: "eur", breakdown: [], maxMinor: 1440 }, route: { distanceMeters: 5000, durationSeconds: 600 } };

/** Fake ports recording every call; `limit` bookings per rider are allowed, then rate_limited. */
function fakePorts(options: { limit?: number; categories?: string[]; quotes?: string[]; outsideArea?: boolean } = {}) {
  const calls: string[] = [];
  const counted = new Map<string, number>();
  const ports: VettingPorts<FakeBooking> = {
    parse: (data) => {
      calls.push("parse");
      const d = data as Partial<FakeBooking>;
      return d && typeof d.riderId === "string" && typeof d.quoteId === "string" && typeof d.categoryId === "string"
        ? { ok: true, booking: d as FakeBooking }
        : { ok: false, detail: "riderId: required" };
    },
    allowance: async (b) => {
      calls.push("allowance");
      const n = (counted.get(b.riderId) ?? 0) + 1;
      if (n > (options.limit ?? 10)) return { ok: false, retryAfterMs: 42_000 };
      counted.set(b.riderId, n);
      return { ok: true };
    },
    categoryProblem: async (b) => {
      calls.push("category");
      return (options.categories ?? ["economy"]).includes(b.categoryId) ? null : "no such vehicle category";
    },
    areaProblem: async () => {
      calls.push("area");
      return options.outsideArea ? "the pickup is outside every ride service area" : null;
    },
    quote: async (b) => {
      calls.push("quote");
      return (options.quotes ?? ["q-real"]).includes(b.quoteId) ? goodQuote : { ok: false, reason: "the quote does not exist" };
    },
    stopOrder: async () => {
      calls.push("stopOrder");
      return [1, 0];
    },
  };
  return { ports, calls };
}

const booking = (over: Partial<FakeBooking> = {}): FakeBooking => ({ riderId: "rita", quoteId: "q-real", categoryId: "economy", ...over });

describe("vetting a new booking", () => {
  it("a good booking passes every check in order, the paid stop order last", async () => {
    const { ports, calls } = fakePorts();
    const result = await vetNewBooking(booking(), ports);
    expect(result).toMatchObject({ ok: true, stopOrder: [1, 0], quote: goodQuote });
    expect(calls).toEqual(["parse", "allowance", "category", "area", "quote", "stopOrder"]);
  });

  it("each failing check rejects with its reason and stops there (no paid call)", async () => {
    const cases: Array<[unknown, Parameters<typeof fakePorts>[0], string, string[]]> = [
      [{ riderId: "rita" }, {}, "invalid_booking", ["parse"]],
      [booking(), { limit: 0 }, "rate_limited", ["parse", "allowance"]],
      [booking({ categoryId: "__proto__.status" }), {}, "invalid_category", ["parse", "allowance", "category"]],
      [booking(), { outsideArea: true }, "outside_service_area", ["parse", "allowance", "category", "area"]],
      [booking({ quoteId: "invented" }), {}, "quote_mismatch", ["parse", "allowance", "category", "area", "quote"]],
    ];
    for (const [data, options, reason, expectedCalls] of cases) {
      const { ports, calls } = fakePorts(options);
      const result = await vetNewBooking(data, ports);
      expect(result.ok, reason).toBe(false);
      if (!result.ok) expect(result.rejection.reason).toBe(reason);
      expect(calls, reason).toEqual(expectedCalls);
    }
  });

  it("V5: a burst of 30 multi-stop bookings with invented quotes makes no routing call; over the limit they are rate_limited", async () => {
    const { ports, calls } = fakePorts({ limit: 10 });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => vetNewBooking(booking({ quoteId: `invented-${i}` }), ports)));
    const reasons = results.map((r) => (r.ok ? "ok" : r.rejection.reason));
    expect(reasons.filter((r) => r === "quote_mismatch")).toHaveLength(10);
    expect(reasons.filter((r) => r === "rate_limited")).toHaveLength(20);
    expect(calls.filter((c) => c === "stopOrder")).toHaveLength(0);
    expect(calls.filter((c) => c === "quote")).toHaveLength(10);
  });

  it("a burst of real bookings past the limit: only the allowed ones reach the quote and the stop order", async () => {
    const { ports, calls } = fakePorts({ limit: 3 });
    const results: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await vetNewBooking(booking(), ports);
      results.push(r.ok ? "ok" : r.rejection.reason);
    }
    expect(results).toEqual(["ok", "ok", "ok", "rate_limited", "rate_limited"]);
    expect(calls.filter((c) => c === "stopOrder")).toHaveLength(3);
    const { ports: other } = fakePorts({ limit: 0 });
    const limited = await vetNewBooking(booking(), other);
    expect(limited.ok ? "" : limited.rejection.detail).toMatch(/try again in 42 s/);
  });
});
