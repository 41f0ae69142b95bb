import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addEntries,
  buildStatement,
  clawbackFor,
  commissionFor,
  DEFAULT_COMMISSION_BPS,
  EMPTY_TOTALS,
  ENTRY_KINDS,
  isoWeekOfDate,
  pendingTransfer,
  planClawbacks,
  previousWeek,
  reversalAmount,
  transferAmount,
  weekBounds,
  weekIdOf,
  type EntryAmount,
} from "../../functions/src/earnings/ledgerMath";
import { pricingConfigSchema } from "../../functions/src/pricing/configSchema";

const amount = fc.integer({ min: -1_000_000, max: 1_000_000 });
const entry: fc.Arbitrary<EntryAmount> = fc.record({ kind: fc.constantFrom(...ENTRY_KINDS), amountMinor: amount });

describe("earnings: ledger arithmetic", () => {
  it("the balance is always the sum of the entries, whatever the order or the batching", () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 60 }), fc.integer({ min: 0, max: 60 }), (entries, cut) => {
        const oneGo = addEntries(EMPTY_TOTALS, entries);
        const twoGoes = addEntries(addEntries(EMPTY_TOTALS, entries.slice(0, cut)), entries.slice(cut));
        const reversed = addEntries(EMPTY_TOTALS, [...entries].reverse());
        const sum = entries.reduce((s, e) => s + e.amountMinor, 0);
        expect(oneGo.balanceMinor).toBe(sum);
        expect(twoGoes).toEqual(oneGo);
        expect(reversed).toEqual(oneGo);
        expect(oneGo.entryCount).toBe(entries.length);
        expect(oneGo.paidOutMinor + entries.filter((e) => e.kind === "payout").reduce((s, e) => s + e.amountMinor, 0)).toBe(0);
      }),
    );
  });

  it("balance = what the platform still holds + what sits on the driver's Stripe account", () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 40 }), fc.integer({ min: 0, max: 1_000_000 }), (entries, transferred) => {
        const totals = addEntries(EMPTY_TOTALS, entries);
        const inAccount = transferred - totals.paidOutMinor;
        expect(pendingTransfer(totals, transferred) + inAccount).toBe(totals.balanceMinor);
      }),
    );
  });

  it("commission: the rate rounded half up, at least the minimum, never more than the fare; 20 % by default", () => {
    expect(commissionFor(1000, undefined)).toBe(200);
    expect(DEFAULT_COMMISSION_BPS).toBe(2000);
    expect(commissionFor(1005, { rateBps: 1500 })).toBe(151); // 150.75
    expect(commissionFor(1003, { rateBps: 1500 })).toBe(150); // 150.45
    expect(commissionFor(100, { rateBps: 1000, minimumMinor: 50 })).toBe(50);
    expect(commissionFor(30, { rateBps: 1000, minimumMinor: 50 })).toBe(30);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 10_000 }), (fare, rateBps, minimumMinor) => {
        const c = commissionFor(fare, { rateBps, minimumMinor });
        expect(Number.isInteger(c)).toBe(true);
        expect(c).toBeGreaterThanOrEqual(0);
        expect(c).toBeLessThanOrEqual(fare);
        expect(c).toBe(Math.min(fare, Math.max(Math.round((fare * rateBps) / 10_000), minimumMinor)));
      }),
    );
  });

  it("netting: a debt is paid first out of the next share; the transfer never exceeds the share nor goes negative", () => {
    expect(transferAmount(-200 + 800, 800)).toBe(600);
    expect(transferAmount(-1000 + 800, 800)).toBe(0);
    expect(transferAmount(1200, 800)).toBe(800);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.array(fc.integer({ min: 0, max: 5_000 }), { maxLength: 10 }), fc.array(fc.integer({ min: 1, max: 5_000 }), { maxLength: 10 }), (debt, cashFees, shares) => {
        // Cash trips add debt; each card trip's share is appended, then its transfer decided: the driver's own loop.
        let earned = -debt - cashFees.reduce((a, b) => a + b, 0);
        let transferred = 0;
        for (const share of shares) {
          earned += share;
          const t = transferAmount(earned - transferred, share);
          expect(t).toBeGreaterThanOrEqual(0);
          expect(t).toBeLessThanOrEqual(share);
          transferred += t;
        }
        // Nothing is transferred while a debt remains, and the platform never pays more than it owes.
        expect(transferred).toBeLessThanOrEqual(Math.max(0, earned));
        expect(transferred).toBe(Math.max(0, Math.min(earned, transferred)));
        const sharesTotal = shares.reduce((a, b) => a + b, 0);
        if (earned >= 0 && shares.length) expect(earned - transferred).toBeLessThanOrEqual(sharesTotal);
      }),
    );
  });

  it("a refund claws back the driver's proportional part, never more than the share; a reversal never exceeds what remains", () => {
    expect(clawbackFor(500, 1000, 800)).toBe(400);
    expect(clawbackFor(1, 1000, 800)).toBe(1); // 0.8 rounds up
    expect(clawbackFor(1000, 1000, 800)).toBe(800);
    expect(reversalAmount(400, 800, 0)).toBe(400);
    expect(reversalAmount(400, 600, 300)).toBe(300);
    expect(reversalAmount(400, 0, 0)).toBe(0);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 100 }), fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 8 }), (fare, sharePct, parts) => {
        const share = Math.floor((fare * sharePct) / 100);
        const total = parts.reduce((a, b) => a + b, 0);
        // Split the whole fare into refunds: their clawbacks together are the whole share (±1 per refund, capped).
        let left = fare;
        const refunds = parts.map((p, i) => {
          const amountMinor = i === parts.length - 1 ? left : Math.floor((fare * p) / total);
          left -= amountMinor;
          return { id: `re_${i}`, amount: amountMinor, created: i };
        }).filter((r) => r.amount > 0);
        const planned = planClawbacks(refunds, fare, share);
        const clawed = planned.reduce((s, p) => s + p.clawbackMinor, 0);
        expect(clawed).toBeLessThanOrEqual(share);
        expect(share - clawed).toBeLessThanOrEqual(refunds.length);
        // The same refunds in any order plan the same clawbacks per refund.
        expect(planClawbacks([...refunds].reverse(), fare, share)).toEqual(planned);
      }),
    );
  });
});

describe("earnings: weeks and statements", () => {
  it("ISO weeks: known dates, Lisbon midnight, bounds and the previous week", () => {
    expect(isoWeekOfDate(2026, 1, 1)).toBe("2026-W01");
    expect(isoWeekOfDate(2027, 1, 1)).toBe("2026-W53");
    expect(isoWeekOfDate(2024, 12, 30)).toBe("2025-W01");
    expect(isoWeekOfDate(2026, 12, 6)).toBe("2026-W49");
    expect(weekIdOf(new Date("2026-12-06T23:30:00Z"), "Europe/Lisbon")).toBe("2026-W49"); // Sunday 23:30 in Lisbon
    expect(weekIdOf(new Date("2026-07-05T23:30:00Z"), "Europe/Lisbon")).toBe("2026-W28"); // Monday 00:30 (summer time)
    expect(weekBounds("2026-W49")).toEqual({ from: "2026-11-30", to: "2026-12-06" });
    expect(weekBounds("2026-W53")).toEqual({ from: "2026-12-28", to: "2027-01-03" });
    expect(previousWeek("2026-W01")).toBe("2025-W52");
    expect(previousWeek("2027-W01")).toBe("2026-W53");
    fc.assert(
      fc.property(fc.date({ min: new Date("2001-01-01"), max: new Date("2098-12-31"), noInvalidDate: true }), (date) => {
        const week = isoWeekOfDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
        const { from, to } = weekBounds(week);
        const day = date.toISOString().slice(0, 10);
        expect(from <= day && day <= to).toBe(true);
      }),
    );
  });

  it("a statement runs the balance from the opening, totals per kind, and its CSV cannot smuggle a formula", () => {
    const statement = buildStatement("2026-W49", -200, [
      { entryId: "commission-b2", kind: "commission", amountMinor: -200, bookingId: "b2", note: "Platform commission", occurredAt: "2026-12-02T10:00:00.000Z" },
      { entryId: "fare-b2", kind: "fare_share", amountMinor: 1000, bookingId: "b2", note: "Fare (card)", occurredAt: "2026-12-02T10:00:00.000Z" },
      { entryId: "adjustment-x", kind: "adjustment", amountMinor: 5, bookingId: null, note: '=HYPERLINK("evil"), "quoted"', occurredAt: "2026-12-03T10:00:00.000Z" },
    ], "eur");
    expect(statement.closingMinor).toBe(605);
    expect(statement.totals).toMatchObject({ fare_share: 1000, commission: -200, adjustment: 5, payout: 0 });
    expect(statement.lines.map((l) => l.entryId)).toEqual(["commission-b2", "fare-b2", "adjustment-x"]);
    const rows = statement.csv.trim().split("\n");
    expect(rows[0]).toBe("date,kind,booking,note,amount (EUR),balance");
    expect(rows[1]).toBe("2026-12-02T10:00:00.000Z,commission,b2,Platform commission,-2.00,-4.00");
    expect(rows[3]).toBe(`2026-12-03T10:00:00.000Z,adjustment,,"'=HYPERLINK(""evil""), ""quoted""",0.05,6.05`);
  });
});

describe("earnings: the commission sits in the pricing config, validated with it", () => {
  const base = {
    currency: "eur",
    categories: { standard: { baseFareMinor: 300, perKmMinor: 100, perMinuteMinor: 20, minimumFareMinor: 500, bookingFeeMinor: 100, cancellationFeeMinor: 300, perStopMinor: 0 } },
    surge: { cap: 2, windows: [], zones: [] },
    scheduledSurchargeMinor: 0,
    taxRateBps: 600,
  };
  it("accepts 0–50 % and an optional minimum; refuses more, fractions and unknown fields", () => {
    expect(pricingConfigSchema.safeParse(base).success).toBe(true);
    expect(pricingConfigSchema.safeParse({ ...base, commission: { rateBps: 1500, minimumMinor: 50 } }).success).toBe(true);
    for (const commission of [{ rateBps: 5001 }, { rateBps: -1 }, { rateBps: 12.5 }, { rateBps: 1000, extra: true }, { minimumMinor: 10 }]) {
      const parsed = pricingConfigSchema.safeParse({ ...base, commission });
      expect(parsed.success, JSON.stringify(commission)).toBe(false);
      expect(parsed.error!.issues[0]!.path[0]).toBe("commission");
    }
  });
});

describe("the driver app's onboarding line", () => {
  it("says what Stripe still needs, once each, in words", async () => {
    const { onboardingLine } = await import("../../web/src/earningsText");
    expect(onboardingLine(null)).toContain("not set up yet");
    expect(onboardingLine({ ready: true, currentlyDue: [], pastDue: [] })).toBe("Payouts are set up.");
    expect(onboardingLine({ ready: false, currentlyDue: ["external_account", "tos_acceptance.date"], pastDue: ["external_account"] })).toBe("Payouts need: external account, tos acceptance.date.");
    expect(onboardingLine({ ready: false, currentlyDue: [], pastDue: [] })).toBe("Stripe is checking your details.");
  });
});
