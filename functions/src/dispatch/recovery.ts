// Recovery of a search the pipeline lost track of (called by the recovery sweep): a booking still `searching`
// long past the search's budget. A running attempt whose round timer was lost gets its timer's work done now
// (expire the round, then the next round or no_drivers); a booking with no running attempt gets a new one.
import { handleBookingWrite, handleRoundTimer } from "./service";
import { jobRef } from "./refs";
import { dispatchJobSchema } from "./schema";

export async function resumeSearch(bookingId: string): Promise<void> {
  const job = dispatchJobSchema.safeParse((await jobRef(bookingId).get()).data());
  if (job.success && job.data.status === "searching") {
    const { attempt, round } = job.data;
    await handleRoundTimer({ bookingId, attempt, round, dueAtMillis: Date.now() });
    return;
  }
  await handleBookingWrite(bookingId, `sweep-search-${bookingId}-${Date.now()}`, { status: null }, { status: "searching" });
}
