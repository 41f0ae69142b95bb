// The pipeline runner (common/pipeline.ts), the steps' selection (pipeline/*.ts), the transition check
// (bookings/transition.ts) and the recovery sweep's decisions (bookings/recovery.ts): pure parts, no emulator.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_EVENT_AGE_MS, StepFailures, runPipeline, type Step } from "../../functions/src/common/pipeline";
import { BOOKING_STEPS, type BookingChange } from "../../functions/src/pipeline/bookingWritten";
import { DRIVER_STEPS, type DriverChange } from "../../functions/src/pipeline/driverWritten";
import { allowed } from "../../functions/src/bookings/transition";
import { RECOVERY_DEADLINES, recoveryEpisodeId, recoveryFor } from "../../functions/src/bookings/recovery";
import { attemptOnSchedule, ROUND_TIMER_GRACE_MS } from "../../functions/src/dispatch/recovery";
import { BOOKING_STATUSES, TRANSITIONS } from "../../functions/src/bookings/stateMachine";

const event = (ageMs = 0) => ({ trigger: "test", path: "bookings/b1", id: "e1", time: new Date(Date.now() - ageMs).toISOString() });
const step = (name: string, run: () => Promise<unknown>, applies = true): Step<null> => ({ name, does: name, applies: () => applies, run });

describe("runPipeline: isolated, ordered, bounded", () => {
  it("runs every applicable step in order, even after one failed, then fails the invocation with the failures", async () => {
    const ran: string[] = [];
    const steps = [
      step("a", async () => ran.push("a")),
      step("b", async () => {
        ran.push("b");
        throw new Error("boom");
      }),
      step("skipped", async () => ran.push("skipped"), false),
      step("c", async () => ran.push("c")),
    ];
    const failure = await runPipeline(event(), steps, null).catch((error: unknown) => error);
    expect(ran).toEqual(["a", "b", "c"]);
    expect(failure).toBeInstanceOf(StepFailures);
    expect((failure as StepFailures).failures.map((f) => f.step)).toEqual(["b"]);
  });

  it("returns the steps it ran when all succeed", async () => {
    await expect(runPipeline(event(), [step("a", async () => 1), step("b", async () => 2, false)], null)).resolves.toEqual(["a"]);
  });

  it("drops an event older than the maximum age without running anything", async () => {
    let ran = false;
    await expect(runPipeline(event(MAX_EVENT_AGE_MS + 1000), [step("a", async () => (ran = true))], null)).resolves.toEqual([]);
    expect(ran).toBe(false);
  });
});

const change = (before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): BookingChange => ({
  bookingId: "b1",
  eventId: "e1",
  before,
  after,
  changedAt: undefined,
  createdAt: undefined,
});
const stepsFor = (c: BookingChange) => BOOKING_STEPS.filter((s) => s.applies(c)).map((s) => s.name);

describe("the booking pipeline: which steps a write runs", () => {
  it("a new booking: confirmation only", () => {
    expect(stepsFor(change(undefined, { status: "requested", paymentMethod: "card" }))).toEqual(["bookings.confirm"]);
  });
  it("a card booking entering awaiting_payment: the status step, payments (no chat before a driver)", () => {
    expect(stepsFor(change({ status: "requested", paymentMethod: "card" }, { status: "awaiting_payment", paymentMethod: "card" }))).toEqual(["bookings.statusChange", "payments", "safety.tripShares"]);
  });
  it("the chat step runs when the chat's phase or driver changes, not on moves within the trip", () => {
    const chat = (before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined) => stepsFor(change(before, after)).includes("chat");
    expect(chat({ status: "accepted", driverId: "d1" }, { status: "arrived", driverId: "d1" })).toBe(false);
    expect(chat({ status: "arrived", driverId: "d1" }, { status: "in_progress", driverId: "d1" })).toBe(false);
    expect(chat({ status: "requested" }, { status: "searching" })).toBe(false);
    expect(chat({ status: "searching" }, { status: "accepted", driverId: "d1" })).toBe(true);
    expect(chat({ status: "accepted", driverId: "d1" }, { status: "accepted", driverId: "d2" })).toBe(true);
    expect(chat({ status: "in_progress", driverId: "d1" }, { status: "completed", driverId: "d1" })).toBe(true);
    expect(chat({ status: "in_progress", driverId: "d1" }, { status: "delivery_failed", driverId: "d1" })).toBe(true);
    expect(chat({ status: "accepted", driverId: "d1" }, { status: "cancelled", driverId: "d1", cancellation: { by: "driver" } })).toBe(true);
    expect(chat({ status: "cancelled", driverId: null }, { status: "searching", driverId: null })).toBe(true);
    expect(chat({ status: "searching" }, { status: "no_drivers" })).toBe(true);
  });
  it("entering searching: dispatch; accepted: chat and the ETA", () => {
    expect(stepsFor(change({ status: "awaiting_payment", paymentMethod: "card" }, { status: "searching", paymentMethod: "card" }))).toContain("dispatch");
    expect(stepsFor(change({ status: "searching", paymentMethod: "cash" }, { status: "accepted", paymentMethod: "cash", driverId: "d1" }))).toEqual(["bookings.statusChange", "dispatch", "chat", "tracking.eta", "safety.tripShares"]);
  });
  it("completion of a card trip: the fare and the capture in the same invocation", () => {
    expect(stepsFor(change({ status: "in_progress", paymentMethod: "card", driverId: "d1" }, { status: "completed", paymentMethod: "card", driverId: "d1" }))).toEqual(["bookings.statusChange", "payments", "earnings", "chat", "safety.tripShares"]);
  });
  it("a write that changes nothing a step cares about runs no step (a PIN guess); an ETA only refreshes shared views", () => {
    expect(stepsFor(change({ status: "arrived", paymentMethod: "card" }, { status: "arrived", paymentMethod: "card", pinAttempts: 1 }))).toEqual([]);
    expect(stepsFor(change({ status: "accepted", paymentMethod: "cash" }, { status: "accepted", paymentMethod: "cash", eta: { pickupSeconds: 60 } }))).toEqual(["safety.tripShares"]);
  });
  it("a cash booking never runs the payments step", () => {
    expect(stepsFor(change({ status: "in_progress", paymentMethod: "cash" }, { status: "completed", paymentMethod: "cash" }))).not.toContain("payments");
  });
});

describe("the driver pipeline: which steps a write runs", () => {
  const driverChange = (before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): DriverChange => ({ uid: "d1", eventId: "e", eventTimeMs: 0, before, after });
  const run = (c: DriverChange) => DRIVER_STEPS.filter((s) => s.applies(c)).map((s) => s.name);
  it("a server write that changes nothing relevant runs nothing (lastAssignedAt, updatedAt)", () => {
    expect(run(driverChange({ status: "busy", approved: true }, { status: "busy", approved: true, lastAssignedAt: 1 }))).toEqual([]);
  });
  it("going online: availability, the mirror, online time", () => {
    expect(run(driverChange({ status: "offline", approved: true }, { status: "available", approved: true }))).toEqual(["catalogue.availability", "tracking.mirror", "analytics.onlineTime"]);
  });
  it("a suspension: availability, withdrawal, the mirror", () => {
    expect(run(driverChange({ status: "available", suspended: false }, { status: "available", suspended: true }))).toEqual(["catalogue.availability", "dispatch.withdraw", "tracking.mirror"]);
  });
});

describe("the transition writer's check", () => {
  it("allows exactly the server moves of the state machine", () => {
    for (const from of BOOKING_STATUSES) {
      for (const to of BOOKING_STATUSES) {
        const serverMove = TRANSITIONS.some((t) => t.from === from && t.to === to && t.by === "server" && !t.guard);
        if (from === "cancelled") continue; // guarded: checked below
        expect(allowed({ status: from }, to), `${from} → ${to}`).toBe(serverMove);
      }
    }
  });
  it("re-dispatches a cancelled booking only after a driver's cancellation", () => {
    expect(allowed({ status: "cancelled", cancellation: { by: "driver" } }, "searching")).toBe(true);
    expect(allowed({ status: "cancelled", cancellation: { by: "rider" } }, "searching")).toBe(false);
    expect(allowed(undefined, "searching")).toBe(false);
  });
});

describe("the recovery sweep's decisions", () => {
  const ts = (ms: number) => ({ toMillis: () => ms });
  const now = 1_800_000_000_000;
  it("leaves a booking alone before its deadline and steps in after it", () => {
    const requested = (ageS: number) => ({ status: "requested", timeline: { requested: ts(now - ageS * 1000) } });
    expect(recoveryFor(requested(RECOVERY_DEADLINES.requested - 1), now)).toBeNull();
    expect(recoveryFor(requested(RECOVERY_DEADLINES.requested + 1), now)).toBe("confirm");
  });
  it("awaiting_payment: retries the authorisation, then gives up with payment_failed", () => {
    const waiting = (ageS: number) => ({ status: "awaiting_payment", timeline: { awaiting_payment: ts(now - ageS * 1000) } });
    expect(recoveryFor(waiting(60), now)).toBeNull();
    expect(recoveryFor(waiting(RECOVERY_DEADLINES.awaiting_payment + 1), now)).toBe("authorise");
    expect(recoveryFor(waiting(RECOVERY_DEADLINES.awaiting_payment_final + 1), now)).toBe("payment_timeout");
  });
  it("scheduled: started at its time, unless a delivery plan holds it (its van starts it; the sweep never retries it)", () => {
    const scheduled = { status: "scheduled", scheduledAt: ts(now - 3_600_000) };
    expect(recoveryFor(scheduled, now)).toBe("start_scheduled");
    expect(recoveryFor({ ...scheduled, scheduledAt: ts(now + 3_600_000) }, now)).toBeNull();
    expect(recoveryFor({ ...scheduled, plannedBy: { planId: "p", orderId: "o" } }, now)).toBeNull();
  });
  it("searching past the search budget plus a margin: the search is resumed", () => {
    const searching = (ageS: number) => ({ status: "searching", timeline: { searching: ts(now - ageS * 1000) } });
    expect(recoveryFor(searching(300), now, 300)).toBeNull();
    expect(recoveryFor(searching(300 + RECOVERY_DEADLINES.searching + 1), now, 300)).toBe("resume_search");
  });
  it("completed: a missing final fare first, then an open card authorisation", () => {
    const done = { status: "completed", paymentMethod: "card", timeline: { completed: ts(now - 600_000) } };
    expect(recoveryFor({ ...done, fare: { finalMinor: null } }, now)).toBe("fix_final_fare");
    expect(recoveryFor({ ...done, fare: { finalMinor: 900 }, payment: { status: "authorized" } }, now)).toBe("capture");
    expect(recoveryFor({ ...done, fare: { finalMinor: 900 }, payment: { status: "captured" } }, now)).toBeNull();
  });
  it("a running search is stranded only when its round timer is overdue past the grace", () => {
    const job = (round: number, startedAgoS: number, expiresInS: number | null) => ({
      round,
      startedAt: ts(now - startedAgoS * 1000) as never,
      roundExpiresAt: (expiresInS === null ? null : ts(now + expiresInS * 1000)) as never,
    });
    expect(attemptOnSchedule(job(2, 600, 10), now)).toBe(true);
    expect(attemptOnSchedule(job(2, 600, -ROUND_TIMER_GRACE_MS / 1000 + 1), now)).toBe(true);
    expect(attemptOnSchedule(job(2, 600, -ROUND_TIMER_GRACE_MS / 1000 - 1), now)).toBe(false);
    // Round 1 not run yet: measured from the attempt's start.
    expect(attemptOnSchedule(job(0, 5, null), now)).toBe(true);
    expect(attemptOnSchedule(job(0, ROUND_TIMER_GRACE_MS / 1000 + 1, null), now)).toBe(false);
  });
  it("names one recovery episode per state entered, whatever the pass", () => {
    const stranded = { status: "searching", timeline: { searching: ts(now - 900_000) } };
    expect(recoveryEpisodeId(stranded, "resume_search")).toBe(recoveryEpisodeId({ ...stranded }, "resume_search"));
    expect(recoveryEpisodeId(stranded, "resume_search")).not.toBe(recoveryEpisodeId({ status: "searching", timeline: { searching: ts(now) } }, "resume_search"));
    expect(recoveryEpisodeId(stranded, "resume_search")).not.toBe(recoveryEpisodeId({ ...stranded, status: "requested", timeline: { requested: ts(now - 900_000) } }, "confirm"));
  });
  it("never touches a trip in progress or a settled booking, whatever its age (property)", () => {
    fc.assert(
      fc.property(fc.constantFrom("accepted", "arrived", "in_progress", "payment_failed"), fc.integer({ min: 0, max: 10 ** 9 }), (status, ageS) => {
        expect(recoveryFor({ status, updatedAt: ts(now - ageS * 1000), paymentMethod: "card", payment: { status: "authorized" } }, now)).toBeNull();
      }),
    );
  });
});

describe("analytics: which booking events recount the booking", () => {
  it("only an event that reaches or leaves a terminal status (the booking contributes nothing before)", async () => {
    const { mayChangeContribution } = await import("../../functions/src/analytics/service");
    expect(mayChangeContribution({ type: "status_changed", status: "arrived", previousStatus: "accepted" })).toBe(false);
    expect(mayChangeContribution({ type: "driver_assigned", status: "accepted", previousStatus: "searching" })).toBe(false);
    expect(mayChangeContribution({ type: "payment", status: "awaiting_payment" })).toBe(false);
    expect(mayChangeContribution({ type: "status_changed", status: "completed", previousStatus: "in_progress" })).toBe(true);
    expect(mayChangeContribution({ type: "payment", status: "completed" })).toBe(true);
    expect(mayChangeContribution({ type: "status_changed", status: "searching", previousStatus: "cancelled" })).toBe(true);
    expect(mayChangeContribution({ type: "cancelled", status: "cancelled", previousStatus: "accepted" })).toBe(true);
    expect(mayChangeContribution({ type: "payment" })).toBe(true);
    expect(mayChangeContribution({ type: "offer_sent", status: "completed" })).toBe(false);
  });
});
