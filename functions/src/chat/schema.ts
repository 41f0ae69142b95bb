import { z } from "zod";
import { docIdSchema, timestampSchema, uidSchema } from "../common/schema";
import { typedCollection } from "../common/firestore";

export const CHAT_LIMITS = {
  textMaxLength: 2000,
  attachmentMaxBytes: 10 * 1024 * 1024,
  attachmentContentTypes: ["image/jpeg", "image/png", "image/webp", "image/heic", "application/pdf"],
  previewLength: 120,
} as const;

export const lastMessageSchema = z.object({
  messageId: z.string(),
  senderId: uidSchema,
  preview: z.string(),
  hasAttachment: z.boolean(),
  createdAt: timestampSchema,
});

/** chats/{chatId}: a trip's chat has chatId = bookingId. */
export const chatSchema = z.object({
  participants: z.array(uidSchema),
  bookingId: z.string(),
  /** Server fields: who the trip's rider and current driver are (participants may also hold admins). */
  riderId: uidSchema.optional(),
  driverId: uidSchema.nullable().optional(),
  lastMessage: lastMessageSchema.nullable(),
  unread: z.record(z.string(), z.number().int().min(0)),
  lastReadAt: z.record(z.string(), timestampSchema).optional(),
  createdAt: timestampSchema,
  closesAt: timestampSchema.nullable().optional(),
  closedAt: timestampSchema.nullable().optional(),
  anonymisedAt: timestampSchema.nullable().optional(),
  /** Server: each sender's current rate-limit window (firestore.rules refuses messages while it is full). */
  sendWindow: z.record(z.string(), z.object({ start: timestampSchema, count: z.number().int().min(0) })).optional(),
  /** Server: when each recipient was last notified of this chat (coalescing). */
  notifiedAt: z.record(z.string(), timestampSchema).optional(),
});
export type Chat = z.infer<typeof chatSchema>;

/** A participant's read receipt on chats/{chatId}: their own unread count back to 0, their own lastReadAt. */
export const readReceiptSchema = z.strictObject({
  unread: z.record(uidSchema, z.literal(0)),
  lastReadAt: z.record(uidSchema, timestampSchema).optional(),
});

export const attachmentSchema = z.object({
  path: z.string(),
  contentType: z.string(),
  size: z.number().int().min(0),
  name: z.string(),
});

export const messageSchema = z.object({
  senderId: uidSchema,
  text: z.string().max(CHAT_LIMITS.textMaxLength).optional(),
  attachment: attachmentSchema.optional(),
  createdAt: timestampSchema,
});
export type ChatMessage = z.infer<typeof messageSchema>;

export const chats = typedCollection(chatSchema, () => "chats");
export const chatMessages = typedCollection(messageSchema, (chatId: string) => `chats/${chatId}/messages`);
/** Messages refused by the rate limit, moved out of the chat (server-only: kept for abuse reports until purge). */
export const rejectedChatMessages = (chatId: string) => `chats/${chatId}/rejectedMessages`;

export const joinChatInputSchema = z.strictObject({
  // A document id: a "/" would make chats/{chatId} a path to somewhere else (and the lookup throw).
  chatId: docIdSchema,
});
/** What joinChat returns: the chat's participants, the caller now among them. */
export const joinChatOutputSchema = z.strictObject({
  chatId: docIdSchema,
  participants: z.array(uidSchema),
});
export type JoinChatOutput = z.infer<typeof joinChatOutputSchema>;
