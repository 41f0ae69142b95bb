// Tracking settings. Plain environment variables with defaults (functions/.env* files are loaded into the
// environment of every function), not firebase-functions params: an undeclared param prompts in the emulator.

function positiveInt(name: string, fallback: number): number {
  const value = Number.parseInt(process.env[name] ?? "", 10);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** An available driver with no position (or status change) for this many minutes is set offline. */
export const driverStaleMinutes = (): number => positiveInt("DRIVER_STALE_MINUTES", 5);

/** The rider's ETA to pickup is recomputed this often while the driver is on the way (Cloud Tasks), never per location write. */
export const etaRefreshSeconds = (): number => positiveInt("ETA_REFRESH_SECONDS", 30);
