// The one way a Firestore trigger runs the domains' reactions to a write: each document path has exactly one
// trigger (pipeline/handlers.ts), which compares before and after once and runs its steps here, in a fixed order.
//   - Isolated: every step runs even when an earlier one failed; the failures are rethrown together at the end,
//     so the event is delivered again (every trigger has retry: true).
//   - Idempotent: a step must be safe to run again (a processOnce marker, a transaction re-checking the state, or
//     a deterministic id), because a retry runs all the steps again and the ones that succeeded find nothing to do.
//   - Bounded: an event older than MAX_EVENT_AGE_MS is logged and dropped; the recovery sweep
//     (bookings/recovery.ts) moves on whatever such an event would have moved.
import * as logger from "./logger";
import { EMULATED_RETRIES, emulatorRedelivers, injectedFault, recordInvocation } from "./emulatorHooks";

/** After this, a still-failing event stops being retried (Eventarc would otherwise retry for up to 7 days). */
export const MAX_EVENT_AGE_MS = 60 * 60_000;

export interface Step<C> {
  /** Stable name: logs, fault injection and docs/functions.md use it. */
  name: string;
  /** What the step does, for the generated docs. */
  does: string;
  /** Whether this change concerns the step; a step that does not apply costs nothing. */
  applies: (change: C) => boolean;
  run: (change: C) => Promise<unknown>;
}

export interface TriggerEvent {
  /** The trigger's name, e.g. "onBookingWritten". */
  trigger: string;
  /** The document path the event is about. */
  path: string;
  id: string;
  /** RFC 3339 time the event was emitted. */
  time: string;
  /** Commit time of the write (ms), when known: the trigger log records how long the event waited for delivery. */
  writtenAtMs?: number;
}

export class StepFailures extends Error {
  constructor(readonly failures: { step: string; error: unknown }[]) {
    super(`pipeline steps failed: ${failures.map((f) => `${f.step}: ${String(f.error)}`).join("; ")}`);
  }
}

/** Runs the steps that apply to `change`, in order; returns the names of those that ran. */
export async function runPipeline<C>(event: TriggerEvent, steps: readonly Step<C>[], change: C, summary: Record<string, unknown> = {}, delivery = 1): Promise<string[]> {
  const startedAt = Date.now();
  const ageMs = startedAt - Date.parse(event.time);
  if (ageMs > MAX_EVENT_AGE_MS) {
    logger.error("trigger event too old: dropped (the recovery sweep takes over)", { trigger: event.trigger, path: event.path, eventId: event.id, ageMs });
    return [];
  }
  const ran: string[] = [];
  const stepMs: Record<string, number> = {};
  const failures: { step: string; error: unknown }[] = [];
  for (const step of steps) {
    if (!step.applies(change)) continue;
    ran.push(step.name);
    const stepStart = Date.now();
    try {
      injectedFault(step.name, event.path);
      await step.run(change);
    } catch (error) {
      failures.push({ step: step.name, error });
      logger.error("pipeline step failed (the event will be retried)", { trigger: event.trigger, path: event.path, eventId: event.id, step: step.name, error: String(error) });
    } finally {
      stepMs[step.name] = Date.now() - stepStart;
    }
  }
  recordInvocation({ trigger: event.trigger, path: event.path, eventId: event.id, startedAt, ...(event.writtenAtMs ? { lagMs: startedAt - event.writtenAtMs } : {}), delivery, steps: ran, stepMs, failed: failures.map((f) => f.step), ...summary });
  if (failures.length && emulatorRedelivers() && delivery <= EMULATED_RETRIES) {
    await new Promise((resolve) => setTimeout(resolve, 500 * delivery));
    return runPipeline(event, steps, change, summary, delivery + 1);
  }
  if (failures.length) throw new StepFailures(failures);
  return ran;
}

/** A trigger with a single step (a document path only one domain reacts to), run under the same rules. */
export function runStep(event: TriggerEvent, name: string, run: () => Promise<unknown>): Promise<string[]> {
  return runPipeline(event, [{ name, does: name, applies: () => true, run }], undefined);
}

/** Wraps a single-domain Firestore trigger's handler: the same age bound, isolation log and retry as the pipelines. */
export function retried<E extends { id: string; time: string; document: string }>(name: string, handler: (event: E) => Promise<unknown>): (event: E) => Promise<void> {
  return async (event) => {
    await runStep({ trigger: name, path: event.document, id: event.id, time: event.time }, name, () => handler(event));
  };
}
