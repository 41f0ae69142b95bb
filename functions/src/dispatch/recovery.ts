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

/** What recovering a search takes, from one read of its dispatch job. */
export type SearchRecovery =
  | { kind: "on_schedule" }
  | { kind: "resume_round"; attempt: number; round: number }
  | { kind: "start_attempt" };

export async function planSearchRecovery(bookingId: string, nowMs = Date.now()): Promise<SearchRecovery> {
  const job = dispatchJobSchema.safeParse((await jobRef(bookingId).get()).data());
  if (!job.success || job.data.status !== "searching") return { kind: "start_attempt" };
  if (attemptOnSchedule(job.data, nowMs)) return { kind: "on_schedule" };
  return { kind: "resume_round", attempt: job.data.attempt, round: job.data.round };
}

/** Carries out a plan: the lost round timer's work done now, or a new attempt (both idempotent). */
export async function resumeSearch(bookingId: string, plan: SearchRecovery, nowMs = Date.now()): Promise<void> {
  if (plan.kind === "resume_round") await handleRoundTimer({ bookingId, attempt: plan.attempt, round: plan.round, dueAtMillis: nowMs });
  if (plan.kind === "start_attempt") await handleBookingWrite(bookingId, `sweep-search-${bookingId}-${nowMs}`, { status: null }, { status: "searching" });
}
