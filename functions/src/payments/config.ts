// Settings of payments: params in functions/.env (defaults below) and the admin's tip settings document.
import { defineInt } from "firebase-functions/params";
import { intSetting, settingsDocument } from "../common/settings";
import { DEFAULT_TIP_SETTINGS, type TipSettings } from "./tipPolicy";
import { tipSettingsSchema } from "./schema";

export const tipWindowHours = defineInt("TIP_WINDOW_HOURS", {
  default: DEFAULT_TIP_SETTINGS.windowHours,
  description: "Hours after completion during which the rider may tip (paymentSettings/tips.windowHours overrides it).",
});
export const saveCardAheadHours = defineInt("SAVE_CARD_AHEAD_HOURS", {
  default: 96,
  description: "A scheduled card booking further ahead than this saves the card at booking (SetupIntent) and is authorised off-session at its dispatch lead time.",
});

/** The admin's document (console-written; invalid → defaults). */
export const TIP_SETTINGS_PATH = "paymentSettings/tips";

export const settings = {
  saveCardAheadHours: () => intSetting(saveCardAheadHours, 96),
  tips: (): Promise<TipSettings> =>
    settingsDocument<TipSettings>(TIP_SETTINGS_PATH, tipSettingsSchema, { ...DEFAULT_TIP_SETTINGS, windowHours: intSetting(tipWindowHours, DEFAULT_TIP_SETTINGS.windowHours) }),
};
