import { onDocumentCreated } from "firebase-functions/v2/firestore";
import { onCall } from "firebase-functions/v2/https";
import { onSchedule } from "firebase-functions/v2/scheduler";
import { onObjectFinalized } from "firebase-functions/v2/storage";
import { onTaskDispatched } from "firebase-functions/v2/tasks";
import { retried } from "../common/pipeline";

export const chatOnMessageCreated = onDocumentCreated({ document: "chats/{chatId}/messages/{messageId}", retry: true }, retried("chatOnMessageCreated", async (event) => {
  const { handleNewMessage } = await import("./service");
  await handleNewMessage(event.params.chatId, event.params.messageId, event.id);
}));

/** Callable joinChat({chatId}): support staff join a chat. */
export const joinChat = onCall(async (request) => {
  const { joinChat: join } = await import("./service");
  return join(request.auth?.uid, request.auth?.token.role, request.data);
});

export const chatHousekeeping = onSchedule({ schedule: "every 15 minutes", timeZone: "Etc/UTC" }, async () => {
  const { chatHousekeeping: run } = await import("./service");
  await run();
});

export const chatOnUploadFinalized = onObjectFinalized(async (event) => {
  const { verifyChatUpload } = await import("./service");
  await verifyChatUpload({ name: event.data.name, bucket: event.data.bucket, size: Number(event.data.size), contentType: event.data.contentType }, false);
});

export const verifyChatUploadTask = onTaskDispatched<{ name: string; bucket: string; size: number; contentType: string | null }>(
  { retryConfig: { maxAttempts: 3, minBackoffSeconds: 30 } },
  async (request) => {
    const { verifyChatUpload } = await import("./service");
    await verifyChatUpload({ ...request.data, contentType: request.data.contentType ?? undefined }, true);
  },
);
