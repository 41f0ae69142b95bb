// Tracking settings (params in functions/.env; read through common/settings.ts).
import { defineInt } from "firebase-functions/params";
import { intSetting } from "../common/settings";

const driverStaleMinutesParam = defineInt("DRIVER_STALE_MINUTES", { default: 5, description: "An available driver with no position for this long goes offline." });
const etaRefreshSecondsParam = defineInt("ETA_REFRESH_SECONDS", { default: 30, description: "How often the rider's pickup ETA is recomputed while the driver is on the way." });

const etaRefreshMaxMinutesParam = defineInt("ETA_REFRESH_MAX_MINUTES", {
  default: 60,
  description: "The ETA stops being refreshed this long after the assignment (a driver who never arrives; the emulator sets 1).",
});

/** An available driver with no position (or status change) for this many minutes is set offline. */
export const driverStaleMinutes = (): number => intSetting(driverStaleMinutesParam, 5);

/** The rider's ETA to pickup is recomputed this often while the driver is on the way (Cloud Tasks), never per location write. */
export const etaRefreshSeconds = (): number => intSetting(etaRefreshSecondsParam, 30);

/** How long after the assignment the ETA refresh chain stops (the rider's app still follows the live position). */
export const etaRefreshMaxMinutes = (): number => intSetting(etaRefreshMaxMinutesParam, 60);
