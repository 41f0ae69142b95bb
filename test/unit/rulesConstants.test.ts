// firestore.rules repeats a few numbers of the code (rules cannot import): the geofence radii, the position age,
// the PIN guess limits and the position speed check. Each sits in a one-line rules function; this reads the
// rules' text and fails when a number drifts from its constant.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  ARRIVAL_RADIUS_METERS, COMPLETION_RADIUS_METERS, PIN_LOCKOUT_MINUTES, PIN_MAX_ATTEMPTS, POSITION_MAX_AGE_SECONDS,
} from "../../functions/src/bookings/policy";
import { MAX_HIRE_HOURS } from "../../functions/src/pricing/engine";
import { DELIVERY_CODE_DIGITS, DELIVERY_CODE_MAX_ATTEMPTS, DELIVERY_FAILURE_REASONS, PROOF_PHOTO_CONTENT_TYPES, PROOF_PHOTO_MAX_BYTES } from "../../functions/src/bookings/deliveryProofPolicy";
import { DEFAULT_PATH_FILTER } from "../../functions/src/tracking/path";
import { MAX_DRIVER_SPEED_MPS, POSITION_SLACK_METERS } from "../../functions/src/tracking/policy";

const rules = readFileSync(path.join(import.meta.dirname, "../../firestore.rules"), "utf8");
const storageRules = readFileSync(path.join(import.meta.dirname, "../../storage.rules"), "utf8");

/** What the rules function `name()` returns, e.g. "150" or "duration.value(120, 's')" (exactly one definition). */
function returned(name: string): string {
  const matches = [...rules.matchAll(new RegExp(`function ${name}\\(\\)\\s*\\{\\s*return ([^;]+);\\s*\\}`, "g"))];
  expect(matches, `one definition of ${name}() in firestore.rules`).toHaveLength(1);
  return matches[0]![1]!.trim();
}

describe("firestore.rules constants match the code", () => {
  it("geofence radii and the position age (bookings/policy.ts)", () => {
    expect(returned("arrivalRadiusMeters")).toBe(String(ARRIVAL_RADIUS_METERS));
    expect(returned("completionRadiusMeters")).toBe(String(COMPLETION_RADIUS_METERS));
    expect(returned("positionMaxAge")).toBe(`duration.value(${POSITION_MAX_AGE_SECONDS}, 's')`);
    expect(rules).toContain("driverNear(resource.data.pickup, arrivalRadiusMeters())");
    expect(rules).toContain("driverNear(resource.data.dropoff, completionRadiusMeters())");
  });

  it("the longest hourly hire (pricing/engine.ts)", () => {
    expect(returned("maxHireHours")).toBe(String(MAX_HIRE_HOURS));
  });

  it("PIN guess limits (bookings/policy.ts)", () => {
    expect(returned("pinMaxAttempts")).toBe(String(PIN_MAX_ATTEMPTS));
    expect(returned("pinLockout")).toBe(`duration.value(${PIN_LOCKOUT_MINUTES}, 'm')`);
  });

  it("proof of delivery (bookings/deliveryProofPolicy.ts): code guesses, code length, failure reasons, photo type and size", () => {
    expect(returned("deliveryCodeMaxAttempts")).toBe(String(DELIVERY_CODE_MAX_ATTEMPTS));
    expect(rules).toContain(`deliveryCodeAttempt.matches('[0-9]{${DELIVERY_CODE_DIGITS}}')`);
    expect(rules).toContain(`failure.reason in [${DELIVERY_FAILURE_REASONS.map((r) => `'${r}'`).join(", ")}]`);
    const deliveries = storageRules.slice(storageRules.indexOf("match /deliveries/"));
    expect(deliveries).toContain(`request.resource.size <= ${PROOF_PHOTO_MAX_BYTES / (1024 * 1024)} * 1024 * 1024`);
    expect(deliveries).toContain(`request.resource.contentType.matches('image/(${PROOF_PHOTO_CONTENT_TYPES.map((t) => t.split("/")[1]).join("|")})')`);
  });

  it("the position speed check (tracking/policy.ts), the same speed as the path filter's", () => {
    expect(returned("maxDriverSpeedMps")).toBe(String(MAX_DRIVER_SPEED_MPS));
    expect(returned("positionSlackMeters")).toBe(String(POSITION_SLACK_METERS));
    expect(DEFAULT_PATH_FILTER.maxSpeedMps).toBe(MAX_DRIVER_SPEED_MPS);
  });

  it("no bare radius or speed number is left beside the named ones", () => {
    expect(rules).not.toMatch(/driverNear\([^)]*,\s*\d/);
    expect(rules).not.toMatch(/duration\.value\(120, 's'\)[\s\S]*duration\.value\(120, 's'\)/);
  });
});
