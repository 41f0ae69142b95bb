import { describe, expect, it } from "vitest";
import { paymentStepFor } from "../../functions/src/payments/service";

describe("paymentStepFor: which booking writes move money", () => {
  it("authorises when a booking enters awaiting_payment, once", () => {
    expect(paymentStepFor({ status: "requested" }, { status: "awaiting_payment" })).toBe("authorise");
    expect(paymentStepFor(undefined, { status: "awaiting_payment" })).toBe("authorise");
    expect(paymentStepFor({ status: "awaiting_payment" }, { status: "awaiting_payment", updatedAt: 1 })).toBeNull();
  });

  it("captures when the final fare is known, not when the driver writes completed", () => {
    expect(paymentStepFor({ status: "in_progress" }, { status: "completed", fare: { finalMinor: null } })).toBeNull();
    expect(paymentStepFor({ status: "completed", fare: { finalMinor: null } }, { status: "completed", fare: { finalMinor: 1200 } })).toBe("capture");
    expect(paymentStepFor({ status: "in_progress" }, { status: "completed", fare: { finalMinor: 1200 } })).toBe("capture");
    expect(paymentStepFor({ status: "completed", fare: { finalMinor: 1200 } }, { status: "completed", fare: { finalMinor: 1200 }, eta: 1 })).toBeNull();
  });

  it("settles a cancellation once its fee is decided, and ignores a driver's cancellation", () => {
    expect(paymentStepFor({ status: "accepted" }, { status: "cancelled", cancellation: { by: "rider" } })).toBeNull();
    expect(paymentStepFor({ status: "cancelled", cancellation: { by: "rider" } }, { status: "cancelled", cancellation: { by: "rider", feeMinor: 300 } })).toBe("settle_cancellation");
    expect(paymentStepFor({ status: "accepted" }, { status: "cancelled", cancellation: { by: "rider", feeMinor: 0 } })).toBe("settle_cancellation");
    expect(paymentStepFor({ status: "accepted" }, { status: "cancelled", cancellation: { by: "driver", feeMinor: 0 } })).toBeNull();
    expect(paymentStepFor({ status: "cancelled", cancellation: { by: "rider", feeMinor: 0 } }, { status: "cancelled", cancellation: { by: "rider", feeMinor: 0 }, x: 1 })).toBeNull();
  });

  it("releases the card hold when no driver was found, once", () => {
    expect(paymentStepFor({ status: "searching" }, { status: "no_drivers" })).toBe("settle_cancellation");
    expect(paymentStepFor({ status: "no_drivers" }, { status: "no_drivers", updatedAt: 1 })).toBeNull();
  });
});
