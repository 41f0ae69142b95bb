import type { DocumentData, Transaction } from "firebase-admin/firestore";
import { HttpsError } from "firebase-functions/v2/https";
import { db, fieldValue, storage, timestamp } from "../common/firebase";
import { processOnce } from "../common/idempotency";
import { enqueueTask } from "../common/tasks";
import * as logger from "../common/logger";
import { validate } from "../common/validation";
import { notify } from "../notifications/notify";
import { chatSettings } from "./config";
import { countSend, planChatSync, shouldNotify, type BookingState } from "./policy";
import { CHAT_LIMITS, chatMessages, chats, joinChatInputSchema, rejectedChatMessages, type Chat, type JoinChatOutput } from "./schema";

/**
 * Keeps a trip's chat in step with its booking (see policy.ts `planChatSync`): opened when a driver is
 * assigned, handed to the new driver after a re-dispatch (with no closing time), the driver taken out as soon
 * as they cancel or the booking is cancelled, and set to close some time after the trip ends. Reads the
 * booking as it is now inside the transaction, so redelivered or reordered events converge on the same chat.
 */
export async function syncChatWithBooking(bookingId: string): Promise<void> {
  const chatRef = chats.docRef(bookingId);
  const bookingRef = db().doc(`bookings/${bookingId}`);
  await db().runTransaction(async (tx) => {
    const [bookingSnap, chatSnap] = await Promise.all([tx.get(bookingRef), tx.get(chatRef)]);
    const booking = bookingSnap.data() as BookingState | undefined;
    if (!booking) return;
    const chat = chatSnap.exists ? chatSnap.data() : undefined;
    const plan = planChatSync(
      booking,
      chat && { participants: chat.participants, driverId: chat.driverId ?? null, hasClosesAt: Boolean(chat.closesAt), closed: Boolean(chat.closedAt) },
    );
    if (plan.kind === "open") {
      tx.create(chatRef, {
        participants: [plan.riderId, plan.driverId],
        bookingId,
        riderId: plan.riderId,
        driverId: plan.driverId,
        lastMessage: null,
        unread: { [plan.riderId]: 0, [plan.driverId]: 0 },
        createdAt: fieldValue().serverTimestamp() as never,
        closesAt: null,
        closedAt: null,
      });
    } else if (plan.kind === "update") {
      const update: DocumentData = { participants: plan.participants, driverId: plan.driverId };
      if (plan.joined) update[`unread.${plan.joined}`] = 0;
      if (plan.clearClosesAt) update.closesAt = null;
      if (plan.scheduleClose) update.closesAt = timestamp().fromMillis(Date.now() + chatSettings.readOnlyAfterMinutes() * 60_000);
      tx.update(chatRef, update);
    }
  });
}

function previewOf(text: string | undefined, hasAttachment: boolean): string {
  if (text) return text.length > CHAT_LIMITS.previewLength ? `${text.slice(0, CHAT_LIMITS.previewLength - 1)}…` : text;
  return hasAttachment ? "📎 Attachment" : "";
}

/**
 * On a new message, once per event: counts it against the sender's rate limit (a message beyond it is moved
 * to rejectedMessages, its file deleted, nobody notified), then moves lastMessage forward (never backwards: a
 * message delivered late does not replace a newer one), raises each other participant's unread count and
 * notifies those not notified of this chat within the coalescing window (notify is idempotent per key).
 */
export async function handleNewMessage(chatId: string, messageId: string, eventId: string): Promise<void> {
  const chatRef = chats.docRef(chatId);
  const messageRef = chatMessages.docRef(chatId, messageId);
  const coalesceMs = chatSettings.notifyCoalesceSeconds() * 1000;
  const outcome = await processOnce("chatMessage", eventId, async (tx: Transaction) => {
    const [chatSnap, messageSnap] = await Promise.all([tx.get(chatRef), tx.get(messageRef)]);
    const chat = chatSnap.data();
    const message = messageSnap.data();
    if (!chat || !message) return { kind: "ignored" as const };
    const atMs = message.createdAt.toMillis();
    const senderId = message.senderId;
    const update: DocumentData = {};
    // senderId is only used as a map key when it is a participant (an allow-list, not the client's word).
    if (chat.participants.includes(senderId)) {
      const stored = chat.sendWindow?.[senderId];
      const counted = countSend(stored && { startMs: stored.start.toMillis(), count: stored.count }, atMs);
      if (!counted.accepted) {
        tx.set(db().doc(`${rejectedChatMessages(chatId)}/${messageId}`), { ...message, reason: "rate_limited", rejectedAt: fieldValue().serverTimestamp() });
        tx.delete(messageRef);
        return { kind: "rejected" as const, senderId, attachmentPath: message.attachment?.path };
      }
      update[`sendWindow.${senderId}`] = { start: timestamp().fromMillis(counted.window.startMs), count: counted.window.count };
    }
    const recipients = chat.participants.filter((uid) => uid !== senderId);
    const preview = previewOf(message.text, Boolean(message.attachment));
    const notified = recipients.filter((uid) =>
      shouldNotify(atMs, chat.notifiedAt?.[uid]?.toMillis(), chat.lastReadAt?.[uid]?.toMillis(), coalesceMs),
    );
    for (const uid of recipients) update[`unread.${uid}`] = fieldValue().increment(1);
    for (const uid of notified) update[`notifiedAt.${uid}`] = message.createdAt;
    if (!chat.lastMessage || chat.lastMessage.createdAt.toMillis() <= atMs) {
      update.lastMessage = { messageId, senderId, preview, hasAttachment: Boolean(message.attachment), createdAt: message.createdAt };
    }
    tx.update(chatRef, update);
    return { kind: "accepted" as const, notified, preview, senderId };
  });
  if (!outcome.processed) return;
  const result = outcome.result;
  if (result.kind === "rejected") {
    if (result.attachmentPath) await storage().bucket().file(result.attachmentPath).delete({ ignoreNotFound: true });
    logger.warn("chat message over the rate limit rejected", { chatId, messageId, senderId: result.senderId });
    return;
  }
  if (result.kind !== "accepted" || result.notified.length === 0) return;
  const { notified, preview, senderId } = result;
  const senderName = (await db().doc(`users/${senderId}`).get()).get("displayName") as string | undefined;
  await Promise.all(
    notified.map((uid) =>
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

  const cutoff = timestamp().fromMillis(now.getTime() - chatSettings.retentionDays() * 86_400_000);
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
  await db().recursiveDelete(db().collection(rejectedChatMessages(chatId)));
  await storage().bucket().deleteFiles({ prefix: `chats/${chatId}/` });
  await chats.docRef(chatId).update({ participants: [], unread: {}, lastMessage: null, lastReadAt: {}, sendWindow: {}, notifiedAt: {}, anonymisedAt: fieldValue().serverTimestamp() });
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
    await enqueueTask("verifyChatUploadTask", { name: object.name, bucket: object.bucket, size: object.size, contentType: object.contentType ?? null }, {
      id: `verify-${object.bucket}-${object.name}`,
      scheduleDelaySeconds: chatSettings.orphanGraceSeconds(),
    });
    return "deferred";
  }
  await storage().bucket(object.bucket).file(object.name).delete({ ignoreNotFound: true });
  logger.warn("deleted a chat upload that no message references", { name: object.name, chatId, messageId });
  return "deleted";
}

export type { Chat };
