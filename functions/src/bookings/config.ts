// Settings of the booking lifecycle (params in functions/.env; defaults below).
import { defineInt } from "firebase-functions/params";

export const scheduledDispatchLeadMinutes = defineInt("SCHEDULED_DISPATCH_LEAD_MINUTES", {
  default: 15,
  description: "How long before a scheduled pickup its dispatch starts.",
});
export const cancellationGraceSeconds = defineInt("CANCELLATION_GRACE_SECONDS", {
  default: 120,
  description: "After a driver is assigned, the rider may cancel free of charge for this long.",
});
export const scheduledFreeCancelCutoffMinutes = defineInt("SCHEDULED_FREE_CANCEL_CUTOFF_MINUTES", {
  default: 60,
  description: "A scheduled booking cancels free of charge until this long before its pickup.",
});

/** The Cloud Tasks queue (the function's name) that starts scheduled bookings. */
export const SCHEDULED_START_FUNCTION = "startScheduledBooking";
