import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { receiptContent } from "../../functions/src/payments/receiptContent.js";
import {
  checkTip,
  DEFAULT_TIP_SETTINGS,
  laterSetupStatus,
  mergeTip,
  MIN_TIP_MINOR,
  needsSavedCard,
  observeTipIntent,
  setupStatusOf,
  tipCapMinor,
  tipWindowOpen,
  TIP_STATUSES,
  type TipObservation,
  type TipState,
} from "../../functions/src/payments/tipPolicy.js";

const HOUR = 3_600_000;
const completedAtMs = 1_800_000_000_000;
const check = (amountMinor: number, nowMs = completedAtMs + HOUR, fareMinor = 1_000, settings = DEFAULT_TIP_SETTINGS) =>
  checkTip({ amountMinor, fareMinor, completedAtMs, nowMs, settings });

describe("tip bounds", () => {
  it("caps at the lower of the admin's amount and the percentage of the fare", () => {
    expect(tipCapMinor(1_000, { maxMinor: 5_000, maxPercentOfFare: 100 })).toBe(1_000);
    expect(tipCapMinor(20_000, { maxMinor: 5_000, maxPercentOfFare: 100 })).toBe(5_000);
    expect(tipCapMinor(999, { maxMinor: 5_000, maxPercentOfFare: 50 })).toBe(499); // rounded down: never above the percentage
    expect(tipCapMinor(0, DEFAULT_TIP_SETTINGS)).toBe(0);
  });

  it("accepts exactly the bounds and refuses one unit outside them, naming the limits", () => {
    expect(check(MIN_TIP_MINOR)).toEqual({ ok: true, maxMinor: 1_000 });
    expect(check(1_000)).toEqual({ ok: true, maxMinor: 1_000 });
    expect(check(1_001)).toMatchObject({ ok: false, code: "invalid-argument", reason: "above_cap", maxMinor: 1_000, minMinor: MIN_TIP_MINOR, message: "must be at most 1000" });
    expect(check(MIN_TIP_MINOR - 1)).toMatchObject({ ok: false, code: "invalid-argument", reason: "below_minimum" });
    expect(check(-5)).toMatchObject({ ok: false, reason: "below_minimum" });
  });

  it("property: an accepted tip is always within [minimum, admin cap, percentage of the fare]", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10_000, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.record({ windowHours: fc.integer({ min: 1, max: 720 }), maxMinor: fc.integer({ min: 50, max: 1_000_000 }), maxPercentOfFare: fc.integer({ min: 1, max: 1_000 }) }),
        (amountMinor, fareMinor, settings) => {
          const result = check(amountMinor, completedAtMs, fareMinor, settings);
          if (!result.ok) return;
          expect(amountMinor).toBeGreaterThanOrEqual(MIN_TIP_MINOR);
          expect(amountMinor).toBeLessThanOrEqual(settings.maxMinor);
          expect(amountMinor * 100).toBeLessThanOrEqual(fareMinor * settings.maxPercentOfFare);
        },
      ),
    );
  });
});

describe("tip window", () => {
  it("is open from the completion to exactly windowHours later, closed a millisecond after", () => {
    expect(tipWindowOpen(completedAtMs, completedAtMs, 24)).toBe(true);
    expect(tipWindowOpen(completedAtMs, completedAtMs + 24 * HOUR, 24)).toBe(true);
    expect(tipWindowOpen(completedAtMs, completedAtMs + 24 * HOUR + 1, 24)).toBe(false);
    expect(tipWindowOpen(completedAtMs, completedAtMs - 5_000, 24)).toBe(true); // server clock a little behind
  });

  it("a closed window or a trip without its completion time refuses before looking at the amount", () => {
    expect(check(200, completedAtMs + 25 * HOUR)).toMatchObject({ ok: false, code: "failed-precondition", reason: "window_closed" });
    expect(check(200, completedAtMs + 47 * HOUR, 1_000, { ...DEFAULT_TIP_SETTINGS, windowHours: 48 })).toMatchObject({ ok: true });
    expect(checkTip({ amountMinor: 200, fareMinor: 1_000, completedAtMs: undefined, nowMs: completedAtMs, settings: DEFAULT_TIP_SETTINGS })).toMatchObject({ ok: false, reason: "no_completion_time" });
  });
});

describe("tip state", () => {
  const pending: TipState = { status: "pending", intentId: null, failureReason: null };
  const observations: TipObservation[] = [
    { status: "requires_action", intentId: "pi_t" },
    { status: "requires_action", intentId: "pi_t", failureReason: "authentication_required" },
    { status: "succeeded", intentId: "pi_t" },
  ];

  it("maps Stripe's intent: succeeded, or waiting for the app with the last failure", () => {
    expect(observeTipIntent({ id: "pi_t", status: "succeeded" })).toEqual({ status: "succeeded", intentId: "pi_t" });
    expect(observeTipIntent({ id: "pi_t", status: "requires_payment_method", last_payment_error: { code: "card_declined", decline_code: "authentication_required", message: "x" } })).toEqual({
      status: "requires_action",
      intentId: "pi_t",
      failureReason: "authentication_required: x",
    });
    expect(observeTipIntent({ id: "pi_t", status: "requires_action" })).toEqual({ status: "requires_action", intentId: "pi_t" });
  });

  it("property: any order, with repeats, of a tip's observations ends succeeded with no failure reason", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...observations), { minLength: 0, maxLength: 8 }), (shuffled) => {
        const final = [...shuffled, observations[2]!].reduce((state, o) => mergeTip(state, o).next, pending);
        expect(final).toEqual({ status: "succeeded", intentId: "pi_t", failureReason: null });
        expect(mergeTip(final, observations[1]!).changed).toBe(false);
      }),
    );
  });

  it("never moves backwards", () => {
    for (const from of TIP_STATUSES) {
      for (const to of TIP_STATUSES) {
        const { next } = mergeTip({ status: from, intentId: "pi_t", failureReason: null }, { status: to, intentId: "pi_t" });
        expect(TIP_STATUSES.indexOf(next.status)).toBe(Math.max(TIP_STATUSES.indexOf(from), TIP_STATUSES.indexOf(to)));
      }
    }
  });

  it("a tip receipt has one line, no tax, and adds up", () => {
    expect(receiptContent({ totalMinor: 300, breakdown: [{ code: "tax", amountMinor: 50 }], taxRateBps: 600, kind: "tip" })).toEqual({
      lines: [{ label: "Tip for your driver", amountMinor: 300 }],
      subtotalMinor: 300,
      taxMinor: 0,
      totalMinor: 300,
    });
  });
});

describe("scheduled card bookings far ahead", () => {
  it("save the card only beyond the threshold", () => {
    const now = 1_800_000_000_000;
    expect(needsSavedCard(now + 8 * 24 * HOUR, now, 96)).toBe(true);
    expect(needsSavedCard(now + 96 * HOUR, now, 96)).toBe(false);
    expect(needsSavedCard(now + 96 * HOUR + 1, now, 96)).toBe(true);
    expect(needsSavedCard(now + HOUR, now, 96)).toBe(false);
  });

  it("a SetupIntent's status moves forward only: a saved card is never undone by a stale failure", () => {
    expect(setupStatusOf({ status: "succeeded" })).toBe("succeeded");
    expect(setupStatusOf({ status: "requires_payment_method", last_setup_error: { code: "card_declined" } })).toBe("failed");
    expect(setupStatusOf({ status: "requires_payment_method" })).toBe("requires_action");
    expect(setupStatusOf({ status: "requires_action" })).toBe("requires_action");
    expect(laterSetupStatus(undefined, "requires_action")).toBe("requires_action");
    expect(laterSetupStatus("requires_action", "failed")).toBe("failed");
    expect(laterSetupStatus("failed", "succeeded")).toBe("succeeded");
    expect(laterSetupStatus("succeeded", "failed")).toBe("succeeded");
    expect(laterSetupStatus("succeeded", "requires_action")).toBe("succeeded");
  });
});
