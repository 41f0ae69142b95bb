import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  authorisationAmount,
  mergePayment,
  observeIntent,
  observeRefundedCharge,
  refundable,
  settlement,
  STATUS_RANK,
  type PaymentAmounts,
  type PaymentObservation,
} from "../../functions/src/payments/paymentState.js";
import { formatReceiptNumber, receiptContent, receiptEmail } from "../../functions/src/payments/receiptContent.js";
import { parseForm } from "../stripe-server/form.js";

const fold = (observations: PaymentObservation[]) =>
  observations.reduce<PaymentAmounts | undefined>((state, o) => mergePayment(state, o).next, undefined);

// The observations a normal card payment produces, in the order Stripe would send them.
const lifecycle = (authorised: number, captured: number, refunds: number[]): PaymentObservation[] => {
  let refunded = 0;
  return [
    { status: "requires_action" },
    { status: "failed", failureReason: "card_declined" },
    { status: "authorized", amountAuthorizedMinor: authorised },
    { status: "captured", amountAuthorizedMinor: authorised, amountCapturedMinor: captured },
    ...refunds.map((r) => {
      refunded += r;
      return observeRefundedCharge({ amount_captured: captured, amount_refunded: refunded });
    }),
  ];
};

describe("payments: merge of observations", () => {
  it("any order and any number of repeats of the same observations gives the same final state", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 100_000 }).chain((authorised) =>
          fc.tuple(fc.constant(authorised), fc.integer({ min: 1, max: authorised })).chain(([a, c]) =>
            fc.tuple(fc.constant(a), fc.constant(c), fc.array(fc.integer({ min: 1, max: Math.max(1, Math.floor(c / 4)) }), { maxLength: 3 })),
          ),
        ),
        fc.infiniteStream(fc.nat()),
        ([authorised, captured, refunds], randomness) => {
          const ordered = lifecycle(authorised, captured, refunds);
          const shuffled = ordered.flatMap((o) => [o, o]).map((o) => ({ o, k: randomness.next().value as number })).sort((x, y) => x.k - y.k).map((x) => x.o);
          expect(fold(shuffled)).toEqual(fold(ordered));
        },
      ),
    );
  });

  it("never moves a payment backwards", () => {
    const captured = fold([{ status: "captured", amountCapturedMinor: 900 }])!;
    for (const status of ["requires_action", "failed", "authorized", "canceled"] as const) {
      const { next, changed } = mergePayment(captured, { status });
      expect(next.status).toBe("captured");
      expect(changed).toBe(false);
    }
    expect(mergePayment(captured, { status: "captured", amountCapturedMinor: 900 }).changed).toBe(false);
    expect(STATUS_RANK.refunded).toBeGreaterThan(STATUS_RANK.partially_refunded);
  });

  it("derives partially_refunded and refunded from the amounts", () => {
    const captured = fold([{ status: "captured", amountCapturedMinor: 1000 }])!;
    expect(mergePayment(captured, observeRefundedCharge({ amount_captured: 1000, amount_refunded: 300 })).next.status).toBe("partially_refunded");
    expect(mergePayment(captured, observeRefundedCharge({ amount_captured: 1000, amount_refunded: 1000 })).next.status).toBe("refunded");
    expect(refundable({ amountCapturedMinor: 1000, amountRefundedMinor: 300 })).toBe(700);
  });

  it("maps PaymentIntent statuses", () => {
    const intent = { id: "pi_1", amount: 1200, amount_capturable: 0, amount_received: 0 };
    expect(observeIntent({ ...intent, status: "requires_payment_method" }).status).toBe("requires_action");
    expect(observeIntent({ ...intent, status: "requires_action" }).status).toBe("requires_action");
    expect(observeIntent({ ...intent, status: "requires_capture", amount_capturable: 1200 })).toMatchObject({ status: "authorized", amountAuthorizedMinor: 1200 });
    expect(observeIntent({ ...intent, status: "succeeded", amount_received: 1000 })).toMatchObject({ status: "captured", amountCapturedMinor: 1000 });
    expect(observeIntent({ ...intent, status: "canceled" }).status).toBe("canceled");
    const failed = observeIntent({ ...intent, status: "requires_payment_method", last_payment_error: { code: "card_declined", decline_code: "insufficient_funds", message: "Your card has insufficient funds." } });
    expect(failed).toEqual({ intentId: "pi_1", status: "failed", failureReason: "insufficient_funds: Your card has insufficient funds." });
  });
});

describe("payments: amounts", () => {
  it("authorises the estimate plus 20 %, at least 100 minor units more", () => {
    expect(authorisationAmount(1000)).toBe(1200);
    expect(authorisationAmount(300)).toBe(400);
    expect(authorisationAmount(1001)).toBe(1001 + 201);
  });

  it("settles by capturing what fits and charging the rest, never more in all than the cap", () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(1_000_000), fc.nat(1_000_000), (final, authorised, cap) => {
        const { captureMinor, extraMinor } = settlement(final, authorised, cap);
        expect(captureMinor).toBeLessThanOrEqual(authorised);
        expect(captureMinor + extraMinor).toBe(Math.min(final, cap));
        expect(extraMinor).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it("without a cap nothing beyond the authorisation is charged", () => {
    expect(settlement(136_685, 917)).toEqual({ captureMinor: 917, extraMinor: 0 });
    expect(settlement(800, 917)).toEqual({ captureMinor: 800, extraMinor: 0 });
    expect(settlement(1_100, 1_000, 1_200)).toEqual({ captureMinor: 1_000, extraMinor: 100 });
  });
});

describe("payments: receipt content", () => {
  const breakdown = [
    { code: "base", label: "Base fare", amountMinor: 300 },
    { code: "distance", amountMinor: 600 },
    { code: "tax", label: "VAT", amountMinor: 57 },
  ];

  it("lines always add up to the total; tax comes from the tax line, taxMinor or the rate", () => {
    fc.assert(
      fc.property(fc.nat(100_000), (total) => {
        const content = receiptContent({ totalMinor: total, breakdown, kind: "fare" });
        expect(content.lines.reduce((s, l) => s + l.amountMinor, 0) + content.taxMinor).toBe(total);
        expect(content.subtotalMinor + content.taxMinor).toBe(total);
      }),
    );
    expect(receiptContent({ totalMinor: 957, breakdown, kind: "fare" })).toEqual({
      lines: [{ label: "Base fare", amountMinor: 300 }, { label: "Distance", amountMinor: 600 }],
      subtotalMinor: 900,
      taxMinor: 57,
      totalMinor: 957,
    });
    expect(receiptContent({ totalMinor: 1060, taxRateBps: 600, kind: "fare" }).taxMinor).toBe(60);
    expect(receiptContent({ totalMinor: 1060, taxMinor: 10, taxRateBps: 600, kind: "fare" }).taxMinor).toBe(10);
    expect(receiptContent({ totalMinor: 500, breakdown, kind: "cancellation_fee" }).lines).toEqual([{ label: "Cancellation fee", amountMinor: 500 }]);
  });

  it("formats numbers and escapes HTML in the e-mail", () => {
    expect(formatReceiptNumber(42)).toBe("R-000042");
    const mail = receiptEmail({ lines: [{ label: "<b>x</b>", amountMinor: 100 }], subtotalMinor: 100, taxMinor: 0, totalMinor: 100, numberText: "R-000001", currency: "eur", paymentMethod: "card", bookingId: "b1" });
    expect(mail.html).not.toContain("<b>x</b>");
    expect(mail.text).toContain("Total: 1.00 EUR");
    expect(mail.subject).toBe("Your fleetfire receipt R-000001");
  });
});

describe("stripe test server: form bodies", () => {
  it("decodes the SDK's bracket notation", () => {
    expect(parseForm("amount=1200&metadata[bookingId]=b1&metadata[kind]=fare&expand[0]=a&expand[1]=b&x[y][z]=1")).toEqual({
      amount: "1200",
      metadata: { bookingId: "b1", kind: "fare" },
      expand: ["a", "b"],
      x: { y: { z: "1" } },
    });
  });
});
