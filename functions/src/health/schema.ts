import { z } from "zod";
import { timestampSchema, uidSchema } from "../common/schema";
import { typedCollection } from "../common/firestore";

/**
 * healthChecks/{checkId}: an end-to-end probe. A signed-in client writes {requestedBy, requestedAt}; the
 * trigger answers on the same document, proving client → Firestore → function → client works.
 */
export const healthCheckSchema = z.object({
  requestedBy: uidSchema,
  requestedAt: timestampSchema,
  respondedAt: timestampSchema.optional(),
  latencyMs: z.number().optional(),
  region: z.string().optional(),
});
export type HealthCheck = z.infer<typeof healthCheckSchema>;

export const healthChecks = typedCollection(healthCheckSchema, () => "healthChecks");

export const pingInputSchema = z.strictObject({
  echo: z.string().max(200, "echo must be at most 200 characters").optional(),
});

/** What ping returns: who the backend thinks the caller is (uid null when signed out) and its clock. */
export const pingOutputSchema = z.strictObject({
  ok: z.literal(true),
  uid: uidSchema.nullable(),
  echo: z.string().max(200).nullable(),
  /** ISO 8601 in UTC, e.g. 2026-11-25T06:00:00.000Z. */
  serverTime: z.iso.datetime(),
});
export type PingOutput = z.infer<typeof pingOutputSchema>;
