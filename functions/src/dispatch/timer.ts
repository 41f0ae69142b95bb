import { roundTimerSchema } from "./schema";
import { handleRoundTimer, roundStillOpen } from "./service";
import { TaskTooEarly } from "../common/tasks";

/**
 * Cloud Tasks delivers at scheduleTime, so in production a timer is never early. The Cloud Tasks emulator ignores
 * scheduleTime and delivers at once: an early timer then fails fast (TaskTooEarly) and the queue delivers it again
 * after its backoff (retryConfig in handlers.ts), so no invocation sleeps while holding one of the queue's slots.
 */
const EARLY_TOLERANCE_MS = 1_000;

export async function runRoundTimer(data: unknown): Promise<void> {
  const timer = roundTimerSchema.parse(data);
  const early = timer.dueAtMillis - Date.now();
  if (early > EARLY_TOLERANCE_MS) {
    if (!(await roundStillOpen(timer))) return;
    throw new TaskTooEarly(`round timer ${timer.bookingId} a${timer.attempt} r${timer.round} is ${Math.round(early / 1000)} s early`);
  }
  if (early > 0) await new Promise((resolve) => setTimeout(resolve, early));
  await handleRoundTimer(timer);
}
