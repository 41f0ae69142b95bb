// Recovery of a search the pipeline lost track of (called by the recovery sweep): a booking still `searching`
// long past the search's budget. A running attempt whose round timer was lost gets its timer's work done now
// (expire the round, then the next round or no_drivers); a booking with no running attempt gets a new one.
import { handleBookingWrite, handleRoundTimer } from "./service";
import { jobRef } from "./refs";
import { dispatchJobSchema, type DispatchJob } from "./schema";

/** A round timer may run this late (queue delays) before the sweep takes its round for lost. */
export const ROUND_TIMER_GRACE_MS = 60_000;

/**
 * Whether a running attempt is still on schedule: its current round's timer is not overdue (or its first round
 * was queued moments ago). Such a search is not stranded, even when the booking has been `searching` for long
 * (e.g. an attempt the sweep itself restarted), so the sweep leaves it alone.
 */
export function attemptOnSchedule(job: Pick<DispatchJob, "round" | "roundExpiresAt" | "startedAt">, nowMs: number): boolean {
  const due = job.round === 0 || !job.roundExpiresAt ? job.startedAt.toMillis() : job.roundExpiresAt.toMillis();
  return due + ROUND_TIMER_GRACE_MS > nowMs;
}

/** True when the booking's running attempt is on schedule (the sweep then leaves it alone). */
export async function searchOnSchedule(bookingId: string, nowMs = Date.now()): Promise<boolean> {
  const job = dispatchJobSchema.safeParse((await jobRef(bookingId).get()).data());
  return job.success && job.data.status === "searching" && attemptOnSchedule(job.data, nowMs);
}

export async function resumeSearch(bookingId: string, nowMs = Date.now()): Promise<"on_schedule" | "round_resumed" | "attempt_started"> {
  const job = dispatchJobSchema.safeParse((await jobRef(bookingId).get()).data());
  if (job.success && job.data.status === "searching") {
    if (attemptOnSchedule(job.data, nowMs)) return "on_schedule";
    const { attempt, round } = job.data;
    await handleRoundTimer({ bookingId, attempt, round, dueAtMillis: nowMs });
    return "round_resumed";
  }
  await handleBookingWrite(bookingId, `sweep-search-${bookingId}-${nowMs}`, { status: null }, { status: "searching" });
  return "attempt_started";
}
