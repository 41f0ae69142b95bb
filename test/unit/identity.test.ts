import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { claimsForRole, isRecentSignIn, isRole, roleOfClaims, roleOfProfile } from "../../functions/src/users/roleLogic";
import { approvalChange, mustGoOffline, vehicleLeftActive } from "../../functions/src/catalogue/driverLogic";
import { notificationPrefsSchema } from "../../functions/src/users/schema";
import { parseArgs } from "../../scripts/grant-admin";

const roles = ["rider", "driver", "admin"] as const;

describe("role logic", () => {
  it("reads a profile's role, absent meaning rider and unknown meaning invalid", () => {
    expect(roleOfProfile(undefined)).toBe("rider");
    expect(roleOfProfile({})).toBe("rider");
    expect(roleOfProfile({ role: "driver" })).toBe("driver");
    expect(roleOfProfile({ role: "superuser" })).toBeUndefined();
    expect(roleOfProfile({ role: 3 })).toBeUndefined();
    expect(isRole("admin")).toBe(true);
    expect(roleOfClaims({ role: "hacker" })).toBe("rider");
  });

  it("changes the claims only when the role differs, keeping every other claim", () => {
    fc.assert(
      fc.property(fc.constantFrom(...roles), fc.option(fc.constantFrom(...roles), { nil: undefined }), fc.dictionary(fc.string({ minLength: 1 }).filter((k) => k !== "role" && k !== "__proto__"), fc.integer()), (role, current, others) => {
        const claims = current ? { ...others, role: current } : { ...others };
        const next = claimsForRole(claims, role);
        if (current === role) {
          expect(next).toBeUndefined();
        } else {
          expect(next).toEqual({ ...others, role });
          // applying the result again is a no-op: the mirror is idempotent
          expect(claimsForRole(next, role)).toBeUndefined();
        }
      }),
    );
  });
});

describe("recent sign-in", () => {
  it("accepts a sign-in within the window and refuses older or missing ones", () => {
    const now = 1_700_000_000_000;
    expect(isRecentSignIn(now / 1000 - 299, now, 300)).toBe(true);
    expect(isRecentSignIn(now / 1000 - 301, now, 300)).toBe(false);
    expect(isRecentSignIn(undefined, now, 300)).toBe(false);
    expect(isRecentSignIn("1700000000", now, 300)).toBe(false);
  });
});

describe("driver logic", () => {
  it("detects approval and revocation, and nothing else", () => {
    expect(approvalChange(undefined, { approved: false })).toBeUndefined();
    expect(approvalChange({ approved: false }, { approved: true })).toBe("approved");
    expect(approvalChange(undefined, { approved: true })).toBe("approved");
    expect(approvalChange({ approved: true }, { approved: true, status: "available" })).toBeUndefined();
    expect(approvalChange({ approved: true }, { approved: false })).toBe("revoked");
    expect(approvalChange({ approved: true }, undefined)).toBe("revoked");
  });

  it("takes available drivers offline when unapproved or suspended", () => {
    expect(mustGoOffline({ status: "available", approved: true })).toBe(false);
    expect(mustGoOffline({ status: "available", approved: true, suspended: true })).toBe(true);
    expect(mustGoOffline({ status: "available", approved: false })).toBe(true);
    expect(mustGoOffline({ status: "busy", approved: true, suspended: true })).toBe(false);
    expect(mustGoOffline({ status: "offline", suspended: true })).toBe(false);
    expect(mustGoOffline(undefined)).toBe(false);
  });

  it("notices a vehicle leaving active", () => {
    expect(vehicleLeftActive({ status: "active" }, { status: "maintenance" })).toBe(true);
    expect(vehicleLeftActive({ status: "active" }, undefined)).toBe(true);
    expect(vehicleLeftActive({ status: "pending" }, { status: "active" })).toBe(false);
    expect(vehicleLeftActive({ status: "active" }, { status: "active" })).toBe(false);
  });
});

describe("notificationPrefs schema", () => {
  const channel = { push: true, email: false, sms: false };
  const prefs = { trip: channel, chat: channel, payment: channel, marketing: channel, quietHours: { start: "22:00", end: "07:00", tz: "Europe/Lisbon" } };
  it("accepts the contract's shape and rejects others with field paths", () => {
    expect(notificationPrefsSchema.safeParse(prefs).success).toBe(true);
    expect(notificationPrefsSchema.safeParse({ ...prefs, quietHours: null }).success).toBe(true);
    const bad = notificationPrefsSchema.safeParse({ ...prefs, chat: { ...channel, push: "yes" }, quietHours: { start: "24:00", end: "07:00", tz: "" } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join(".")).sort()).toEqual(["chat.push", "quietHours.start", "quietHours.tz"]);
  });
});

describe("grant-admin arguments", () => {
  it("takes exactly one of --email and --phone, the phone in E.164", () => {
    expect(parseArgs(["--email", "a@b.c"])).toMatchObject({ email: "a@b.c" });
    expect(parseArgs(["--phone", "+351910000001"])).toMatchObject({ phone: "+351910000001" });
    expect(() => parseArgs([])).toThrow(/exactly one/);
    expect(() => parseArgs(["--email", "a@b.c", "--phone", "+351910000001"])).toThrow(/exactly one/);
    expect(() => parseArgs(["--phone", "910000001"])).toThrow(/E\.164/);
  });
});
