// Wires the deployed functions. Nothing else belongs here: each export's module loads only the trigger
// definitions, and the heavy SDKs (firebase-admin, stripe, maps) load inside handlers on first use.
import "./common/globalOptions";

export { onHealthCheckCreated, ping } from "./health/handlers";

// users & catalogue

// pricing

// routing

// bookings & dispatch
export { dispatchOnBookingWrite, dispatchOnOfferAnswer, dispatchRoundTimer } from "./dispatch/handlers";

// tracking

// payments

// chat

// notifications

// analytics
