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

// bookings & dispatch
export { onBookingCreated, onBookingStatusChanged, startScheduledBooking } from "./bookings/handlers";

// tracking
export { mirrorDriverStatus, refreshEtaTask, sweepStaleDrivers } from "./tracking/handlers";

// payments

// chat

// notifications

// analytics
