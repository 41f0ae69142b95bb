import { roundTimerSchema } from "./schema";
import { handleRoundTimer, roundStillOpen } from "./service";
import { enqueueRoundTimer } from "./tasks";

/**
 * Longest early delivery waited out in place. Cloud Tasks delivers at scheduleTime, so in production nothing
 * waits; the Cloud Tasks emulator ignores scheduleTime and delivers at once, so there the timer waits in short
 * steps, re-enqueueing itself, and no invocation stays open for long (emulator shutdown waits for them).
 */
const MAX_INLINE_WAIT_MS = 5_000;

export async function runRoundTimer(data: unknown): Promise<void> {
  const timer = roundTimerSchema.parse(data);
  const early = timer.dueAtMillis - Date.now();
  if (early > MAX_INLINE_WAIT_MS) {
    if (!(await roundStillOpen(timer))) return;
    await new Promise((resolve) => setTimeout(resolve, MAX_INLINE_WAIT_MS));
    await enqueueRoundTimer(timer, `w${Date.now()}`);
    return;
  }
  if (early > 0) await new Promise((resolve) => setTimeout(resolve, early));
  await handleRoundTimer(timer);
}
