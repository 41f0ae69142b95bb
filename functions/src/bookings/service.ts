// Entry points of the booking lifecycle, loaded by handlers.ts on first use.
export { confirmBooking } from "./confirm";
export { handleStatusChange } from "./lifecycle";
export { startScheduledBooking } from "./scheduling";
