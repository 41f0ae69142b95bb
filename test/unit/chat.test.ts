// The chat's pure decisions (functions/src/chat/policy.ts): membership per booking state, the rate limit,
// notification coalescing; and that firestore.rules repeats the rate limit's numbers.
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countSend, planChatSync, SEND_LIMIT, shouldNotify, type ChatState } from "../../functions/src/chat/policy";

const open = (over: Partial<ChatState> = {}): ChatState => ({ participants: ["r", "d1"], driverId: "d1", hasClosesAt: false, closed: false, ...over });

describe("planChatSync", () => {
  it("opens the chat when a driver is assigned", () => {
    expect(planChatSync({ riderId: "r", driverId: "d1", status: "accepted" }, undefined)).toEqual({ kind: "open", riderId: "r", driverId: "d1" });
    expect(planChatSync({ riderId: "r", status: "searching" }, undefined)).toEqual({ kind: "none" });
    expect(planChatSync({ driverId: "d1", status: "accepted" }, undefined)).toEqual({ kind: "none" });
  });

  it("takes the driver out as soon as he cancels, without starting the closing time", () => {
    const cancelled = { riderId: "r", driverId: "d1", status: "cancelled", cancellation: { by: "driver" } };
    expect(planChatSync(cancelled, open({ participants: ["r", "d1", "admin"] }))).toEqual({ kind: "update", participants: ["r", "admin"], driverId: null });
    expect(planChatSync({ riderId: "r", status: "searching" }, open())).toEqual({ kind: "update", participants: ["r"], driverId: null });
    // Already out: nothing to do.
    expect(planChatSync({ riderId: "r", status: "searching" }, open({ participants: ["r"], driverId: null }))).toEqual({ kind: "none" });
  });

  it("hands a re-dispatched chat to the new driver and clears a closing time", () => {
    expect(planChatSync({ riderId: "r", driverId: "d2", status: "accepted" }, open({ participants: ["r", "d1", "admin"], hasClosesAt: true })))
      .toEqual({ kind: "update", participants: ["r", "admin", "d2"], driverId: "d2", joined: "d2", clearClosesAt: true });
    expect(planChatSync({ riderId: "r", driverId: "d2", status: "accepted" }, open({ participants: ["r"], driverId: null })))
      .toEqual({ kind: "update", participants: ["r", "d2"], driverId: "d2", joined: "d2" });
    expect(planChatSync({ riderId: "r", driverId: "d1", status: "in_progress" }, open())).toEqual({ kind: "none" });
    expect(planChatSync({ riderId: "r", driverId: "d2", status: "accepted" }, open({ closed: true }))).toEqual({ kind: "none" });
  });

  it("schedules the closing when the trip is over; the completing driver stays, a rider's cancellation removes him", () => {
    expect(planChatSync({ riderId: "r", driverId: "d1", status: "completed" }, open())).toEqual({ kind: "update", participants: ["r", "d1"], driverId: "d1", scheduleClose: true });
    expect(planChatSync({ riderId: "r", driverId: "d1", status: "completed" }, open({ hasClosesAt: true }))).toEqual({ kind: "none" });
    expect(planChatSync({ riderId: "r", driverId: "d1", status: "cancelled", cancellation: { by: "rider" } }, open()))
      .toEqual({ kind: "update", participants: ["r"], driverId: null, scheduleClose: true });
    expect(planChatSync({ riderId: "r", status: "no_drivers" }, open({ participants: ["r"], driverId: null })))
      .toEqual({ kind: "update", participants: ["r"], driverId: null, scheduleClose: true });
    expect(planChatSync({ riderId: "r", status: "completed" }, open({ closed: true }))).toEqual({ kind: "none" });
  });
});

describe("countSend", () => {
  it("accepts at most SEND_LIMIT.messages per window, and a new window once it is over", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 200 }), (gaps) => {
        let window: ReturnType<typeof countSend>["window"] | undefined;
        let at = 1_000_000;
        const perWindow = new Map<number, number>();
        for (const gap of gaps) {
          at += gap;
          const result = countSend(window, at);
          if (result.accepted) perWindow.set(result.window.startMs, (perWindow.get(result.window.startMs) ?? 0) + 1);
          else expect(at).toBeLessThan(result.window.startMs + SEND_LIMIT.windowMs);
          window = result.window;
        }
        // Each window holds at most the limit, and windows do not overlap.
        const starts = [...perWindow.keys()];
        starts.forEach((start, i) => {
          expect(perWindow.get(start)).toBeLessThanOrEqual(SEND_LIMIT.messages);
          if (i > 0) expect(start - starts[i - 1]!).toBeGreaterThanOrEqual(SEND_LIMIT.windowMs);
        });
        return true;
      }),
    );
    const full = { startMs: 0, count: SEND_LIMIT.messages };
    expect(countSend(full, 59_999)).toEqual({ accepted: false, window: full });
    expect(countSend(full, 60_000)).toEqual({ accepted: true, window: { startMs: 60_000, count: 1 } });
    expect(countSend({ startMs: 0, count: 3 }, 10)).toEqual({ accepted: true, window: { startMs: 0, count: 4 } });
  });

  it("has the same numbers as firestore.rules", () => {
    const rules = readFileSync(path.resolve(import.meta.dirname, "..", "..", "firestore.rules"), "utf8");
    const helper = rules.slice(rules.indexOf("function underSendLimit"), rules.indexOf("match /chats/{chatId}"));
    expect(helper).toContain(`window.count < ${SEND_LIMIT.messages}`);
    expect(helper).toContain(`duration.value(${SEND_LIMIT.windowMs / 1000}, 's')`);
  });
});

describe("shouldNotify", () => {
  const window = 180_000;
  it("notifies the first message, then once per window, and again after the recipient read the chat", () => {
    expect(shouldNotify(0, undefined, undefined, window)).toBe(true);
    expect(shouldNotify(1000, 0, undefined, window)).toBe(false);
    expect(shouldNotify(180_000, 0, undefined, window)).toBe(true);
    expect(shouldNotify(5000, 0, 2000, window)).toBe(true);
    // A read before the last notification does not count; nor does a message older than the read.
    expect(shouldNotify(5000, 3000, 2000, window)).toBe(false);
    expect(shouldNotify(1500, 0, 2000, window)).toBe(false);
  });

  it("never notifies twice within a window without a read in between", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 60_000 }), { maxLength: 100 }), (gaps) => {
        let at = 0;
        let last: number | undefined;
        const sent: number[] = [];
        for (const gap of gaps) {
          at += gap;
          if (shouldNotify(at, last, undefined, window)) {
            sent.push(at);
            last = at;
          }
        }
        sent.slice(1).forEach((t, i) => expect(t - sent[i]!).toBeGreaterThanOrEqual(window));
        return true;
      }),
    );
  });
});
