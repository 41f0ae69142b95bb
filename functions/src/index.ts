// Wires the deployed functions. Nothing else belongs here: each export's module loads only the trigger
// definitions, and the heavy SDKs (firebase-admin, stripe, maps) load inside handlers on first use.
import "./common/globalOptions";

// The trip pipeline: one trigger per document path (bookings, their audit events, drivers); what each runs is
// listed in pipeline/bookingWritten.ts, bookingEventCreated.ts and driverWritten.ts.
export { onBookingEventCreated, onBookingWritten, onDriverWritten } from "./pipeline/handlers";

export { onHealthCheckCreated, ping } from "./health/handlers";

// users & catalogue
export { deleteAccount, onAuthUserDeleted, onUserRoleWritten, setUserRole } from "./users/handlers";
export { onVehicleWritten } from "./catalogue/handlers";

// pricing
export { onPricingConfigWritten, quoteFare } from "./pricing/handlers";
export { onServiceAreasWritten } from "./areas/handlers";

// routing
export { optimizeRoute } from "./routing/handlers";

// bookings & dispatch
export { deliveryProofOnUploadFinalized, recoverStrandedBookings, startScheduledBooking } from "./bookings/handlers";
export { acceptOffer, dispatchOnOfferAnswer, dispatchRoundTimer, nearbyCars } from "./dispatch/handlers";
export { confirmTripChange, extendHire, proposeTripChange } from "./trips/handlers";

// tracking
export { refreshEtaTask, sweepStaleDrivers } from "./tracking/handlers";

// safety: trip shares and SOS
export { closeIncident, createTripShare, onIncidentWritten, raiseSos, refreshTripShareTask, revokeTripShare } from "./safety/handlers";

// payments
export { confirmCashCollected, refundPayment, reviewFare, stripeWebhook, tipDriver } from "./payments/handlers";

// earnings (drivers paid through Stripe Connect)
export { earningsOnTipWritten, getEarnings, payDrivers, reconcileEarningsNightly, startDriverOnboarding, weeklyEarningsStatements } from "./earnings/handlers";

// chat
export { chatHousekeeping, chatOnMessageCreated, chatOnUploadFinalized, joinChat, verifyChatUploadTask } from "./chat/handlers";

// notifications
export { sendDeferredNotifications } from "./notifications/handlers";

// analytics
export { onRatingCreated, getReport, closeAnalyticsDay } from "./analytics/handlers";

// delivery fleets
export { completeDeliveryStop, fleetOnPlanWritten } from "./fleet/handlers";
