// The one entry point every domain uses to tell a user something. Owned by the notifications domain.
// `key` makes it idempotent: the same key (cause event id + recipient) never notifies twice.
import type { NotificationCategory } from "../common/schema";

export interface NotificationEvent {
  /** Template name, e.g. "driver_assigned", "chat_message", "receipt". */
  template: string;
  category: NotificationCategory;
  /** Values for the template and the `data` payload of push messages (strings only). */
  data: Record<string, string>;
  /** Transactional messages (receipts, payment failures) cannot be switched off entirely. */
  transactional?: boolean;
}

export async function notify(userId: string, event: NotificationEvent, key: string): Promise<void> {
  // Placeholder until the notifications domain lands: it records nothing.
  void userId;
  void event;
  void key;
}
