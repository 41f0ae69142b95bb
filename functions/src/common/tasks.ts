// The one way to enqueue a Cloud Task. Every task is named (its id is derived from what it is about), so an
// enqueue repeated by a retried step is refused by Cloud Tasks and reported here as `false`, never as an error.
import type { App } from "firebase-admin/app";
import { HttpsError } from "firebase-functions/v2/https";
import { REGION } from "./config";
import { adminApp } from "./firebase";
import * as logger from "./logger";

/**
 * Thrown by a task that arrived before its scheduleTime (only the Cloud Tasks emulator delivers early): the queue
 * retries it after its backoff, which is how an emulated task waits without holding a slot.
 */
export class TaskTooEarly extends HttpsError {
  constructor(message: string) {
    // An HttpsError is answered (503) by the task wrapper itself: no "unhandled error", the worker is kept.
    super("unavailable", message);
  }
}

export interface TaskOptions {
  /** Unique per intended run: a second enqueue with the same id is a no-op. */
  id: string;
  scheduleTime?: Date;
  scheduleDelaySeconds?: number;
  dispatchDeadlineSeconds?: number;
}

/**
 * Against the Cloud Tasks emulator the Admin SDK would first ask the metadata server for a service account,
 * which hangs off Google Cloud; a named app with an explicit (emulated) account skips that lookup.
 */
function tasksApp(): App {
  if (!process.env.CLOUD_TASKS_EMULATOR_HOST) return adminApp();
  const { getApps, initializeApp } = require("firebase-admin/app") as typeof import("firebase-admin/app");
  return getApps().find((app) => app.name === "tasks") ?? initializeApp({ ...adminApp().options, serviceAccountId: "emulated-service-acct@email.com" }, "tasks");
}

/** Enqueues `data` for the task function `functionName`; false when a task with this id already exists. */
export async function enqueueTask(functionName: string, data: Record<string, unknown>, options: TaskOptions): Promise<boolean> {
  const { getFunctions } = await import("firebase-admin/functions");
  const queue = getFunctions(tasksApp()).taskQueue(`locations/${REGION}/functions/${functionName}`);
  const id = options.id.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 500);
  try {
    const when = options.scheduleTime ? { scheduleTime: options.scheduleTime } : options.scheduleDelaySeconds !== undefined ? { scheduleDelaySeconds: options.scheduleDelaySeconds } : {};
    await queue.enqueue(data, { ...when, id, ...(options.dispatchDeadlineSeconds ? { dispatchDeadlineSeconds: options.dispatchDeadlineSeconds } : {}) });
    return true;
  } catch (error) {
    const code = String((error as { code?: string }).code ?? "");
    if (code.endsWith("task-already-exists") || /already/i.test(code + String((error as Error).message))) {
      logger.info("task already enqueued", { functionName, id });
      return false;
    }
    throw error;
  }
}
