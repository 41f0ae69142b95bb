// Every zod schema exported to schemas/ as JSON Schema: the documents clients (and admins, in the console) write,
// and the callables' inputs and outputs. Import schema modules only (never handlers): they load no Firebase SDK.
import { getReportOutputSchema, reportInputSchema, ratingSchema } from "../../functions/src/analytics/schema";
import {
  cancellationSchema, driverDeliveryCodeGuessSchema, driverDeliveryCompletionSchema, driverDeliveryFailureSchema, driverPinGuessSchema, driverStatusMoveSchema,
  newBookingSchema, trackChunkSchema,
} from "../../functions/src/bookings/schema";
import { vehicleCategorySchema, driverSchema, vehicleSchema } from "../../functions/src/catalogue/schema";
import { joinChatInputSchema, joinChatOutputSchema, messageSchema, readReceiptSchema } from "../../functions/src/chat/schema";
import { acceptOfferInputSchema, acceptOfferOutputSchema, dispatchSettingsSchema, nearbyCarsInputSchema, nearbyCarsOutputSchema, offerAnswerSchema, offerInboxSchema } from "../../functions/src/dispatch/schema";
import { serviceAreasConfigSchema } from "../../functions/src/areas/configSchema";
import { completeDeliveryStopInputSchema, completeDeliveryStopOutputSchema } from "../../functions/src/fleet/schema";
import { getEarningsInputSchema, getEarningsOutputSchema, startDriverOnboardingInputSchema, startDriverOnboardingOutputSchema } from "../../functions/src/earnings/schema";
import { citySpeedProfileSchema } from "../../functions/src/fleet/speedProfile";
import { healthCheckSchema, pingInputSchema, pingOutputSchema } from "../../functions/src/health/schema";
import { deviceSchema, inboxReadSchema } from "../../functions/src/notifications/schema";
import {
  confirmCashCollectedInputSchema,
  confirmCashCollectedOutputSchema,
  tipDriverInputSchema,
  tipDriverOutputSchema,
  tipSettingsSchema,
  refundPaymentInputSchema,
  refundPaymentOutputSchema,
  reviewFareInputSchema,
  reviewFareOutputSchema,
} from "../../functions/src/payments/schema";
import { pricingConfigSchema } from "../../functions/src/pricing/configSchema";
import { quoteFareInputSchema, quoteFareOutputSchema } from "../../functions/src/pricing/schema";
import { optimizeRouteInputSchema, optimizeRouteOutputSchema } from "../../functions/src/routing/schema";
import {
  closeIncidentInputSchema,
  closeIncidentOutputSchema,
  createTripShareInputSchema,
  createTripShareOutputSchema,
  raiseSosInputSchema,
  raiseSosOutputSchema,
  revokeTripShareInputSchema,
  revokeTripShareOutputSchema,
  tripShareViewSchema,
} from "../../functions/src/safety/schema";
import { driverLocationWriteSchema } from "../../functions/src/tracking/schema";
import {
  confirmTripChangeInputSchema,
  confirmTripChangeOutputSchema,
  extendHireInputSchema,
  extendHireOutputSchema,
  proposeTripChangeInputSchema,
  proposeTripChangeOutputSchema,
} from "../../functions/src/trips/schema";
import {
  deleteAccountInputSchema,
  deleteAccountOutputSchema,
  notificationPrefsSchema,
  savedPlaceSchema,
  setUserRoleInputSchema,
  setUserRoleOutputSchema,
  userProfileSchema,
} from "../../functions/src/users/schema";

/**
 * - `client-write`: exactly what a client may write (the zod schema mirrors firestore.rules).
 * - `admin-write`: a document admins edit in the console; the server validates it with this schema.
 * - `document`: the stored document as the server reads it. firestore.rules is stricter about what a client may
 *   write (lengths, request.time, server-only fields): see docs/data-model.md.
 * - `callable-input`: the `data` of a callable; anything else is rejected with `invalid-argument`.
 * - `callable-output`: a callable's result as the client SDK receives it (JSON: dates are ISO 8601 strings). The
 *   service function returns the schema's inferred type; the integration tests' `call()` checks every response.
 */
export type SchemaKind = "client-write" | "admin-write" | "document" | "callable-input" | "callable-output";

/** The zod schema type of functions/node_modules/zod (structurally; its instance is not the root's). */
export interface ZodLike {
  toJSONSchema(params?: object): object;
  safeParse(value: unknown): { success: boolean };
}

export interface SchemaEntry {
  /** The file under schemas/, without `.json`. */
  id: string;
  kind: SchemaKind;
  /** Firestore path or callable name. */
  target: string;
  /** `functions/src/<file>#<export>`. */
  source: string;
  schema: ZodLike;
  /** Checks zod makes that JSON Schema cannot express (refinements across fields, dates relative to now). */
  notInJsonSchema?: string[];
  /**
   * Where the zod schema (the server's reading of the document) is looser than firestore.rules at the top level:
   * `close` rejects extra keys (the rules' keys().hasOnly; zod strips them), `add` lists fields the rules allow
   * that zod does not name ("timestamp" = a Firestore Timestamp), `omit` drops server-only fields.
   */
  rules?: { close?: true; add?: Record<string, "timestamp">; omit?: string[] };
}

/** A callable's input or output: `callables/<name>.<io>`, the callable's name as its target. */
function callable(io: "input" | "output", name: string, source: string, schema: ZodLike, notInJsonSchema?: string[]): SchemaEntry {
  return { id: `callables/${name}.${io}`, kind: `callable-${io}`, target: name, source, schema, ...(notInJsonSchema ? { notInJsonSchema } : {}) };
}

export const SCHEMAS: SchemaEntry[] = [
  // ----- documents -----
  { id: "documents/users", kind: "document", target: "users/{uid}", source: "users/schema.ts#userProfileSchema", schema: userProfileSchema,
    notInJsonSchema: ["the owner writes only displayName (1–60 chars), photoPath (users/{uid}/profile/…), notificationPrefs, updatedAt; phoneNumber/email equal the ID token's on create; role is admin-only"] },
  { id: "documents/users.notificationPrefs", kind: "client-write", target: "users/{uid}.notificationPrefs", source: "users/schema.ts#notificationPrefsSchema", schema: notificationPrefsSchema },
  { id: "documents/users.devices", kind: "client-write", target: "users/{uid}/devices/{deviceId}", source: "notifications/schema.ts#deviceSchema", schema: deviceSchema,
    rules: { close: true }, notInJsonSchema: ["the rules require updatedAt (= request.time) on every write"] },
  { id: "documents/users.places", kind: "client-write", target: "users/{uid}/places/{placeId}", source: "users/schema.ts#savedPlaceSchema", schema: savedPlaceSchema,
    rules: { close: true }, notInJsonSchema: ["only the owner reads and writes; placeId is home, work or p1..p8 (at most 10 places); updatedAt = request.time"] },
  { id: "documents/drivers", kind: "document", target: "drivers/{uid}", source: "catalogue/schema.ts#driverSchema", schema: driverSchema,
    notInJsonSchema: ["the driver writes licence {number [A-Za-z0-9 -]{4,32}, country [A-Z]{2}, expiresAt in the future}, licencePhotoPath, vehicleId (an active vehicle of their own), status offline ↔ available; approved/suspended are admin-only; rating, stats, busy are server-only"] },
  { id: "documents/vehicles", kind: "document", target: "vehicles/{vehicleId}", source: "catalogue/schema.ts#vehicleSchema", schema: vehicleSchema,
    notInJsonSchema: ["on create: status = pending, driverId = the author, make/model 1–40 chars, year 1980–2100, color 1–20 chars, plate [A-Z0-9][A-Z0-9 -]{0,14}[A-Z0-9], an active categoryId, createdAt/updatedAt = request.time"] },
  { id: "documents/vehicleCategories", kind: "admin-write", target: "vehicleCategories/{categoryId}", source: "catalogue/schema.ts#vehicleCategorySchema", schema: vehicleCategorySchema,
    notInJsonSchema: ["the rules also bound name (1–40), description (≤ 200), capacity (1–60) and require at least one service type"] },
  { id: "documents/pricing", kind: "admin-write", target: "pricing/{serviceType}", source: "pricing/configSchema.ts#pricingConfigSchema", schema: pricingConfigSchema,
    notInJsonSchema: ["surge windows: endHour after startHour", "categories: at least one", "delivery: at least one parcel size class", "hourly: hourlyBlockMinor, blockMinutes, includedKmPerBlock per category, and the included km cost less than a block"] },
  { id: "documents/paymentSettings.tips", kind: "admin-write", target: "paymentSettings/tips", source: "payments/schema.ts#tipSettingsSchema", schema: tipSettingsSchema,
    notInJsonSchema: ["absent fields take the defaults: windowHours = TIP_WINDOW_HOURS (24), maxMinor 5000, maxPercentOfFare 100; an invalid document is ignored (defaults)"] },
  { id: "documents/serviceAreas", kind: "admin-write", target: "serviceAreas/{serviceType}", source: "areas/configSchema.ts#serviceAreasConfigSchema", schema: serviceAreasConfigSchema,
    notInJsonSchema: ["area ids are unique", "each polygon is simple (no crossing edges, no vertex on another edge) and encloses at least 10 000 m²"] },
  { id: "documents/dispatchSettings", kind: "admin-write", target: "dispatchSettings/{categoryId}", source: "dispatch/schema.ts#dispatchSettingsSchema", schema: dispatchSettingsSchema },
  { id: "documents/citySpeedProfiles", kind: "admin-write", target: "citySpeedProfiles/{city}", source: "fleet/speedProfile.ts#citySpeedProfileSchema", schema: citySpeedProfileSchema,
    notInJsonSchema: ["timeZone is an IANA zone known to the runtime's Intl", "an invalid document is ignored (flat profile: static travel times) with a warning"] },
  { id: "documents/bookings.create", kind: "client-write", target: "bookings/{bookingId}", source: "bookings/schema.ts#newBookingSchema", schema: newBookingSchema,
    rules: { close: true, add: { createdAt: "timestamp" } },
    notInJsonSchema: ["recipient and parcel are required for a delivery and forbidden otherwise", "riderId = the author; scheduledAt within the next 30 days", "createdAt (optional) = request.time"] },
  { id: "documents/bookings.cancellation", kind: "client-write", target: "bookings/{bookingId}.cancellation", source: "bookings/schema.ts#cancellationSchema", schema: cancellationSchema,
    rules: { close: true, omit: ["feeMinor", "currency"] },
    notInJsonSchema: ["a client writes only {by, reason} with status = cancelled: by = rider with a rider reason, or driver with a driver reason; feeMinor and currency are server-written"] },
  { id: "documents/bookings.driverMove", kind: "client-write", target: "bookings/{bookingId} (driver update)", source: "bookings/schema.ts#driverStatusMoveSchema", schema: driverStatusMoveSchema,
    notInJsonSchema: ["only the assigned driver, one step at a time: accepted → arrived (within 150 m of the pickup), arrived → in_progress (the stored pinAttempt = the rider's PIN: write documents/bookings.pinGuess first), in_progress → completed (within 250 m of the drop-off); the driver's last position is < 120 s old"] },
  { id: "documents/bookings.pinGuess", kind: "client-write", target: "bookings/{bookingId} (driver update)", source: "bookings/schema.ts#driverPinGuessSchema", schema: driverPinGuessSchema,
    notInJsonSchema: ["only the assigned driver while arrived, status unchanged; pinAttempts = the stored count + 1 while it is < 5, or 1 once 10 minutes have passed since the stored pinAttemptAt; pinAttemptAt = request.time; right or wrong, the guess is stored (counted)"] },
  { id: "documents/bookings.deliveryCompletion", kind: "client-write", target: "bookings/{bookingId} (driver update)", source: "bookings/schema.ts#driverDeliveryCompletionSchema", schema: driverDeliveryCompletionSchema,
    notInJsonSchema: ["in_progress → completed by the assigned driver within 250 m of the drop-off, only once every proof in proofRequired is there: proof.photo and proof.code (server-verified), receivedBy (1–100 chars) in this write; receivedBy only on a delivery"] },
  { id: "documents/bookings.deliveryCodeGuess", kind: "client-write", target: "bookings/{bookingId} (driver update)", source: "bookings/schema.ts#driverDeliveryCodeGuessSchema", schema: driverDeliveryCodeGuessSchema,
    notInJsonSchema: ["only the assigned driver of an in_progress delivery whose proofRequired.recipientCode is true and whose proof.code is not set yet; deliveryCodeAttempts = the stored count + 1, at most 5, never restarted; deliveryCodeAttemptAt = request.time; the server verifies the guess and writes proof.code"] },
  { id: "documents/bookings.deliveryFailure", kind: "client-write", target: "bookings/{bookingId} (driver update)", source: "bookings/schema.ts#driverDeliveryFailureSchema", schema: driverDeliveryFailureSchema,
    notInJsonSchema: ["in_progress → delivery_failed by the assigned driver of a delivery within 250 m of the drop-off; timeline.delivery_failed (optional) = request.time; the server fixes the fare with the return leg and charges it"] },
  { id: "documents/bookings.offers.answer", kind: "client-write", target: "bookings/{bookingId}/offers/{driverUid}", source: "dispatch/schema.ts#offerAnswerSchema", schema: offerAnswerSchema,
    notInJsonSchema: ["an update of a pending, unexpired offer by the offered driver: only status and answeredAt (= request.time) change"] },
  { id: "documents/bookings.track", kind: "client-write", target: "bookings/{bookingId}/track/{chunkId}", source: "bookings/schema.ts#trackChunkSchema", schema: trackChunkSchema,
    notInJsonSchema: ["the rules allow 1–120 points, t as integer epoch milliseconds, only while the booking is in_progress, by its driver"] },
  { id: "documents/bookings.ratings", kind: "client-write", target: "bookings/{bookingId}/ratings/{raterUid}", source: "analytics/schema.ts#ratingSchema", schema: ratingSchema,
    notInJsonSchema: ["createdAt = request.time; only the completed booking's rider or driver, once"] },
  { id: "documents/driverLocations", kind: "client-write", target: "driverLocations/{uid}", source: "tracking/schema.ts#driverLocationWriteSchema", schema: driverLocationWriteSchema,
    notInJsonSchema: ["updatedAt = request.time, at most one write a second; on update the position is within 70 m/s × the seconds since the stored updatedAt + 100 m of the stored one (the first position is free); write with merge so the server fields (status, categoryId, riderId) stay"] },
  { id: "documents/chats.messages", kind: "client-write", target: "chats/{chatId}/messages/{messageId}", source: "chat/schema.ts#messageSchema", schema: messageSchema,
    rules: { close: true },
    notInJsonSchema: ["senderId = the author; createdAt = request.time; at least one of text (1–2000 chars) and attachment", "attachment: path = chats/{chatId}/{messageId}/{name}, contentType image/jpeg|png|webp|heic or application/pdf, 1 byte to 10 MiB"] },
  { id: "documents/chats.readReceipt", kind: "client-write", target: "chats/{chatId} (participant update)", source: "chat/schema.ts#readReceiptSchema", schema: readReceiptSchema,
    notInJsonSchema: ["each map changes only the author's own key (write the field paths unread.{uid} and lastReadAt.{uid}); lastReadAt.{uid} = request.time"] },
  { id: "documents/users.notifications.read", kind: "client-write", target: "users/{uid}/notifications/{notificationId} (owner update)", source: "notifications/schema.ts#inboxReadSchema", schema: inboxReadSchema,
    notInJsonSchema: ["only the owner; readAt = request.time; nothing else changes"] },
  { id: "documents/healthChecks", kind: "document", target: "healthChecks/{checkId}", source: "health/schema.ts#healthCheckSchema", schema: healthCheckSchema,
    notInJsonSchema: ["a client creates it with requestedBy (= the author) and requestedAt (= request.time) only; the rest is the server's answer"] },
  { id: "documents/offerInbox", kind: "document", target: "offerInbox/{driverUid}", source: "dispatch/schema.ts#offerInboxSchema", schema: offerInboxSchema,
    notInJsonSchema: ["server-written; only its driver gets it (never listed); an entry per unresolved offer bookings/{bookingId}/offers/{driverUid}, removed when the offer is resolved"] },
  { id: "documents/tripShares", kind: "document", target: "tripShares/{token}", source: "safety/schema.ts#tripShareViewSchema", schema: tripShareViewSchema,
    notInJsonSchema: ["server-written; plus updatedAt (server time); anyone holding the token gets it, nobody lists it; deleted when the trip ends or the link is revoked"] },
  // ----- callables -----
  callable("input", "ping", "health/schema.ts#pingInputSchema", pingInputSchema),
  callable("input", "setUserRole", "users/schema.ts#setUserRoleInputSchema", setUserRoleInputSchema),
  callable("input", "deleteAccount", "users/schema.ts#deleteAccountInputSchema", deleteAccountInputSchema),
  callable("input", "quoteFare", "pricing/schema.ts#quoteFareInputSchema", quoteFareInputSchema,
    ["scheduledAt in the future and within 30 days", "parcelSizeClass only for delivery"]),
  callable("input", "optimizeRoute", "routing/schema.ts#optimizeRouteInputSchema", optimizeRouteInputSchema,
    ["departureTime within 30 days", "end not allowed with roundTrip: true"]),
  callable("input", "refundPayment", "payments/schema.ts#refundPaymentInputSchema", refundPaymentInputSchema,
    ["reason is trimmed before its length is checked"]),
  callable("input", "reviewFare", "payments/schema.ts#reviewFareInputSchema", reviewFareInputSchema, ["note is trimmed before its length is checked"]),
  callable("input", "acceptOffer", "dispatch/schema.ts#acceptOfferInputSchema", acceptOfferInputSchema),
  callable("input", "nearbyCars", "dispatch/schema.ts#nearbyCarsInputSchema", nearbyCarsInputSchema),
  callable("input", "confirmCashCollected", "payments/schema.ts#confirmCashCollectedInputSchema", confirmCashCollectedInputSchema),
  callable("input", "tipDriver", "payments/schema.ts#tipDriverInputSchema", tipDriverInputSchema,
    ["the trip's rider, completed within the tip window (24 h); amountMinor at least 50 and at most the lower of paymentSettings/tips.maxMinor and maxPercentOfFare % of the final fare; one tip per trip"]),
  callable("input", "joinChat", "chat/schema.ts#joinChatInputSchema", joinChatInputSchema),
  callable("input", "getReport", "analytics/schema.ts#reportInputSchema", reportInputSchema,
    ["from and to are real calendar days, from ≤ to, at most 366 days apart"]),
  callable("input", "completeDeliveryStop", "fleet/schema.ts#completeDeliveryStopInputSchema", completeDeliveryStopInputSchema,
    ["only the driver of the plan's route deliveryRoutes/{planId}__{uid}; the stop must be that route's current stop (the first not done)"]),
  callable("input", "proposeTripChange", "trips/schema.ts#proposeTripChangeInputSchema", proposeTripChangeInputSchema,
    ["only the booking's rider, while scheduled, accepted, arrived or in_progress; not an hourly hire"]),
  callable("input", "confirmTripChange", "trips/schema.ts#confirmTripChangeInputSchema", confirmTripChangeInputSchema,
    ["only the booking's rider, before the proposal's expiresAt, while the booking has the status and route version it was priced on"]),
  callable("input", "extendHire", "trips/schema.ts#extendHireInputSchema", extendHireInputSchema,
    ["only the hourly hire's rider, while scheduled, accepted, arrived or in_progress; hours is the new total, at least the hours booked"]),
  callable("input", "createTripShare", "safety/schema.ts#createTripShareInputSchema", createTripShareInputSchema,
    ["only the booking's rider, while the trip has not ended; at most 5 links in force per trip"]),
  callable("input", "revokeTripShare", "safety/schema.ts#revokeTripShareInputSchema", revokeTripShareInputSchema, ["only the rider who made the link"]),
  callable("input", "raiseSos", "safety/schema.ts#raiseSosInputSchema", raiseSosInputSchema,
    ["only the booking's rider or driver, while it is accepted, arrived or in_progress"]),
  callable("input", "closeIncident", "safety/schema.ts#closeIncidentInputSchema", closeIncidentInputSchema, ["admins only; resolution is trimmed before its length is checked"]),
  callable("input", "startDriverOnboarding", "earnings/schema.ts#startDriverOnboardingInputSchema", startDriverOnboardingInputSchema, ["drivers only (role claim)"]),
  callable("input", "getEarnings", "earnings/schema.ts#getEarningsInputSchema", getEarningsInputSchema, ["driverId only for admins; a driver gets their own"]),
  callable("output", "ping", "health/schema.ts#pingOutputSchema", pingOutputSchema),
  callable("output", "setUserRole", "users/schema.ts#setUserRoleOutputSchema", setUserRoleOutputSchema),
  callable("output", "deleteAccount", "users/schema.ts#deleteAccountOutputSchema", deleteAccountOutputSchema),
  callable("output", "quoteFare", "pricing/schema.ts#quoteFareOutputSchema", quoteFareOutputSchema,
    ["amountMinor is the sum of the breakdown's amounts; no line is 0", "expiresAt is 10 minutes after the call"]),
  callable("output", "optimizeRoute", "routing/schema.ts#optimizeRouteOutputSchema", optimizeRouteOutputSchema,
    ["order lists every index of the request's stops[] exactly once", "distanceMeters and durationSeconds are the sums over legs; arrivalAfterSeconds is the running total of the legs' durationSeconds", "estimated = (source is offline-estimate)"]),
  callable("output", "refundPayment", "payments/schema.ts#refundPaymentOutputSchema", refundPaymentOutputSchema),
  callable("output", "reviewFare", "payments/schema.ts#reviewFareOutputSchema", reviewFareOutputSchema),
  callable("output", "acceptOffer", "dispatch/schema.ts#acceptOfferOutputSchema", acceptOfferOutputSchema),
  callable("output", "nearbyCars", "dispatch/schema.ts#nearbyCarsOutputSchema", nearbyCarsOutputSchema,
    ["cars is a bucket of the fresh available cars of the category in the 3 × 3 grid cells (≈ 1.9 × 1.2 km each) around the pickup; etaMinutes ≥ 2; no position is ever returned"]),
  callable("output", "confirmCashCollected", "payments/schema.ts#confirmCashCollectedOutputSchema", confirmCashCollectedOutputSchema),
  callable("output", "tipDriver", "payments/schema.ts#tipDriverOutputSchema", tipDriverOutputSchema,
    ["clientSecret is null once succeeded; receiptId and receiptNumberText are set only once succeeded (receipts/tip-{bookingId})"]),
  callable("output", "joinChat", "chat/schema.ts#joinChatOutputSchema", joinChatOutputSchema),
  callable("output", "getReport", "analytics/schema.ts#getReportOutputSchema", getReportOutputSchema,
    ["columns is always the kind's full list, in the order of the enum (the CSV header)", "usage: one row per day with figures, then a total row; financial: one row per day and currency, then a total row per currency; drivers: one row per driver, sorted by driverId"]),
  callable("output", "proposeTripChange", "trips/schema.ts#proposeTripChangeOutputSchema", proposeTripChangeOutputSchema,
    ["estimateMinor is the sum of the breakdown's amounts", "expiresAt is 5 minutes after the call"]),
  callable("output", "confirmTripChange", "trips/schema.ts#confirmTripChangeOutputSchema", confirmTripChangeOutputSchema,
    ["confirming an applied proposal again answers the same"]),
  callable("output", "extendHire", "trips/schema.ts#extendHireOutputSchema", extendHireOutputSchema,
    ["the same total again answers the booking as it stands"]),
  callable("output", "createTripShare", "safety/schema.ts#createTripShareOutputSchema", createTripShareOutputSchema,
    ["the link is the app's #/share/<token>; activeShares counts the trip's links in force, this one included"]),
  callable("output", "revokeTripShare", "safety/schema.ts#revokeTripShareOutputSchema", revokeTripShareOutputSchema, ["revoked is false when the link had already ended"]),
  callable("output", "raiseSos", "safety/schema.ts#raiseSosOutputSchema", raiseSosOutputSchema, ["incidentId is <bookingId>_<uid>; created is false when that alarm was already open"]),
  callable("output", "closeIncident", "safety/schema.ts#closeIncidentOutputSchema", closeIncidentOutputSchema),
  callable("output", "startDriverOnboarding", "earnings/schema.ts#startDriverOnboardingOutputSchema", startDriverOnboardingOutputSchema),
  callable("output", "getEarnings", "earnings/schema.ts#getEarningsOutputSchema", getEarningsOutputSchema,
    ["balanceMinor = pendingTransferMinor + inAccountMinor", "week.netMinor is the sum of week.totals; trips newest first"]),
  callable("output", "completeDeliveryStop", "fleet/schema.ts#completeDeliveryStopOutputSchema", completeDeliveryStopOutputSchema,
    ["arrivedAt / doneAt (epoch ms, server time) are when the stop was first marked arrived / done; repeating a step returns the same times", "doneAt is null while status is arrived", "outcome is null until done: delivered (an imported order, or its booking completed) or failed (its booking ended delivery_failed)"]),
];

/** Client-written documents that have no zod schema: firestore.rules alone defines them (docs/data-model.md). */
export const RULES_ONLY_WRITES = [
  "users/{uid} role and drivers/{uid} approved/suspended: admin edits in the console",
];
