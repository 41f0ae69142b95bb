import { z } from "zod";
import { typedCollection } from "../common/firestore";
import {
  amountMinorSchema,
  bookingStatusSchema,
  currencySchema,
  docIdSchema,
  latLngSchema,
  serviceTypeSchema,
  timestampSchema,
  uidSchema,
} from "../common/schema";
import { MAX_HIRE_HOURS } from "../pricing/engine";
import { DELIVERY_CODE_DIGITS, DELIVERY_CODE_MAX_ATTEMPTS, DELIVERY_FAILURE_REASONS, PROOF_PHOTO_CONTENT_TYPES } from "./deliveryProofPolicy";
import { DRIVER_CANCEL_REASONS, MAX_STOPS, PARCEL_SIZE_CLASSES, PAYMENT_METHODS, PIN_MAX_ATTEMPTS, RIDER_CANCEL_REASONS, SERVER_CANCEL_REASONS } from "./policy";

export const cancellationSchema = z.object({
  by: z.enum(["rider", "driver", "server"]),
  reason: z.enum([...RIDER_CANCEL_REASONS, ...DRIVER_CANCEL_REASONS, ...SERVER_CANCEL_REASONS]),
  /** Server-written once the fee rule has been applied. */
  feeMinor: amountMinorSchema.optional(),
  currency: currencySchema.optional(),
  /** Server-written when the fee rule applied but nothing could collect the fee (cash, or no card hold yet). */
  feeWaived: z.object({ reason: z.enum(["cash_booking", "no_authorisation"]), amountMinor: amountMinorSchema }).optional(),
});
export type Cancellation = z.infer<typeof cancellationSchema>;

/**
 * The assigned driver's moves on bookings/{bookingId}: only these fields change (firestore.rules). The start
 * (`in_progress`) carries no PIN: it is allowed only when the guess already stored by `driverPinGuessSchema`
 * equals the rider's PIN.
 */
/**
 * A move may carry its own `timeline.<status>` (written as the field path with serverTimestamp(); the rules
 * require request.time), so the server writes nothing after it.
 */
const stampedMove = <S extends "arrived" | "in_progress" | "completed">(status: S) =>
  z.strictObject({ status: z.literal(status), timeline: z.strictObject({ [status]: timestampSchema } as Record<S, typeof timestampSchema>).optional() });

export const driverStatusMoveSchema = z.discriminatedUnion("status", [stampedMove("arrived"), stampedMove("in_progress"), stampedMove("completed")]);

/** The assigned driver's boarding-PIN guess while `arrived`: one counted write, right or wrong (firestore.rules). */
export const driverPinGuessSchema = z.strictObject({
  pinAttempt: z.string().regex(/^\d{4}$/, "must be the rider's 4-digit PIN"),
  pinAttempts: z.number().int().min(1).max(PIN_MAX_ATTEMPTS),
  pinAttemptAt: timestampSchema,
});

/** A delivery's completion by its driver: the drop-off move, with the recipient's name when the parcel class asks. */
export const driverDeliveryCompletionSchema = z.strictObject({
  status: z.literal("completed"),
  timeline: z.strictObject({ completed: timestampSchema }).optional(),
  receivedBy: z.string().min(1).max(100).optional(),
});

/** The assigned driver's recipient-code guess while `in_progress`: counted by the rules, verified by the server. */
export const driverDeliveryCodeGuessSchema = z.strictObject({
  deliveryCodeAttempt: z.string().regex(new RegExp(`^\\d{${DELIVERY_CODE_DIGITS}}$`), `must be the recipient's ${DELIVERY_CODE_DIGITS}-digit code`),
  deliveryCodeAttempts: z.number().int().min(1).max(DELIVERY_CODE_MAX_ATTEMPTS),
  deliveryCodeAttemptAt: timestampSchema,
});

/** The assigned driver ends a delivery nobody took (in_progress → delivery_failed, at the drop-off). */
export const driverDeliveryFailureSchema = z.strictObject({
  status: z.literal("delivery_failed"),
  timeline: z.strictObject({ delivery_failed: timestampSchema }).optional(),
  deliveryFailure: z.strictObject({ reason: z.enum(DELIVERY_FAILURE_REASONS), note: z.string().max(300).optional() }),
});

/** Server-written proof on a delivery (bookings/{id}.proof): what the server itself verified. */
export const deliveryProofSchema = z.object({
  photo: z.object({ path: z.string(), contentType: z.enum(PROOF_PHOTO_CONTENT_TYPES), sizeBytes: z.number().int(), verifiedAt: timestampSchema }).optional(),
  code: z.object({ verifiedAt: timestampSchema }).optional(),
});
export const proofRequiredSchema = z.object({ photo: z.boolean(), recipientCode: z.boolean(), recipientName: z.boolean() });

/** What a booking is about: written by the rider at creation, never changed afterwards. */
const tripFields = {
  riderId: uidSchema,
  quoteId: docIdSchema,
  categoryId: docIdSchema,
  serviceType: serviceTypeSchema,
  pickup: latLngSchema,
  dropoff: latLngSchema,
};

/** The fields a rider writes when creating `bookings/{id}` (firestore.rules checks the same). */
export const newBookingSchema = z
  .object({
    status: z.literal("requested", "must be \"requested\" when the booking is created"),
    ...tripFields,
    stops: z.array(latLngSchema).max(MAX_STOPS, `at most ${MAX_STOPS} stops`),
    scheduledAt: timestampSchema.optional(),
    paymentMethod: z.enum(PAYMENT_METHODS),
    recipient: z.strictObject({ name: z.string().min(1).max(100), phoneNumber: z.string().regex(/^\+[0-9]{6,15}$/, "must be an E.164 number, e.g. +351910000000") }).optional(),
    parcel: z.strictObject({ description: z.string().min(1).max(300), sizeClass: z.enum(PARCEL_SIZE_CLASSES) }).optional(),
    /** hourly only: the hours booked, as quoted (extended later only by extendHire). */
    hours: z.number().int("must be a whole number of hours").min(1).max(MAX_HIRE_HOURS).optional(),
  })
  .superRefine((booking, ctx) => {
    if (booking.hours !== undefined && booking.serviceType !== "hourly") ctx.addIssue({ code: "custom", path: ["hours"], message: "is only allowed on an hourly hire" });
    const isDelivery = booking.serviceType === "delivery";
    for (const key of ["recipient", "parcel"] as const) {
      if (isDelivery && !booking[key]) ctx.addIssue({ code: "custom", path: [key], message: "is required for a delivery" });
      if (!isDelivery && booking[key]) ctx.addIssue({ code: "custom", path: [key], message: "is only allowed on a delivery" });
    }
  });
export type NewBooking = z.infer<typeof newBookingSchema>;

export const fareSchema = z.object({
  estimateMinor: amountMinorSchema,
  finalMinor: amountMinorSchema.nullable(),
  currency: currencySchema,
  breakdown: z.array(z.unknown()),
  /** The most the trip may be charged without review (estimate + the admin-set margin), fixed at confirmation. */
  maxMinor: amountMinorSchema.optional(),
  /** A failed delivery: the return leg (with its tax) included in finalMinor. */
  returnLegMinor: amountMinorSchema.optional(),
});
export type Fare = z.infer<typeof fareSchema>;

/** A stored booking as the server reads it: client fields plus what the server has written so far. */
export const bookingSchema = z.object({
  status: bookingStatusSchema,
  ...tripFields,
  stops: z.array(latLngSchema).default([]),
  scheduledAt: timestampSchema.optional(),
  paymentMethod: z.enum(PAYMENT_METHODS),
  driverId: uidSchema.nullish(),
  vehicleId: docIdSchema.nullish(),
  /** A delivery held by a delivery plan's route (fleet/service.ts): the van's driver takes it on arrival. */
  plannedBy: z.object({ planId: z.string(), orderId: z.string() }).nullish(),
  cancellation: cancellationSchema.nullish(),
  fare: fareSchema.optional(),
  timeline: z.record(z.string(), timestampSchema).optional(),
  route: z.object({ distanceMeters: z.number(), durationSeconds: z.number() }).partial().optional(),
  parcel: z.object({ description: z.string(), sizeClass: z.string() }).optional(),
  /** hourly only: the hours booked and extended to (the rider at creation; extendHire afterwards). */
  hours: z.number().int().optional(),
  /** The driver's last boarding-PIN guess, how many guesses since the count (re)started, and when (rules). */
  pinAttempt: z.string().optional(),
  pinAttempts: z.number().int().optional(),
  pinAttemptAt: timestampSchema.optional(),
  recipient: z.object({ name: z.string(), phoneNumber: z.string() }).optional(),
  /** Deliveries: the proof the parcel class requires (server, at confirmation), what was verified, who took it. */
  proofRequired: proofRequiredSchema.optional(),
  proof: deliveryProofSchema.optional(),
  receivedBy: z.string().optional(),
  deliveryCodeAttempt: z.string().optional(),
  deliveryCodeAttempts: z.number().int().optional(),
  deliveryCodeAttemptAt: timestampSchema.optional(),
  deliveryFailure: z.object({ reason: z.enum(DELIVERY_FAILURE_REASONS), note: z.string().optional() }).optional(),
});
export type Booking = z.infer<typeof bookingSchema>;

export const bookings = typedCollection(bookingSchema, () => "bookings");

/** bookings/{id}/private/pin: readable by the rider only; the rules compare the driver's stored `pinAttempt` to it. */
export const PIN_DOC_ID = "pin";
export const pinPath = (bookingId: string) => `bookings/${bookingId}/private/${PIN_DOC_ID}`;
/** bookings/{id}/private/deliveryCode: {code, createdAt} — server only (no client reads it, not even the sender). */
export const deliveryCodePath = (bookingId: string) => `bookings/${bookingId}/private/deliveryCode`;
export const eventsPath = (bookingId: string) => `bookings/${bookingId}/events`;
export const trackPath = (bookingId: string) => `bookings/${bookingId}/track`;

export const trackChunkSchema = z.object({
  points: z.array(z.object({ lat: z.number(), lng: z.number(), t: z.union([z.number(), timestampSchema]), accuracy: z.number().optional() })),
});
