import { describe, expect, it } from "vitest";
import { paymentEdge } from "../../functions/src/pipeline/bookingWritten";

const step = (before: Record<string, unknown> | undefined, after: Record<string, unknown>) => paymentEdge({ before, after });

describe("paymentEdge: which booking writes move money (the payments step then re-reads the booking)", () => {
  it("authorises when a booking enters awaiting_payment, once", () => {
    expect(step({ status: "requested" }, { status: "awaiting_payment" })).toBe("authorise");
    expect(step(undefined, { status: "awaiting_payment" })).toBe("authorise");
    expect(step({ status: "awaiting_payment" }, { status: "awaiting_payment", updatedAt: 1 })).toBeNull();
  });

  it("captures in the invocation that sees completed (the bookings step fixed the fare just before), not again when that fare lands", () => {
    expect(step({ status: "in_progress" }, { status: "completed", fare: { finalMinor: null } })).toBe("capture");
    expect(step({ status: "completed", fare: { finalMinor: null } }, { status: "completed", fare: { finalMinor: 1200 } })).toBeNull();
    expect(step({ status: "in_progress" }, { status: "completed", fare: { finalMinor: 1200 } })).toBe("capture");
    expect(step({ status: "completed", fare: { finalMinor: 1200 } }, { status: "completed", fare: { finalMinor: 1200 }, eta: 1 })).toBeNull();
  });

  it("settles a rider's or the server's cancellation once, and ignores a driver's cancellation", () => {
    expect(step({ status: "accepted" }, { status: "cancelled", cancellation: { by: "rider" } })).toBe("settle_cancellation");
    expect(step({ status: "cancelled", cancellation: { by: "rider" } }, { status: "cancelled", cancellation: { by: "rider", feeMinor: 300 } })).toBeNull();
    expect(step({ status: "accepted" }, { status: "cancelled", cancellation: { by: "driver", feeMinor: 0 } })).toBeNull();
    expect(step({ status: "cancelled", cancellation: { by: "rider", feeMinor: 0 } }, { status: "cancelled", cancellation: { by: "rider", feeMinor: 0 }, x: 1 })).toBeNull();
  });

  it("saves the card when a booking enters scheduled, once (the payments step decides whether it is far enough ahead)", () => {
    expect(step({ status: "requested" }, { status: "scheduled" })).toBe("save_card");
    expect(step({ status: "scheduled" }, { status: "scheduled", updatedAt: 1 })).toBeNull();
    expect(step({ status: "scheduled" }, { status: "awaiting_payment" })).toBe("authorise");
  });

  it("releases the card hold when no driver was found, once", () => {
    expect(step({ status: "searching" }, { status: "no_drivers" })).toBe("settle_cancellation");
    expect(step({ status: "no_drivers" }, { status: "no_drivers", updatedAt: 1 })).toBeNull();
  });
});
