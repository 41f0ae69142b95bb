// Safety: trip shares (a read-only link for a contact without an account) and SOS incidents (docs/safety.md).
import { z } from "zod";
import { docIdSchema, latLngSchema } from "../common/schema";

/** A share token: 32 random bytes, base64url (256 bits; the rules let anyone `get` tripShares/{token}). */
export const shareTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "must be a share token");

export const createTripShareInputSchema = z.strictObject({ bookingId: docIdSchema });
/** The token names tripShares/{token}; the link is the app's `#/share/<token>` (the client builds it). */
export const createTripShareOutputSchema = z.strictObject({ token: shareTokenSchema, activeShares: z.number().int().min(1) });
export type CreateTripShareOutput = z.infer<typeof createTripShareOutputSchema>;

export const revokeTripShareInputSchema = z.strictObject({ bookingId: docIdSchema, token: shareTokenSchema });
export const revokeTripShareOutputSchema = z.strictObject({ revoked: z.boolean() });
export type RevokeTripShareOutput = z.infer<typeof revokeTripShareOutputSchema>;

export const raiseSosInputSchema = z.strictObject({
  bookingId: docIdSchema,
  /** Where the raiser's phone is (untrusted: shown to admins as "reported by the raiser"). */
  position: latLngSchema.optional(),
});
export const raiseSosOutputSchema = z.strictObject({ incidentId: z.string().min(1), created: z.boolean(), status: z.literal("open") });
export type RaiseSosOutput = z.infer<typeof raiseSosOutputSchema>;

export const closeIncidentInputSchema = z.strictObject({
  incidentId: docIdSchema,
  resolution: z.string().trim().min(1, "must say how the incident was resolved").max(500),
});
export const closeIncidentOutputSchema = z.strictObject({ status: z.literal("closed"), alreadyClosed: z.boolean() });
export type CloseIncidentOutput = z.infer<typeof closeIncidentOutputSchema>;

const positionSchema = z.strictObject({ lat: z.number(), lng: z.number(), heading: z.number().nullable(), atMs: z.number().nullable() });

/**
 * tripShares/{token}, server-written, readable by anyone who knows the token (get only): exactly what the contact
 * sees. Nothing else of the rider or the driver is in it (no uid, no booking id, no phone, no addresses).
 */
export const tripShareViewSchema = z.strictObject({
  status: z.enum(["waiting", "accepted", "arrived", "in_progress"]),
  driver: z.strictObject({ firstName: z.string(), vehicle: z.string(), plate: z.string() }).nullable(),
  position: positionSchema.nullable(),
  etaSeconds: z.number().int().min(0).nullable(),
  /** What the ETA is to: the pickup while the driver is on the way, the drop-off during the trip. */
  etaTo: z.enum(["pickup", "dropoff"]).nullable(),
});
export type TripShareView = z.infer<typeof tripShareViewSchema>;
