import { createHash } from "node:crypto";

export type KeyChannel = "inbox" | "push" | "email" | "sms";

/** Document id of the idempotency marker for one (cause key, recipient, channel). */
export function channelKeyId(key: string, userId: string, channel: KeyChannel): string {
  return createHash("sha256").update(`${key}\u0000${userId}\u0000${channel}`).digest("hex");
}

/** Id of the inbox entry (and of the mail/messages documents) for one (cause key, recipient). */
export function notificationId(key: string, userId: string): string {
  return createHash("sha256").update(`${key}\u0000${userId}`).digest("hex").slice(0, 24);
}
