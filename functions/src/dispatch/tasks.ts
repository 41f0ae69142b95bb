// The round timer: one Cloud Task per round, delivered when the round's offers expire.
import { enqueueTask } from "../common/tasks";
import type { RoundTimer } from "./schema";

export const ROUND_TIMER_FUNCTION = "dispatchRoundTimer";

export async function enqueueRoundTimer(timer: RoundTimer, retry = ""): Promise<void> {
  const id = `${timer.bookingId}-a${timer.attempt}-r${timer.round}${retry ? `-${retry}` : ""}`;
  await enqueueTask(ROUND_TIMER_FUNCTION, { ...timer }, { id, scheduleTime: new Date(timer.dueAtMillis), dispatchDeadlineSeconds: 300 });
}
