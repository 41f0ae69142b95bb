// Sends one notification to all of a user's devices and prunes tokens FCM says are dead. Failures other than
// dead tokens are logged and not retried: the inbox entry already holds the message.
import { db } from "../common/firebase";
import * as logger from "../common/logger";
import { buildMulticasts, DEAD_TOKEN_CODES, type PushContent } from "./pushPayload";
import { deviceSchema } from "./schema";
import type { PushTransport } from "./transport";

export interface PushSummary {
  tokens: number;
  sent: number;
  failed: number;
  removedDevices: number;
}

export async function sendPushToUser(userId: string, content: PushContent, transport: PushTransport): Promise<PushSummary> {
  const devices = await db().collection(`users/${userId}/devices`).get();
  const refsByToken = new Map<string, FirebaseFirestore.QueryDocumentSnapshot[]>();
  for (const doc of devices.docs) {
    const parsed = deviceSchema.safeParse(doc.data());
    if (!parsed.success) continue;
    refsByToken.set(parsed.data.fcmToken, [...(refsByToken.get(parsed.data.fcmToken) ?? []), doc]);
  }
  const summary: PushSummary = { tokens: refsByToken.size, sent: 0, failed: 0, removedDevices: 0 };
  if (refsByToken.size === 0) return summary;

  const dead: FirebaseFirestore.QueryDocumentSnapshot[] = [];
  for (const message of buildMulticasts([...refsByToken.keys()], content)) {
    let results;
    try {
      results = await transport.send(message, { userId, notificationId: content.notificationId });
    } catch (error) {
      summary.failed += message.tokens.length;
      logger.error("push: multicast failed", { userId, notificationId: content.notificationId, error: String(error) });
      continue;
    }
    results.forEach((result, i) => {
      const token = message.tokens[i];
      if (result.success || token === undefined) {
        if (result.success) summary.sent += 1;
        return;
      }
      summary.failed += 1;
      if (result.errorCode && DEAD_TOKEN_CODES.has(result.errorCode)) dead.push(...(refsByToken.get(token) ?? []));
      else logger.warn("push: token failed", { userId, notificationId: content.notificationId, code: result.errorCode, message: result.errorMessage });
    });
  }
  if (dead.length) {
    // Only if unchanged since read: an app that just re-registered the device with a fresh token keeps it.
    const deletions = await Promise.allSettled(dead.map((doc) => doc.ref.delete({ lastUpdateTime: doc.updateTime })));
    summary.removedDevices = deletions.filter((d) => d.status === "fulfilled").length;
    logger.info("push: removed dead tokens", { userId, count: summary.removedDevices });
  }
  return summary;
}
