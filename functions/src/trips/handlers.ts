import { onCall } from "firebase-functions/v2/https";

/** Callable `proposeTripChange({bookingId, dropoff, stops})`, the booking's rider: the new upfront price. */
export const proposeTripChange = onCall(async (request) => {
  const { proposeTripChange: propose } = await import("./changes");
  return propose(request.auth?.uid, request.data);
});

/** Callable `confirmTripChange({bookingId, changeId})`, the booking's rider: the trip takes the new route. */
export const confirmTripChange = onCall(async (request) => {
  const { confirmTripChange: confirm } = await import("./changes");
  return confirm(request.auth?.uid, request.data);
});

/** Callable `extendHire({bookingId, hours})`, the hire's rider: the new total of hours, re-priced and re-authorised. */
export const extendHire = onCall(async (request) => {
  const { extendHire: extend } = await import("./hire");
  return extend(request.auth?.uid, request.data);
});
