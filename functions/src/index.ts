// Wires the deployed functions. Nothing else belongs here: each export's module loads only the trigger
// definitions, and the heavy SDKs (firebase-admin, stripe, maps) load inside handlers on first use.
import "./common/globalOptions";

export { onHealthCheckCreated, ping } from "./health/handlers";

// users & catalogue
export { deleteAccount, onAuthUserDeleted, onUserRoleWritten, setUserRole } from "./users/handlers";
export { onDriverWritten, onVehicleWritten } from "./catalogue/handlers";

// pricing
export { onPricingConfigWritten, quoteFare } from "./pricing/handlers";

// routing
export { optimizeRoute } from "./routing/handlers";

// bookings & dispatch
export { onBookingCreated, onBookingStatusChanged, startScheduledBooking } from "./bookings/handlers";
export { dispatchOnBookingWrite, dispatchOnOfferAnswer, dispatchRoundTimer } from "./dispatch/handlers";

// tracking
export { mirrorDriverStatus, refreshEtaTask, sweepStaleDrivers } from "./tracking/handlers";

// payments
export { confirmCashCollected, onBookingWrittenPayments, refundPayment, reviewFare, stripeWebhook } from "./payments/handlers";

// chat
export { chatHousekeeping, chatOnBookingWritten, chatOnMessageCreated, chatOnUploadFinalized, joinChat, verifyChatUploadTask } from "./chat/handlers";

// notifications
export { onBookingEventNotify, sendDeferredNotifications } from "./notifications/handlers";

// analytics
export { onBookingEventForAnalytics, onPaymentForAnalytics, onRatingCreated, onDriverStatusForAnalytics, getReport, closeAnalyticsDay } from "./analytics/handlers";

// delivery fleets
export { completeDeliveryStop, fleetOnPlanWritten } from "./fleet/handlers";
