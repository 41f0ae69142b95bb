// How push messages leave the building. Production: firebase-admin messaging (FCM HTTP v1). Emulator: a
// recording transport that stores what would have been sent in `_test/pushOutbox/items` (server-only), so
// integration tests can assert payloads, tokens and chunks without the internet.
import type { Messaging, MulticastMessage } from "firebase-admin/messaging";
import { db, fieldValue, messaging } from "../common/firebase";
import { isEmulator } from "../common/config";

export interface SendResult {
  success: boolean;
  /** firebase-admin error code on failure, e.g. "messaging/registration-token-not-registered". */
  errorCode?: string;
  errorMessage?: string;
}

export interface PushContext {
  userId: string;
  notificationId: string;
}

export interface PushTransport {
  /** One result per token, in the order of `message.tokens`. Throws when the whole call failed. */
  send(message: MulticastMessage, context: PushContext): Promise<SendResult[]>;
}

export class FcmTransport implements PushTransport {
  constructor(private readonly client: () => Messaging = messaging) {}

  async send(message: MulticastMessage): Promise<SendResult[]> {
    const batch = await this.client().sendEachForMulticast(message);
    return batch.responses.map((r) =>
      r.success ? { success: true } : { success: false, errorCode: r.error?.code, errorMessage: r.error?.message },
    );
  }
}

export const PUSH_OUTBOX = "_test/pushOutbox/items";

/** Tokens starting with these prefixes fail in the recording transport, to exercise the error handling. */
const SIMULATED_FAILURES: Array<[prefix: string, code: string]> = [
  ["unregistered-", "messaging/registration-token-not-registered"],
  ["invalid-", "messaging/invalid-registration-token"],
  ["unavailable-", "messaging/server-unavailable"],
];

export class RecordingTransport implements PushTransport {
  async send(message: MulticastMessage, context: PushContext): Promise<SendResult[]> {
    const results = message.tokens.map((token): SendResult => {
      const failure = SIMULATED_FAILURES.find(([prefix]) => token.startsWith(prefix));
      return failure ? { success: false, errorCode: failure[1], errorMessage: "simulated" } : { success: true };
    });
    await db().collection(PUSH_OUTBOX).add({
      ...context,
      tokens: message.tokens,
      tokenCount: message.tokens.length,
      message: JSON.parse(JSON.stringify(message)),
      results,
      recordedAt: fieldValue().serverTimestamp(),
    });
    return results;
  }
}

export function defaultTransport(): PushTransport {
  return isEmulator() ? new RecordingTransport() : new FcmTransport();
}
