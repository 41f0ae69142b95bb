// FCM multicast messages for one notification: the platform options and the ≤500-token chunks. Pure code
// (type-only Firebase imports) so the payload is unit-tested without a network.
import type { MulticastMessage } from "firebase-admin/messaging";
import type { NotificationCategory } from "../common/schema";

/** FCM's limit for one sendEachForMulticast call. */
export const FCM_MULTICAST_LIMIT = 500;

/** Error codes after which a token will never work again: the device is removed from the registry. */
export const DEAD_TOKEN_CODES: ReadonlySet<string> = new Set([
  "messaging/registration-token-not-registered",
  "messaging/invalid-registration-token",
]);

export interface PushContent {
  title: string;
  body: string;
  category: NotificationCategory;
  /** The inbox entry id, so a tap opens it. */
  notificationId: string;
  template: string;
  /** Trip updates the user is waiting for break through Focus on iOS and use high priority on Android. */
  timeSensitive: boolean;
  data: Record<string, string>;
}

export function chunk<T>(items: readonly T[], size = FCM_MULTICAST_LIMIT): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Android notification channels the apps create, one per category. */
export const androidChannelId = (category: NotificationCategory): string => `fleetfire_${category}`;

export function buildMulticast(tokens: string[], content: PushContent): MulticastMessage {
  const urgent = content.timeSensitive || content.category === "trip";
  return {
    tokens,
    notification: { title: content.title, body: content.body },
    data: { ...content.data, category: content.category, template: content.template, notificationId: content.notificationId },
    android: {
      priority: urgent || content.category === "chat" || content.category === "payment" ? "high" : "normal",
      notification: { channelId: androidChannelId(content.category), tag: content.notificationId },
    },
    apns: {
      headers: { "apns-priority": urgent ? "10" : "5", "apns-push-type": "alert" },
      payload: {
        aps: {
          sound: "default",
          "thread-id": content.category,
          "interruption-level": urgent ? "time-sensitive" : "active",
        },
      },
    },
    webpush: { headers: { Urgency: urgent ? "high" : "normal" } },
  };
}

/** All chunks of at most 500 tokens for one notification. */
export function buildMulticasts(tokens: string[], content: PushContent): MulticastMessage[] {
  return chunk([...new Set(tokens)]).map((part) => buildMulticast(part, content));
}
