import { z } from "zod";
import { describe, expect, it } from "vitest";
import { validate } from "../../functions/src/common/validation";
import { latLngSchema } from "../../functions/src/common/schema";

const schema = z.strictObject({ pickup: latLngSchema, stops: z.array(latLngSchema).max(2), note: z.string().optional() });

describe("validate()", () => {
  it("returns the parsed value for good input", () => {
    const value = validate(schema, { pickup: { lat: 1, lng: 2 }, stops: [] });
    expect(value.pickup).toEqual({ lat: 1, lng: 2 });
  });

  it("throws invalid-argument naming every bad field path", () => {
    let thrown: unknown;
    try {
      validate(schema, { pickup: { lat: 91, lng: "x" }, stops: [{ lat: 0, lng: 0 }, { lat: 0 }], extra: 1 });
    } catch (error) {
      thrown = error;
    }
    // HttpsError comes from functions/node_modules; check its shape rather than its class identity.
    const error = thrown as { code: string; httpErrorCode: { status: number }; message: string; details: unknown };
    expect(error.code).toBe("invalid-argument");
    expect(error.httpErrorCode.status).toBe(400);
    const paths = (error.details as { issues: Array<{ path: string; message: string }> }).issues.map((i) => i.path);
    expect(paths.sort()).toEqual(["extra", "pickup.lat", "pickup.lng", "stops.1.lng"]);
    expect(error.message).toContain("pickup.lat: latitude must be ≤ 90");
  });

  it("reports a missing object as a whole-input issue", () => {
    expect(() => validate(schema, undefined)).toThrowError(/Invalid input/);
  });
});
