// The round timer: one Cloud Task per round, delivered when the round's offers expire.
import type { App } from "firebase-admin/app";
import { adminApp } from "../common/firebase";
import { REGION } from "../common/config";
import * as logger from "../common/logger";
import type { RoundTimer } from "./schema";

export const ROUND_TIMER_FUNCTION = "dispatchRoundTimer";

/**
 * Against the Cloud Tasks emulator the Admin SDK would first ask the metadata server for a service account,
 * which hangs off Google Cloud; a named app with an explicit (emulated) account skips that lookup.
 */
function tasksApp(): App {
  if (!process.env.CLOUD_TASKS_EMULATOR_HOST) return adminApp();
  const { getApps, initializeApp } = require("firebase-admin/app") as typeof import("firebase-admin/app");
  return (
    getApps().find((app) => app.name === "dispatch-tasks") ??
    initializeApp({ ...adminApp().options, serviceAccountId: "emulated-service-acct@email.com" }, "dispatch-tasks")
  );
}

export async function enqueueRoundTimer(timer: RoundTimer, retry = ""): Promise<void> {
  const { getFunctions } = await import("firebase-admin/functions");
  const queue = getFunctions(tasksApp()).taskQueue(`locations/${REGION}/functions/${ROUND_TIMER_FUNCTION}`);
  const id = `${timer.bookingId}-a${timer.attempt}-r${timer.round}${retry ? `-${retry}` : ""}`.replace(/[^A-Za-z0-9_-]/g, "_");
  try {
    await queue.enqueue(timer, { id, scheduleTime: new Date(timer.dueAtMillis), dispatchDeadlineSeconds: 300 });
  } catch (error) {
    // The same round enqueued twice (a replayed step) is fine: Cloud Tasks keeps the first.
    if (/already/i.test(String((error as { code?: string }).code ?? "") + String((error as Error).message))) {
      logger.info("round timer already enqueued", { id });
      return;
    }
    throw error;
  }
}
