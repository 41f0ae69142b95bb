// Settings of the booking lifecycle (params in functions/.env; defaults below).
import { defineInt } from "firebase-functions/params";
import { intSetting } from "../common/settings";

const DEFAULTS = { leadMinutes: 15, graceSeconds: 120, cutoffMinutes: 60, bookingsPerWindow: 10 };

/** The window of the per-rider booking limit (BOOKING_RATE_LIMIT_MAX bookings per window). */
export const BOOKING_RATE_WINDOW_MS = 10 * 60_000;

export const scheduledDispatchLeadMinutes = defineInt("SCHEDULED_DISPATCH_LEAD_MINUTES", {
  default: DEFAULTS.leadMinutes,
  description: "How long before a scheduled pickup its dispatch starts.",
});
export const cancellationGraceSeconds = defineInt("CANCELLATION_GRACE_SECONDS", {
  default: DEFAULTS.graceSeconds,
  description: "After a driver is assigned, the rider may cancel free of charge for this long.",
});
export const scheduledFreeCancelCutoffMinutes = defineInt("SCHEDULED_FREE_CANCEL_CUTOFF_MINUTES", {
  default: DEFAULTS.cutoffMinutes,
  description: "A scheduled booking cancels free of charge until this long before its pickup.",
});

export const bookingRateLimitMax = defineInt("BOOKING_RATE_LIMIT_MAX", {
  default: DEFAULTS.bookingsPerWindow,
  description: "Bookings a rider may create per 10 minutes; the server cancels the extra ones (rate_limited) before any paid call.",
});

/** The Cloud Tasks queue (the function's name) that starts scheduled bookings. */
export const SCHEDULED_START_FUNCTION = "startScheduledBooking";

export const settings = {
  leadMinutes: () => intSetting(scheduledDispatchLeadMinutes, DEFAULTS.leadMinutes),
  graceSeconds: () => intSetting(cancellationGraceSeconds, DEFAULTS.graceSeconds),
  cutoffMinutes: () => intSetting(scheduledFreeCancelCutoffMinutes, DEFAULTS.cutoffMinutes),
  bookingRateLimit: () => ({ max: intSetting(bookingRateLimitMax, DEFAULTS.bookingsPerWindow), windowMs: BOOKING_RATE_WINDOW_MS }),
};
