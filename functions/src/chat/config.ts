import { defineInt } from "firebase-functions/params";
import { intSetting } from "../common/settings";

/** Minutes after the trip ends (completed or cancelled) during which the chat still accepts messages. */
export const chatReadOnlyAfterMinutes = defineInt("CHAT_READONLY_AFTER_MINUTES", { default: 60 });
/** Days after a chat closes before its messages are deleted and the chat anonymised. */
export const chatRetentionDays = defineInt("CHAT_RETENTION_DAYS", { default: 90 });
/** Seconds an uploaded chat file may wait for its message before it is deleted as an orphan. */
export const chatOrphanGraceSeconds = defineInt("CHAT_ORPHAN_GRACE_SECONDS", { default: 600 });
/** A recipient gets at most one notification per chat in this many seconds (unless they read the chat since). */
export const chatNotifyCoalesceSeconds = defineInt("CHAT_NOTIFY_COALESCE_SECONDS", { default: 180 });

/** The chat's settings, read the one way (common/settings.ts). */
export const chatSettings = {
  readOnlyAfterMinutes: () => intSetting(chatReadOnlyAfterMinutes, 60),
  retentionDays: () => intSetting(chatRetentionDays, 90),
  orphanGraceSeconds: () => intSetting(chatOrphanGraceSeconds, 600),
  notifyCoalesceSeconds: () => intSetting(chatNotifyCoalesceSeconds, 180),
};
