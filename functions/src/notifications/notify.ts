// The one entry point every domain uses to tell a user something. Owned by the notifications domain.
// `key` makes it idempotent: the same key (cause) never notifies the same user twice on the same channel.
import type { NotificationCategory } from "../common/schema";

export interface NotificationEvent {
  /** Template name, e.g. "driver_assigned", "chat_message", "receipt" (see templates.ts). */
  template: string;
  category: NotificationCategory;
  /** Values for the template and the `data` payload of push messages (strings only). */
  data: Record<string, string>;
  /** Transactional messages (receipts, payment failures) cannot be switched off entirely. */
  transactional?: boolean;
  /**
   * Something the user is waiting for right now (driver arrived, new offer): quiet hours do not hold it back
   * and iOS shows it as time-sensitive. Defaults per template (see docs/notifications.md).
   */
  timeSensitive?: boolean;
  /**
   * An alarm (SOS to admins): push and SMS now, whatever the recipient's channel preferences and quiet hours
   * (docs/safety.md). Only the server's own alerts set it.
   */
  emergency?: boolean;
}

/**
 * Writes the in-app inbox entry and sends push / e-mail / SMS according to the user's preferences and quiet
 * hours. Safe to call again with the same key (a retried trigger): nothing is sent twice.
 */
export async function notify(userId: string, event: NotificationEvent, key: string): Promise<void> {
  const { deliver } = await import("./service");
  await deliver(userId, event, key);
}
