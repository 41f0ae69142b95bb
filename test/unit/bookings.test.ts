import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BOOKING_STATUSES,
  TRANSITIONS,
  actorsFor,
  canTransition,
  findTransition,
  isFinal,
  nextStatuses,
  statusAfterConfirmation,
  statusAtScheduledStart,
  type Actor,
} from "../../functions/src/bookings/stateMachine";
import { cancellationFeeApplies, generatePin, PIN_LOCKOUT_MINUTES, PIN_MAX_ATTEMPTS, pinGuessState } from "../../functions/src/bookings/policy";

const actors: Actor[] = ["rider", "driver", "server"];

describe("booking state machine", () => {
  it("follows the contract's happy path, each step by the right actor", () => {
    expect(canTransition("requested", "awaiting_payment", "server")).toBe(true);
    expect(canTransition("awaiting_payment", "searching", "server")).toBe(true);
    expect(canTransition("searching", "accepted", "server")).toBe(true);
    expect(canTransition("accepted", "arrived", "driver")).toBe(true);
    expect(canTransition("arrived", "in_progress", "driver")).toBe(true);
    expect(canTransition("in_progress", "completed", "driver")).toBe(true);
  });

  it("lets clients make only the driver's trip steps (a failed delivery among them) and cancellations", () => {
    const clientMoves = TRANSITIONS.filter((t) => t.by !== "server").map((t) => `${t.by}:${t.from}->${t.to}`).sort();
    expect(clientMoves).toEqual(
      [
        "driver:accepted->arrived",
        "driver:arrived->in_progress",
        "driver:in_progress->completed",
        "driver:in_progress->delivery_failed",
        "driver:accepted->cancelled",
        "driver:arrived->cancelled",
        ...["requested", "awaiting_payment", "scheduled", "searching", "accepted", "arrived"].map((s) => `rider:${s}->cancelled`),
      ].sort(),
    );
  });

  it("never lets anyone skip a trip state or leave a final state", () => {
    for (const by of actors) {
      expect(canTransition("accepted", "in_progress", by)).toBe(false);
      expect(canTransition("accepted", "completed", by)).toBe(false);
      expect(canTransition("arrived", "completed", by)).toBe(false);
      expect(canTransition("searching", "arrived", by)).toBe(false);
      for (const to of BOOKING_STATUSES) {
        expect(canTransition("completed", to, by)).toBe(false);
        expect(canTransition("no_drivers", to, by)).toBe(false);
        expect(canTransition("payment_failed", to, by)).toBe(false);
      }
    }
    expect(isFinal("completed")).toBe(true);
    expect(isFinal("cancelled")).toBe(true);
    expect(isFinal("searching")).toBe(false);
  });

  it("nobody cancels a trip in progress, and the rider cannot drive the trip", () => {
    for (const by of actors) expect(canTransition("in_progress", "cancelled", by)).toBe(false);
    expect(nextStatuses("accepted", "rider")).toEqual(["cancelled"]);
    expect(actorsFor("accepted", "arrived")).toEqual(["driver"]);
  });

  it("lets only the server (a delivery plan's arrival) take a scheduled booking straight into the trip", () => {
    expect(findTransition("scheduled", "in_progress", "server")).toMatchObject({ owner: "fleet" });
    expect(actorsFor("scheduled", "in_progress")).toEqual(["server"]);
    for (const by of ["rider", "driver"] as const) expect(canTransition("scheduled", "in_progress", by)).toBe(false);
    // Straight into the trip, never past it: the delivery still ends by the driver's completion or failure.
    for (const to of ["completed", "delivery_failed", "arrived", "accepted"] as const) expect(canTransition("scheduled", to, "server")).toBe(false);
    expect(nextStatuses("in_progress", "driver").sort()).toEqual(["completed", "delivery_failed"]);
  });

  it("re-dispatches only after a driver's cancellation", () => {
    expect(canTransition("cancelled", "searching", "server", { cancelledBy: "driver" })).toBe(true);
    expect(canTransition("cancelled", "searching", "server", { cancelledBy: "rider" })).toBe(false);
    expect(canTransition("cancelled", "searching", "server")).toBe(false);
    expect(isFinal("cancelled", { cancelledBy: "driver" })).toBe(false);
  });

  it("has no duplicate rows and only known statuses", () => {
    const keys = TRANSITIONS.map((t) => `${t.by}:${t.from}->${t.to}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const t of TRANSITIONS) {
      expect(BOOKING_STATUSES).toContain(t.from);
      expect(BOOKING_STATUSES).toContain(t.to);
      expect(t.from).not.toBe(t.to);
    }
  });

  it("sends a confirmed booking to payment, dispatch or the schedule", () => {
    expect(statusAfterConfirmation({ paymentMethod: "card", scheduled: false })).toBe("awaiting_payment");
    expect(statusAfterConfirmation({ paymentMethod: "cash", scheduled: false })).toBe("searching");
    expect(statusAfterConfirmation({ paymentMethod: "card", scheduled: true })).toBe("scheduled");
    expect(statusAtScheduledStart("card")).toBe("awaiting_payment");
    expect(statusAtScheduledStart("cash")).toBe("searching");
    for (const s of ["awaiting_payment", "searching", "scheduled"] as const) expect(canTransition("requested", s, "server")).toBe(true);
  });
});

describe("cancellation fee rule", () => {
  const policy = { graceSeconds: 120, scheduledCutoffSeconds: 3600 };
  const t0 = 1_700_000_000_000;

  it("is free before a driver is assigned and within the grace period", () => {
    for (const statusBefore of ["requested", "awaiting_payment", "searching"] as const) {
      expect(cancellationFeeApplies({ by: "rider", statusBefore, cancelledAtMs: t0 }, policy)).toBe(false);
    }
    expect(cancellationFeeApplies({ by: "rider", statusBefore: "accepted", acceptedAtMs: t0, cancelledAtMs: t0 + 120_000 }, policy)).toBe(false);
  });

  it("charges after the grace period and always once the driver has arrived", () => {
    expect(cancellationFeeApplies({ by: "rider", statusBefore: "accepted", acceptedAtMs: t0, cancelledAtMs: t0 + 120_001 }, policy)).toBe(true);
    expect(cancellationFeeApplies({ by: "rider", statusBefore: "arrived", acceptedAtMs: t0, cancelledAtMs: t0 + 1 }, policy)).toBe(true);
  });

  it("lets a scheduled booking cancel free until the cutoff", () => {
    const scheduledAtMs = t0 + 3 * 3_600_000;
    expect(cancellationFeeApplies({ by: "rider", statusBefore: "scheduled", scheduledAtMs, cancelledAtMs: scheduledAtMs - 3_600_000 }, policy)).toBe(false);
    expect(cancellationFeeApplies({ by: "rider", statusBefore: "scheduled", scheduledAtMs, cancelledAtMs: scheduledAtMs - 3_599_000 }, policy)).toBe(true);
  });

  it("never charges the rider for a driver's or the server's cancellation", () => {
    fc.assert(
      fc.property(fc.constantFrom("driver" as const, "server" as const), fc.constantFrom(...BOOKING_STATUSES), fc.nat(), (by, statusBefore, delay) =>
        !cancellationFeeApplies({ by, statusBefore, acceptedAtMs: t0, cancelledAtMs: t0 + delay }, policy),
      ),
    );
  });
});

describe("boarding PIN", () => {
  it("is four digits, leading zeros kept", () => {
    expect(generatePin(() => 7)).toBe("0007");
    expect(generatePin(() => 9999)).toBe("9999");
    for (let i = 0; i < 200; i++) expect(generatePin()).toMatch(/^\d{4}$/);
  });
});

describe("PIN guesses (pinGuessState, as firestore.rules counts them)", () => {
  const T = 1_800_000_000_000;
  const lockout = PIN_LOCKOUT_MINUTES * 60_000;

  it("counts on from 0 while guesses remain", () => {
    expect(pinGuessState({}, T)).toEqual({ remaining: PIN_MAX_ATTEMPTS, lockedUntilMs: null, nextAttempts: 1 });
    expect(pinGuessState({ pinAttempts: 4, pinAttemptAtMs: T }, T)).toEqual({ remaining: 1, lockedUntilMs: null, nextAttempts: 5 });
  });

  it("locks after the last guess until the lockout has passed, then restarts at 1", () => {
    expect(pinGuessState({ pinAttempts: PIN_MAX_ATTEMPTS, pinAttemptAtMs: T }, T + 1000)).toEqual({ remaining: 0, lockedUntilMs: T + lockout, nextAttempts: 1 });
    expect(pinGuessState({ pinAttempts: PIN_MAX_ATTEMPTS, pinAttemptAtMs: T }, T + lockout)).toMatchObject({ remaining: 0 });
    expect(pinGuessState({ pinAttempts: PIN_MAX_ATTEMPTS, pinAttemptAtMs: T }, T + lockout + 1)).toEqual({ remaining: PIN_MAX_ATTEMPTS, lockedUntilMs: null, nextAttempts: 1 });
  });

  it("never allows more than the limit of guesses within a lockout-long window (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(3 * lockout), { maxLength: 40 }), (gaps) => {
        // A driver who guesses whenever the state allows, at the times given by `gaps`.
        let stored: { pinAttempts?: number; pinAttemptAtMs?: number } = {};
        let now = T;
        const times: number[] = [];
        for (const gap of gaps) {
          now += gap;
          const state = pinGuessState(stored, now);
          if (state.remaining === 0) continue;
          stored = { pinAttempts: state.nextAttempts, pinAttemptAtMs: now };
          times.push(now);
        }
        // Any limit + 1 consecutive guesses span more than a lockout.
        for (let i = 0; i + PIN_MAX_ATTEMPTS < times.length; i++) expect(times[i + PIN_MAX_ATTEMPTS]! - times[i]!).toBeGreaterThan(lockout);
        return stored.pinAttempts === undefined || stored.pinAttempts <= PIN_MAX_ATTEMPTS;
      }),
    );
  });
});
