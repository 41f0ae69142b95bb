import type { DocumentData, Transaction } from "firebase-admin/firestore";
import { HttpsError } from "firebase-functions/v2/https";
import { adminApp, db, fieldValue, storage, timestamp } from "../common/firebase";
import { processOnce } from "../common/idempotency";
import * as logger from "../common/logger";
import { validate } from "../common/validation";
import { notify } from "../notifications/notify";
import { chatOrphanGraceSeconds, chatReadOnlyAfterMinutes, chatRetentionDays } from "./config";
import { CHAT_LIMITS, chatMessages, chats, joinChatInputSchema, type Chat, type JoinChatOutput } from "./schema";

const ACTIVE_TRIP = new Set(["accepted", "arrived", "in_progress"]);
const TRIP_OVER = new Set(["completed", "cancelled", "no_drivers", "payment_failed"]);

interface BookingSide {
  riderId?: string;
  driverId?: string | null;
  status?: string;
}

/**
 * Keeps a trip's chat in step with its booking: opened when a driver is assigned (participants rider and
 * driver), handed over to the new driver after a re-dispatch, and set to close some time after the trip ends.
 * State-based and transactional, so redelivered or reordered events converge on the same chat.
 */
export async function syncChatWithBooking(bookingId: string, after: BookingSide | undefined): Promise<void> {
  if (!after?.riderId) return;
  const chatRef = chats.docRef(bookingId);
  await db().runTransaction(async (tx) => {
    const snap = await tx.get(chatRef);
    const chat = snap.exists ? snap.data() : undefined;
    const driverId = after.driverId ?? null;
    if (ACTIVE_TRIP.has(after.status ?? "") && driverId) {
      if (!chat) {
        tx.create(chatRef, {
          participants: [after.riderId!, driverId],
          bookingId,
          riderId: after.riderId!,
          driverId,
          lastMessage: null,
          unread: { [after.riderId!]: 0, [driverId]: 0 },
          createdAt: fieldValue().serverTimestamp() as never,
          closesAt: null,
          closedAt: null,
        });
      } else if (chat.driverId !== driverId && !chat.closedAt) {
        // A re-dispatch assigned another driver: the previous driver leaves; admins who joined stay.
        tx.update(chatRef, {
          participants: [...chat.participants.filter((uid) => uid !== chat.driverId), driverId],
          driverId,
          [`unread.${driverId}`]: 0,
        });
      }
      return;
    }
    if (chat && TRIP_OVER.has(after.status ?? "") && !chat.closesAt && !chat.closedAt) {
      const closesAt = timestamp().fromMillis(Date.now() + chatReadOnlyAfterMinutes.value() * 60_000);
      tx.update(chatRef, { closesAt });
    }
  });
}

function previewOf(text: string | undefined, hasAttachment: boolean): string {
  if (text) return text.length > CHAT_LIMITS.previewLength ? `${text.slice(0, CHAT_LIMITS.previewLength - 1)}…` : text;
  return hasAttachment ? "📎 Attachment" : "";
}

/**
 * On a new message: updates the chat's lastMessage (only ever forwards in time) and each other participant's
 * unread count, once per event; then notifies the other participants (notify is idempotent per key).
 */
export async function handleNewMessage(chatId: string, messageId: string, eventId: string): Promise<void> {
  const chatRef = chats.docRef(chatId);
  const messageRef = chatMessages.docRef(chatId, messageId);
  const outcome = await processOnce("chatMessage", eventId, async (tx: Transaction) => {
    const [chatSnap, messageSnap] = await Promise.all([tx.get(chatRef), tx.get(messageRef)]);
    const chat = chatSnap.data();
    const message = messageSnap.data();
    if (!chat || !message) return { recipients: [] as string[], preview: "" };
    const recipients = chat.participants.filter((uid) => uid !== message.senderId);
    const preview = previewOf(message.text, Boolean(message.attachment));
    const update: DocumentData = {};
    for (const uid of recipients) update[`unread.${uid}`] = fieldValue().increment(1);
    if (!chat.lastMessage || chat.lastMessage.createdAt.toMillis() <= message.createdAt.toMillis()) {
      update.lastMessage = { messageId, senderId: message.senderId, preview, hasAttachment: Boolean(message.attachment), createdAt: message.createdAt };
    }
    tx.update(chatRef, update);
    return { recipients, preview, senderId: message.senderId };
  });
  if (!outcome.processed) return;
  const { recipients, preview, senderId } = outcome.result;
  const senderName = senderId ? ((await db().doc(`users/${senderId}`).get()).get("displayName") as string | undefined) : undefined;
  await Promise.all(
    recipients.map((uid) =>
      notify(uid, { template: "chat_message", category: "chat", data: { chatId, messageId, senderName: senderName ?? "", preview } }, `chat:${chatId}:${messageId}`),
    ),
  );
}

/** Callable joinChat({chatId}): an admin joins a chat for support. */
export async function joinChat(uid: string | undefined, role: unknown, data: unknown): Promise<JoinChatOutput> {
  const { chatId } = validate(joinChatInputSchema, data);
  if (!uid) throw new HttpsError("unauthenticated", "Sign in to join a chat.");
  if (role !== "admin") throw new HttpsError("permission-denied", "Only support staff (admins) can join a chat.");
  const chatRef = chats.docRef(chatId);
  return db().runTransaction(async (tx) => {
    const chat = (await tx.get(chatRef)).data();
    if (!chat) throw new HttpsError("not-found", `Chat ${chatId} does not exist.`);
    if (chat.closedAt) throw new HttpsError("failed-precondition", "This chat is closed.");
    if (chat.participants.includes(uid)) return { chatId, participants: chat.participants };
    const participants = [...chat.participants, uid];
    tx.update(chatRef, { participants, [`unread.${uid}`]: 0 });
    return { chatId, participants };
  });
}

/** Closes chats whose read-only time has come, and deletes the content of chats past retention. */
export async function chatHousekeeping(now = new Date()): Promise<{ closed: number; purged: number }> {
  const nowTs = timestamp().fromDate(now);
  const due = await chats.collectionRef().where("closedAt", "==", null).where("closesAt", "<=", nowTs).limit(500).get();
  const batch = db().batch();
  due.docs.forEach((d) => batch.update(d.ref, { closedAt: nowTs }));
  if (!due.empty) await batch.commit();

  const cutoff = timestamp().fromMillis(now.getTime() - chatRetentionDays.value() * 86_400_000);
  const expired = await chats.collectionRef().where("closedAt", "<=", cutoff).limit(100).get();
  let purged = 0;
  for (const chatDoc of expired.docs) {
    if (chatDoc.data().anonymisedAt) continue;
    await purgeChat(chatDoc.id);
    purged += 1;
  }
  return { closed: due.size, purged };
}

/** Retention: the messages and files go; a tombstone without participants or content remains for audit. */
export async function purgeChat(chatId: string): Promise<void> {
  await db().recursiveDelete(db().collection(`chats/${chatId}/messages`));
  await storage().bucket().deleteFiles({ prefix: `chats/${chatId}/` });
  await chats.docRef(chatId).update({ participants: [], unread: {}, lastMessage: null, lastReadAt: {}, anonymisedAt: fieldValue().serverTimestamp() });
  logger.info("chat purged after retention", { chatId });
}

const UPLOAD_PATH = /^chats\/([^/]+)\/([^/]+)\/([^/]+)$/;

/**
 * An upload is kept only if its message names it (same path, size and content type). A file without a message
 * yet gets a grace period (the app uploads first, then writes the message); `final` is the check after it.
 */
export async function verifyChatUpload(object: { name: string; bucket: string; size: number; contentType?: string }, final: boolean): Promise<"kept" | "deleted" | "deferred" | "ignored"> {
  const match = UPLOAD_PATH.exec(object.name);
  if (!match) return "ignored";
  const [, chatId, messageId] = match as unknown as [string, string, string];
  const message = (await chatMessages.docRef(chatId, messageId).get()).data();
  const matches =
    message?.attachment &&
    message.attachment.path === object.name &&
    message.attachment.size === object.size &&
    message.attachment.contentType === object.contentType;
  if (matches) return "kept";
  if (!message && !final) {
    const { getFunctions } = await import("firebase-admin/functions");
    await getFunctions(adminApp())
      .taskQueue("locations/europe-west1/functions/verifyChatUploadTask")
      .enqueue({ name: object.name, bucket: object.bucket, size: object.size, contentType: object.contentType ?? null }, { scheduleDelaySeconds: chatOrphanGraceSeconds.value() });
    return "deferred";
  }
  await storage().bucket(object.bucket).file(object.name).delete({ ignoreNotFound: true });
  logger.warn("deleted a chat upload that no message references", { name: object.name, chatId, messageId });
  return "deleted";
}

export type { Chat };
