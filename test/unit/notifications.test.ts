import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_PREFS,
  inQuietHours,
  localMinutes,
  planChannels,
  quietHoursEnd,
  resolvePrefs,
  type PlanInput,
} from "../../functions/src/notifications/preferences";
import { emailMessage, render, smsBody, TEMPLATE_NAMES } from "../../functions/src/notifications/templates";
import { buildMulticast, buildMulticasts, type PushContent } from "../../functions/src/notifications/pushPayload";
import { notificationsForBookingEvent } from "../../functions/src/notifications/tripEvents";
import { channelKeyId, notificationId } from "../../functions/src/notifications/keys";

// 2026-01-15 03:30 UTC = 03:30 in Lisbon (winter) = 22:30 the day before in New York.
const NIGHT = new Date("2026-01-15T03:30:00Z");
const NIGHT_QUIET = { start: "23:00", end: "07:00", tz: "Europe/Lisbon" };

const input = (overrides: Partial<PlanInput> = {}): PlanInput => ({
  category: "trip",
  transactional: false,
  timeSensitive: false,
  hasEmail: true,
  hasPhone: true,
  ...overrides,
});

describe("resolvePrefs", () => {
  it("uses the defaults when nothing is stored", () => {
    expect(resolvePrefs(undefined)).toEqual(DEFAULT_PREFS);
    expect(resolvePrefs("nonsense")).toEqual(DEFAULT_PREFS);
  });

  it("merges stored values field by field and ignores malformed ones", () => {
    const prefs = resolvePrefs({ trip: { sms: true, push: "yes" }, quietHours: { start: "25:00", end: "07:00", tz: "Europe/Lisbon" } });
    expect(prefs.trip).toEqual({ push: true, email: false, sms: true });
    expect(prefs.payment).toEqual(DEFAULT_PREFS.payment);
    expect(prefs.quietHours).toBeNull();
    expect(resolvePrefs({ quietHours: { ...NIGHT_QUIET, tz: "Mars/Olympus" } }).quietHours).toBeNull();
    expect(resolvePrefs({ quietHours: NIGHT_QUIET }).quietHours).toEqual(NIGHT_QUIET);
  });
});

describe("quiet hours", () => {
  it("reads the wall clock in the user's time zone", () => {
    expect(localMinutes(NIGHT, "Europe/Lisbon")).toBe(3 * 60 + 30);
    expect(localMinutes(NIGHT, "America/New_York")).toBe(22 * 60 + 30);
    expect(localMinutes(new Date("2026-07-15T03:30:00Z"), "Europe/Lisbon")).toBe(4 * 60 + 30); // summer time
  });

  it("handles windows across midnight, same-day windows and empty windows", () => {
    expect(inQuietHours(NIGHT, NIGHT_QUIET)).toBe(true);
    expect(inQuietHours(NIGHT, { ...NIGHT_QUIET, tz: "America/New_York" })).toBe(false); // 22:30 there
    expect(inQuietHours(NIGHT, { start: "03:00", end: "04:00", tz: "UTC" })).toBe(true);
    expect(inQuietHours(NIGHT, { start: "04:00", end: "05:00", tz: "UTC" })).toBe(false);
    expect(inQuietHours(NIGHT, { start: "03:30", end: "03:30", tz: "UTC" })).toBe(false);
    expect(inQuietHours(NIGHT, null)).toBe(false);
  });

  it("ends at the next local end time", () => {
    expect(quietHoursEnd(NIGHT, NIGHT_QUIET).toISOString()).toBe("2026-01-15T07:00:00.000Z");
    expect(quietHoursEnd(NIGHT, { start: "22:00", end: "06:00", tz: "America/New_York" }).toISOString()).toBe("2026-01-15T11:00:00.000Z");
  });

  it("ends after the clocks go back, not an hour early (America/Los_Angeles, 2028-11-05)", () => {
    const now = new Date(1856941260000); // 02:01 PDT, the day before the clocks go back
    const quiet = { start: "02:01", end: "02:00", tz: "America/Los_Angeles" };
    const until = quietHoursEnd(now, quiet);
    expect(until.toISOString()).toBe("2028-11-05T10:00:00.000Z"); // 02:00 PST
    expect(inQuietHours(new Date(until.getTime() + 1000), quiet)).toBe(false);
  });

  it("ends when the clocks go forward over the whole time outside the window, not a day later (Europe/Lisbon, 2024-03-31)", () => {
    // Quiet from 02:00 to 01:00: the hour outside it, 01:00–02:00, does not exist that night.
    const quiet = { start: "02:00", end: "01:00", tz: "Europe/Lisbon" };
    const now = new Date("2024-03-30T02:00:00Z"); // 02:00 WET
    expect(inQuietHours(now, quiet)).toBe(true);
    expect(quietHoursEnd(now, quiet).toISOString()).toBe("2024-03-31T01:00:00.000Z"); // 01:00 WET is 02:00 WEST
    // An end time inside the skipped hour is moved forward by the jump, as calendars resolve a time that does not exist.
    expect(quietHoursEnd(now, { ...quiet, end: "01:30" }).toISOString()).toBe("2024-03-31T01:30:00.000Z"); // 02:30 WEST
  });

  it("property: the end is in the future, within a day, and outside the window", () => {
    const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`);
    fc.assert(
      fc.property(fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }), hhmm, hhmm, fc.constantFrom("UTC", "Europe/Lisbon", "Asia/Kolkata", "America/Los_Angeles"), (ms, start, end, tz) => {
        fc.pre(start !== end);
        const now = new Date(ms);
        const quiet = { start, end, tz };
        const until = quietHoursEnd(now, quiet);
        expect(until.getTime()).toBeGreaterThan(now.getTime() - 60_000);
        // Within one local day, which lasts 25 hours when the clocks go back.
        expect(until.getTime() - now.getTime()).toBeLessThanOrEqual(25 * 3_600_000);
        // Outside the window, unless the clocks went forward over all the time outside it: that day has no such
        // minute, and quiet hours end at the end time moved forward by the jump (within the hour before).
        const jumpedWithinHourBefore = (t: number) => (localMinutes(new Date(t), tz) - localMinutes(new Date(t - 3_600_000), tz) + 1440) % 1440 !== 60;
        if (inQuietHours(now, quiet)) expect(!inQuietHours(new Date(until.getTime() + 1000), quiet) || jumpedWithinHourBefore(until.getTime())).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("planChannels", () => {
  const day = new Date("2026-01-15T12:00:00Z");
  it("follows the defaults: push for trip and chat, push + email for payment, nothing for marketing", () => {
    expect(planChannels(DEFAULT_PREFS, input(), day)).toEqual({ push: "now" });
    expect(planChannels(DEFAULT_PREFS, input({ category: "chat" }), day)).toEqual({ push: "now" });
    expect(planChannels(DEFAULT_PREFS, input({ category: "payment" }), day)).toEqual({ push: "now", email: "now" });
    expect(planChannels(DEFAULT_PREFS, input({ category: "marketing" }), day)).toEqual({});
  });

  it("sends e-mail and SMS only to users who have an address or number", () => {
    const all = resolvePrefs({ trip: { push: true, email: true, sms: true } });
    expect(planChannels(all, input(), day)).toEqual({ push: "now", email: "now", sms: "now" });
    expect(planChannels(all, input({ hasEmail: false, hasPhone: false }), day)).toEqual({ push: "now" });
  });

  it("never lets a transactional message be switched off entirely", () => {
    const off = resolvePrefs({ payment: { push: false, email: false, sms: false } });
    expect(planChannels(off, input({ category: "payment", transactional: true }), day)).toEqual({ email: "now" });
    expect(planChannels(off, input({ category: "payment", transactional: true, hasEmail: false }), day)).toEqual({ push: "now" });
    expect(planChannels(off, input({ category: "payment" }), day)).toEqual({});
  });

  it("defers trip and payment, drops chat and marketing push/SMS in quiet hours; e-mail is never held", () => {
    const prefs = resolvePrefs({
      trip: { push: true, sms: true, email: true },
      chat: { push: true, sms: true },
      payment: { push: true, sms: true, email: true },
      marketing: { push: true, email: true },
      quietHours: NIGHT_QUIET,
    });
    expect(planChannels(prefs, input(), NIGHT)).toEqual({ push: "deferred", sms: "deferred", email: "now" });
    expect(planChannels(prefs, input({ category: "payment" }), NIGHT)).toEqual({ push: "deferred", sms: "deferred", email: "now" });
    expect(planChannels(prefs, input({ category: "chat" }), NIGHT)).toEqual({});
    expect(planChannels(prefs, input({ category: "marketing" }), NIGHT)).toEqual({ email: "now" });
    expect(planChannels(prefs, input({ timeSensitive: true }), NIGHT)).toEqual({ push: "now", sms: "now", email: "now" });
  });
});

describe("templates", () => {
  it("renders every template in English with and without data", () => {
    for (const name of TEMPLATE_NAMES) {
      const empty = render(name, {});
      expect(empty.title.length).toBeGreaterThan(0);
      expect(empty.body).not.toMatch(/[{}]/);
    }
    expect(render("driver_assigned", { driverName: "Ana" }).body).toBe("Ana accepted your booking and is heading to the pickup point.");
    expect(render("driver_assigned", {}).body).toMatch(/^Your driver accepted/);
    expect(render("receipt", { receiptNumber: "R-000042", amount: "€12.50" })).toEqual({
      title: "Your receipt R-000042",
      body: "Thank you for your trip. Amount paid: €12.50.",
    });
  });

  it("uses the user's locale where translated and English otherwise", () => {
    expect(render("driver_arrived", { driverName: "Ana" }, "pt-PT").title).toBe("O seu motorista chegou");
    expect(render("no_drivers", {}, "pt-PT").title).toBe("No drivers available");
    expect(render("trip_started", {}, "de").title).toBe("Trip started");
    expect(() => render("nope", {})).toThrow(/Unknown notification template/);
  });

  it("escapes HTML in e-mails and caps SMS bodies", () => {
    const mail = emailMessage({ title: "Hi <b>", body: "a & b" });
    expect(mail).toEqual({ subject: "Hi <b>", text: "a & b\n\n— fleetfire", html: "<h2>Hi &lt;b&gt;</h2><p>a &amp; b</p><p>— fleetfire</p>" });
    expect(smsBody({ title: "T", body: "x".repeat(400) }).length).toBe(320);
  });
});

describe("push payload", () => {
  const content: PushContent = {
    title: "Your driver has arrived",
    body: "Ana is waiting.",
    category: "trip",
    notificationId: "n1",
    template: "driver_arrived",
    timeSensitive: true,
    data: { bookingId: "b1" },
  };

  it("marks trip updates high priority and time-sensitive on every platform", () => {
    const message = buildMulticast(["t1"], content);
    expect(message.android).toEqual({ priority: "high", notification: { channelId: "fleetfire_trip", tag: "n1" } });
    expect(message.apns?.headers).toEqual({ "apns-priority": "10", "apns-push-type": "alert" });
    expect(message.apns?.payload?.aps["interruption-level"]).toBe("time-sensitive");
    expect(message.data).toEqual({ bookingId: "b1", category: "trip", template: "driver_arrived", notificationId: "n1" });
  });

  it("sends marketing at normal priority without breaking through Focus", () => {
    const message = buildMulticast(["t1"], { ...content, category: "marketing", timeSensitive: false });
    expect(message.android?.priority).toBe("normal");
    expect(message.apns?.headers?.["apns-priority"]).toBe("5");
    expect(message.apns?.payload?.aps["interruption-level"]).toBe("active");
  });

  it("splits tokens into chunks of at most 500, without duplicates", () => {
    const tokens = Array.from({ length: 1201 }, (_, i) => `token-${i}`);
    const chunks = buildMulticasts([...tokens, "token-0"], content);
    expect(chunks.map((c) => c.tokens.length)).toEqual([500, 500, 201]);
    expect(chunks.flatMap((c) => c.tokens)).toEqual(tokens);
  });
});

describe("notificationsForBookingEvent", () => {
  const base = { bookingId: "b1", riderId: "rider", driverId: "driver", actor: "server", previousStatus: null } as const;

  it("tells each offered driver about an offer, keyed by the event", () => {
    const planned = notificationsForBookingEvent("e1", { ...base, type: "offer_sent", status: "searching", driverId: null, data: { driverIds: ["d1", "d2"], round: 1 } });
    expect(planned.map((p) => [p.userId, p.event.template, p.key])).toEqual([
      ["d1", "offer_received", "bookingEvent:e1"],
      ["d2", "offer_received", "bookingEvent:e1"],
    ]);
  });

  it("maps status changes to rider notifications", () => {
    const status = (s: string, previous: string) =>
      notificationsForBookingEvent("e2", { ...base, type: "status_changed", status: s as never, previousStatus: previous as never }, { driverName: "Ana" });
    expect(status("arrived", "accepted")).toEqual([{ userId: "rider", key: "bookingEvent:e2", event: { template: "driver_arrived", category: "trip", data: { bookingId: "b1", driverName: "Ana" } } }]);
    expect(status("in_progress", "arrived")[0]?.event.template).toBe("trip_started");
    expect(status("completed", "in_progress")[0]?.event.template).toBe("trip_completed");
    expect(status("no_drivers", "searching")[0]?.event.template).toBe("no_drivers");
    expect(status("searching", "requested")).toEqual([]);
  });

  it("gives facts reported by two event types one key", () => {
    const assigned = notificationsForBookingEvent("e3", { ...base, type: "driver_assigned", status: "accepted", data: { driverId: "driver", vehicleId: "v" } });
    const accepted = notificationsForBookingEvent("e4", { ...base, type: "status_changed", status: "accepted", previousStatus: "searching" });
    expect(assigned[0]?.key).toBe("booking:b1:assigned:driver");
    expect(accepted[0]?.key).toBe(assigned[0]?.key);
    const failedPayment = notificationsForBookingEvent("e5", { ...base, type: "payment", status: "payment_failed", data: { paymentStatus: "failed" } });
    const failedStatus = notificationsForBookingEvent("e6", { ...base, type: "status_changed", status: "payment_failed", previousStatus: "awaiting_payment" });
    expect(failedPayment[0]?.event).toMatchObject({ template: "payment_failed", category: "payment", transactional: true });
    expect(failedStatus[0]?.key).toBe(failedPayment[0]?.key);
  });

  it("tells the other party about a cancellation", () => {
    const byRider = notificationsForBookingEvent("e7", { ...base, type: "cancelled", status: "cancelled", actor: "rider", data: { by: "rider", reason: "x", feeMinor: 0 } });
    expect(byRider.map((p) => [p.userId, p.event.data.cancelledBy])).toEqual([["driver", "rider"]]);
    const byDriver = notificationsForBookingEvent("e8", { ...base, type: "status_changed", status: "cancelled", previousStatus: "accepted", actor: "driver" });
    expect(byDriver.map((p) => p.userId)).toEqual(["rider"]);
    const byServer = notificationsForBookingEvent("e9", { ...base, type: "cancelled", status: "cancelled", data: { by: "server" } });
    expect(byServer.map((p) => [p.userId, p.event.data.cancelledBy])).toEqual([["rider", "service"], ["driver", "service"]]);
  });

  it("sends a receipt with the formatted amount when the payment is captured", () => {
    const planned = notificationsForBookingEvent("e10", { ...base, type: "payment", status: "completed", data: { paymentStatus: "captured", amountMinor: 1250, currency: "eur" } }, { receiptNumber: "R-7" });
    expect(planned).toEqual([
      { userId: "rider", key: "booking:b1:receipt", event: { template: "receipt", category: "payment", transactional: true, data: { bookingId: "b1", amount: "€12.50", receiptNumber: "R-7" } } },
    ]);
  });
});

describe("keys", () => {
  it("differ per recipient and channel and are stable", () => {
    expect(channelKeyId("k", "u", "push")).toBe(channelKeyId("k", "u", "push"));
    expect(new Set([channelKeyId("k", "u", "push"), channelKeyId("k", "u", "email"), channelKeyId("k", "v", "push")]).size).toBe(3);
    expect(notificationId("k", "u")).toMatch(/^[0-9a-f]{24}$/);
  });
});
