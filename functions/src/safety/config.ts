// Safety settings (params in functions/.env; read through common/settings.ts).
import { defineInt } from "firebase-functions/params";
import { intSetting } from "../common/settings";

const shareRefreshSecondsParam = defineInt("SHARE_REFRESH_SECONDS", {
  default: 10,
  description: "How often a shared trip's public view gets the driver's position (one task per shared trip, not per viewer or per position).",
});
const shareRefreshMaxMinutesParam = defineInt("SHARE_REFRESH_MAX_MINUTES", {
  default: 240,
  description: "A shared trip's position stops being refreshed this long after the assignment (the status still follows).",
});

export const shareRefreshSeconds = (): number => intSetting(shareRefreshSecondsParam, 10);
export const shareRefreshMaxMinutes = (): number => intSetting(shareRefreshMaxMinutesParam, 240);
