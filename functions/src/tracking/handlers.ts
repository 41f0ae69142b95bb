// Tracking triggers. Deliberately absent: any trigger on driverLocations/{uid} — location writes run no
// function at all (test/integration/tracking.test.ts checks the emulator's registry for it).
import { onSchedule } from "firebase-functions/v2/scheduler";
import { onTaskDispatched } from "firebase-functions/v2/tasks";

/** Every minute: available drivers with a stale position go offline (busy drivers never do). */
export const sweepStaleDrivers = onSchedule({ schedule: "every 1 minutes", retryCount: 0 }, async () => {
  const [{ setStaleDriversOffline }, { driverStaleMinutes }] = await Promise.all([import("./presence"), import("./config")]);
  await setStaleDriversOffline(driverStaleMinutes());
});

/** Periodic ETA refresh of an accepted booking (queued by etaTasks.scheduleEtaRefresh). */
export const refreshEtaTask = onTaskDispatched({ retryConfig: { maxAttempts: 20, minBackoffSeconds: 5, maxBackoffSeconds: 5, maxDoublings: 0 }, rateLimits: { maxConcurrentDispatches: 50 } }, async (request) => {
  const { runEtaRefreshTask } = await import("./etaTasks");
  await runEtaRefreshTask(request.data);
});
