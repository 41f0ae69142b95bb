// Proof of delivery and failed deliveries: the pure parts (requirements, the code, the image check, the return
// leg, the receipt's words, the state machine and the payment edge).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pricing } from "../../scripts/seed/data";
import {
  codeGuessesLeft, DELIVERY_CODE_MAX_ATTEMPTS, missingProof, photoProblem, PROOF_PHOTO_MAX_BYTES, PROOF_PHOTO_PATH, sniffImage,
} from "../../functions/src/bookings/deliveryProofPolicy";
import { generateDeliveryCode } from "../../functions/src/bookings/policy";
import { canTransition, isFinal, TERMINAL_STATUSES } from "../../functions/src/bookings/stateMachine";
import { describeIssues } from "../../functions/src/common/validation";
import { pricingConfigSchemaFor, type PricingConfig } from "../../functions/src/pricing/configSchema";
import { returnLegLine, withReturnLeg } from "../../functions/src/pricing/returnLeg";
import { finalFare, DEFAULT_FINAL_FARE_POLICY } from "../../functions/src/pricing/finalFare";
import { deliveryReceipt, deliverySentence, receiptContent } from "../../functions/src/payments/receiptContent";
import { paymentEdge } from "../../functions/src/pipeline/bookingWritten";
import { guessedCode, issuesCode } from "../../functions/src/pipeline/deliveryProofChecks";
import { contributionOf, driverFigures } from "../../functions/src/analytics/contribution";
import { recoveryFor } from "../../functions/src/bookings/recovery";

const ALL = { photo: true, recipientCode: true, recipientName: true };
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
const WEBP = new TextEncoder().encode("RIFF\u0000\u0000\u0000\u0000WEBPVP8 ");
const delivery = () => JSON.parse(JSON.stringify(pricing.delivery)) as PricingConfig & Record<string, unknown>;

describe("proof requirements", () => {
  it("lists what is missing, in order; nothing when nothing is required", () => {
    expect(missingProof(ALL, {})).toEqual(["photo", "recipientCode", "recipientName"]);
    expect(missingProof(ALL, { proof: { photo: {}, code: {} }, receivedBy: "  " })).toEqual(["recipientName"]);
    expect(missingProof(ALL, { proof: { photo: {}, code: {} }, receivedBy: "Rui" })).toEqual([]);
    expect(missingProof(undefined, {})).toEqual([]);
    expect(missingProof({ photo: false, recipientCode: true, recipientName: false }, { proof: { photo: {} } })).toEqual(["recipientCode"]);
  });

  it("code guesses: the limit, never below zero", () => {
    expect(codeGuessesLeft({})).toBe(DELIVERY_CODE_MAX_ATTEMPTS);
    expect(codeGuessesLeft({ deliveryCodeAttempts: DELIVERY_CODE_MAX_ATTEMPTS })).toBe(0);
    expect(codeGuessesLeft({ deliveryCodeAttempts: 99 })).toBe(0);
  });

  it("the recipient's code is 6 digits, zero-padded", () => {
    expect(generateDeliveryCode(() => 42)).toBe("000042");
    fc.assert(fc.property(fc.integer({ min: 0, max: 999_999 }), (n) => /^\d{6}$/.test(generateDeliveryCode(() => n))));
    expect(generateDeliveryCode()).toMatch(/^\d{6}$/);
  });

  it("proof photos live only at deliveries/{bookingId}/{file}", () => {
    expect(PROOF_PHOTO_PATH.exec("deliveries/b1/p.jpg")?.[1]).toBe("b1");
    expect(PROOF_PHOTO_PATH.test("deliveries/b1/a/p.jpg")).toBe(false);
    expect(PROOF_PHOTO_PATH.test("chats/b1/p.jpg")).toBe(false);
  });
});

describe("the photo check when an upload finalises", () => {
  it("knows JPEG, PNG and WebP by their bytes; anything else is not an image", () => {
    expect(sniffImage(JPEG)).toBe("image/jpeg");
    expect(sniffImage(PNG)).toBe("image/png");
    expect(sniffImage(WEBP)).toBe("image/webp");
    expect(sniffImage(new TextEncoder().encode("<html>"))).toBeNull();
    expect(sniffImage(new TextEncoder().encode("GIF89a"))).toBeNull();
    expect(sniffImage(new Uint8Array())).toBeNull();
  });

  it("accepts an image whose bytes match its type and size; names the problem otherwise", () => {
    expect(photoProblem({ contentType: "image/jpeg", size: 6, head: JPEG })).toBeNull();
    expect(photoProblem({ contentType: "image/jpeg", size: 6, head: new TextEncoder().encode("<html>") })).toBe("not_an_image");
    expect(photoProblem({ contentType: "image/png", size: 6, head: JPEG })).toBe("content_type_mismatch");
    expect(photoProblem({ contentType: "image/gif", size: 6, head: JPEG })).toBe("content_type");
    expect(photoProblem({ contentType: undefined, size: 6, head: JPEG })).toBe("content_type");
    expect(photoProblem({ contentType: "image/jpeg", size: PROOF_PHOTO_MAX_BYTES + 1, head: JPEG })).toBe("size");
    expect(photoProblem({ contentType: "image/jpeg", size: 0, head: JPEG })).toBe("size");
  });
});

describe("delivery pricing: proof per parcel class and the return leg (validated like the rest of pricing)", () => {
  const issues = (type: "ride" | "delivery", config: unknown) => {
    const result = pricingConfigSchemaFor(type).safeParse(config);
    return result.success ? [] : describeIssues(result.error).map((i) => i.path);
  };

  it("accepts requirements for priced classes and a bounded return rate", () => {
    expect(issues("delivery", { ...delivery(), proofOfDelivery: { small: ALL }, failedDelivery: { returnLegBps: 5_000 } })).toEqual([]);
  });

  it("refuses unpriced classes, malformed requirements, rates out of bounds, and the fields on other services", () => {
    expect(issues("delivery", { ...delivery(), proofOfDelivery: { huge: ALL } })).toEqual(["proofOfDelivery.huge"]);
    expect(issues("delivery", { ...delivery(), proofOfDelivery: { small: { photo: "yes", recipientCode: true, recipientName: true } } })).toEqual(["proofOfDelivery.small.photo"]);
    expect(issues("delivery", { ...delivery(), proofOfDelivery: { small: { photo: true } } })).toEqual(["proofOfDelivery.small.recipientCode", "proofOfDelivery.small.recipientName"]);
    expect(issues("delivery", { ...delivery(), failedDelivery: { returnLegBps: 20_001 } })).toEqual(["failedDelivery.returnLegBps"]);
    expect(issues("delivery", { ...delivery(), failedDelivery: { returnLegBps: -1 } })).toEqual(["failedDelivery.returnLegBps"]);
    const ride = JSON.parse(JSON.stringify(pricing.ride));
    expect(issues("ride", { ...ride, failedDelivery: { returnLegBps: 100 } })).toEqual(["failedDelivery"]);
  });

  it("the return leg is the reverse trip priced by the rules, without a booking fee, times the rate", () => {
    const config = { ...delivery(), failedDelivery: { returnLegBps: 5_000 } } as PricingConfig;
    const input = { categoryId: "moto", parcelSizeClass: "small", distanceMeters: 4_000, durationSeconds: 600, from: { lat: 38.73, lng: -9.14 }, at: new Date("2026-03-04T15:00:00Z") };
    const half = returnLegLine(config, input)!;
    const full = returnLegLine({ ...config, failedDelivery: { returnLegBps: 10_000 } }, input)!;
    expect(half.code).toBe("return_leg");
    expect(Math.abs(full.amountMinor - 2 * half.amountMinor)).toBeLessThanOrEqual(1);
    expect(returnLegLine({ ...config, failedDelivery: { returnLegBps: 0 } }, input)).toBeNull();
  });

  it("the failed delivery's fare adds the return leg and its tax; the cap widens by exactly that", () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 100_000 }), fc.integer({ min: 1, max: 50_000 }), fc.integer({ min: 0, max: 3_000 }), (estimate, leg, taxBps) => {
        const outbound = finalFare({
          serviceType: "delivery", estimate: { amountMinor: estimate, breakdown: [{ code: "base", label: "Base", amountMinor: estimate }] },
          waitingSeconds: 0, perMinuteMinor: 0, taxRateBps: taxBps, policy: DEFAULT_FINAL_FARE_POLICY,
        });
        const fare = withReturnLeg(outbound, { code: "return_leg", label: "Return", amountMinor: leg }, taxBps);
        expect(fare.amountMinor).toBe(outbound.amountMinor + fare.returnLegMinor);
        expect(fare.capMinor).toBe(outbound.capMinor + fare.returnLegMinor);
        expect(fare.breakdown.reduce((s, l) => s + l.amountMinor, 0)).toBe(fare.amountMinor);
        expect(fare.returnLegMinor).toBeGreaterThanOrEqual(leg);
      }),
    );
  });
});

describe("delivery_failed in the state machine, the pipeline and the money", () => {
  it("only the driver moves in_progress → delivery_failed, and it is final", () => {
    expect(canTransition("in_progress", "delivery_failed", "driver")).toBe(true);
    expect(canTransition("in_progress", "delivery_failed", "rider")).toBe(false);
    expect(canTransition("arrived", "delivery_failed", "driver")).toBe(false);
    expect(isFinal("delivery_failed")).toBe(true);
    expect(TERMINAL_STATUSES).toContain("delivery_failed");
  });

  it("entering delivery_failed captures (card), like a completion; once the fare is set, once more is idempotent", () => {
    expect(paymentEdge({ before: { status: "in_progress" }, after: { status: "delivery_failed", paymentMethod: "card" } })).toBe("capture");
    expect(paymentEdge({ before: { status: "delivery_failed" }, after: { status: "delivery_failed", fare: { finalMinor: 900 } } })).toBeNull();
    expect(paymentEdge({ before: { status: "delivery_failed", fare: { finalMinor: 900 } }, after: { status: "delivery_failed", fare: { finalMinor: 900 } } })).toBeNull();
  });

  it("the recovery sweep fixes a failed delivery's fare, or captures its open authorisation, like a completion", () => {
    const at = (ms: number) => ({ toMillis: () => ms });
    const now = Date.now();
    expect(recoveryFor({ status: "delivery_failed", timeline: { delivery_failed: at(now - 600_000) }, fare: { finalMinor: null } }, now)).toBe("fix_final_fare");
    expect(recoveryFor({ status: "delivery_failed", timeline: { delivery_failed: at(now - 600_000) }, fare: { finalMinor: 900 }, paymentMethod: "card", payment: { status: "authorized" } }, now)).toBe("capture");
    expect(recoveryFor({ status: "delivery_failed", timeline: { delivery_failed: at(now - 1_000) }, fare: { finalMinor: null } }, now)).toBeNull();
  });

  it("the code step runs at pickup of a code-class delivery, and on each new counted guess", () => {
    const d = { serviceType: "delivery", proofRequired: { recipientCode: true } };
    const at = (ms: number) => ({ toMillis: () => ms });
    expect(issuesCode({ ...d, status: "arrived" }, { ...d, status: "in_progress" })).toBe(true);
    expect(issuesCode({ ...d, status: "in_progress" }, { ...d, status: "in_progress" })).toBe(false);
    expect(issuesCode({ status: "arrived", serviceType: "delivery" }, { status: "in_progress", serviceType: "delivery" })).toBe(false);
    expect(guessedCode({ ...d }, { ...d, deliveryCodeAttempt: "123456", deliveryCodeAttemptAt: at(1) })).toBe(true);
    expect(guessedCode({ ...d, deliveryCodeAttemptAt: at(1) }, { ...d, deliveryCodeAttempt: "123456", deliveryCodeAttemptAt: at(1) })).toBe(false);
  });

  it("analytics pays the driver on a failed delivery's fare (less booking fee and tax)", () => {
    const booking = {
      status: "delivery_failed", riderId: "r", driverId: "d", serviceType: "delivery", categoryId: "moto", paymentMethod: "card",
      timeline: { delivery_failed: { toMillis: () => Date.parse("2026-03-04T12:00:00Z") } },
      fare: { finalMinor: 1500, currency: "eur", breakdown: [{ code: "booking_fee", amountMinor: 100 }, { code: "tax", amountMinor: 200 }] },
    };
    const c = contributionOf(booking, { amountCapturedMinor: 1500 }, "Europe/Lisbon")!;
    expect(c.grossFareMinor).toBe(1500);
    expect(driverFigures(c)["earningsMinor.eur"]).toBe(1200);
    expect(driverFigures(c)["trips.completed"]).toBeUndefined();
  });

  it("the receipt says how the parcel was handed over, or why it came back", () => {
    const done = deliveryReceipt({ serviceType: "delivery", status: "completed", proof: { photo: { path: "p" }, code: { verifiedAt: 1 } }, receivedBy: "Rui" })!;
    expect(done).toEqual({ outcome: "delivered", photo: true, codeVerified: true, receivedBy: "Rui", failureReason: null });
    expect(deliverySentence(done)).toBe("Delivered, with proof: a photo, the recipient's code, received by Rui.");
    const failed = deliveryReceipt({ serviceType: "delivery", status: "delivery_failed", deliveryFailure: { reason: "recipient_absent" } })!;
    expect(deliverySentence(failed)).toContain("recipient absent");
    expect(deliveryReceipt({ serviceType: "ride", status: "completed" })).toBeNull();
    const lines = receiptContent({ kind: "fare", totalMinor: 1500, breakdown: [{ code: "base", label: "Base", amountMinor: 1000 }, { code: "return_leg", label: "Return to sender (4.0 km)", amountMinor: 500 }] }).lines;
    expect(lines.map((l) => l.label)).toContain("Return to sender (4.0 km)");
  });
});
