// Tracking settings (params in functions/.env; read through common/settings.ts).
import { defineInt } from "firebase-functions/params";
import { intSetting } from "../common/settings";

const driverStaleMinutesParam = defineInt("DRIVER_STALE_MINUTES", { default: 5, description: "An available driver with no position for this long goes offline." });
const etaRefreshSecondsParam = defineInt("ETA_REFRESH_SECONDS", { default: 30, description: "How often the rider's pickup ETA is recomputed while the driver is on the way." });

/** An available driver with no position (or status change) for this many minutes is set offline. */
export const driverStaleMinutes = (): number => intSetting(driverStaleMinutesParam, 5);

/** The rider's ETA to pickup is recomputed this often while the driver is on the way (Cloud Tasks), never per location write. */
export const etaRefreshSeconds = (): number => intSetting(etaRefreshSecondsParam, 30);
