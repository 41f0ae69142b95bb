// notify(): preferences → template → inbox + channels, exactly once per (cause key, recipient, channel).
// Inbox, e-mail, SMS and deferrals are Firestore writes committed in the same transaction as their keys, so
// they happen exactly once. Push leaves Firestore: its key is claimed in that transaction and the message is
// sent after the commit, so a retry never sends it twice (a crash in between loses that one push; the inbox
// entry still holds the message).
import type { Transaction } from "firebase-admin/firestore";
import { db, fieldValue, timestamp } from "../common/firebase";
import * as logger from "../common/logger";
import type { NotificationEvent } from "./notify";
import { planChannels, quietHoursEnd, resolvePrefs, type ChannelPlan } from "./preferences";
import { verifiedEmailOf } from "../users/verifiedEmail";
import { emailMessage, render, smsBody, TIME_SENSITIVE_TEMPLATES } from "./templates";
import { channelKeyId, notificationId as notificationIdOf, type KeyChannel } from "./keys";
import type { PushContent } from "./pushPayload";
import { sendPushToUser } from "./push";
import { defaultTransport, type PushTransport } from "./transport";
import { bookingEventSchema, recipientSchema, deferredSchema, type BookingEventInput, type Deferred } from "./schema";
import { describeIssues } from "../common/validation";
import { notificationsForBookingEvent, type EventContext } from "./tripEvents";

/** Idempotency markers live this long (enable a TTL policy on notificationKeys.expireAt). */
const KEY_TTL_DAYS = 30;

export const paths = {
  user: (uid: string) => `users/${uid}`,
  inbox: (uid: string, id: string) => `users/${uid}/notifications/${id}`,
  key: (id: string) => `notificationKeys/${id}`,
  mail: (id: string) => `mail/${id}`,
  sms: (id: string) => `messages/${id}`,
  deferred: (id: string) => `deferredNotifications/${id}`,
};

export interface DeliverOptions {
  now?: Date;
  transport?: PushTransport;
}

export interface DeliveryReport {
  notificationId: string;
  plan: ChannelPlan;
  /** Channels whose key this call claimed (empty on a retry). */
  claimed: KeyChannel[];
}

export async function deliver(userId: string, event: NotificationEvent, key: string, options: DeliverOptions = {}): Promise<DeliveryReport> {
  const now = options.now ?? new Date();
  const userSnap = await db().doc(paths.user(userId)).get();
  const parsedUser = recipientSchema.safeParse(userSnap.data() ?? {});
  const parsed = parsedUser.success ? parsedUser.data : {};
  const prefs = resolvePrefs(parsed.notificationPrefs);
  const rendered = render(event.template, event.data, parsed.locale);
  const timeSensitive = event.timeSensitive ?? TIME_SENSITIVE_TEMPLATES.has(event.template);
  const planWith = (hasEmail: boolean) =>
    planChannels(
      prefs,
      { category: event.category, transactional: event.transactional ?? false, timeSensitive, emergency: event.emergency ?? false, hasEmail, hasPhone: !!parsed.phoneNumber },
      now,
    );
  // Mail only to an address its owner proved (users/verifiedEmail.ts): an unverified one is as good as none. The
  // proof costs an Auth lookup, so it is asked only when the plan would mail the profile's address.
  let plan = planWith(!!parsed.email);
  const email = plan.email ? await verifiedEmailOf(userId, parsed.email) : null;
  if (plan.email && !email) plan = planWith(false);
  const user = { ...parsed, email: email ?? undefined };
  const id = notificationIdOf(key, userId);
  const push: PushContent = {
    title: rendered.title,
    body: rendered.body,
    category: event.category,
    notificationId: id,
    template: event.template,
    timeSensitive,
    data: event.data,
  };

  const channels: KeyChannel[] = ["inbox", ...(["push", "email", "sms"] as const).filter((c) => plan[c])];
  const claimed = await db().runTransaction(async (tx) => {
    const keyRefs = channels.map((channel) => db().doc(paths.key(channelKeyId(key, userId, channel))));
    const existing = await tx.getAll(...keyRefs);
    const fresh = channels.filter((_, i) => !existing[i]?.exists);
    fresh.forEach((channel) =>
      tx.create(db().doc(paths.key(channelKeyId(key, userId, channel))), {
        key,
        userId,
        channel,
        notificationId: id,
        createdAt: fieldValue().serverTimestamp(),
        expireAt: timestamp().fromMillis(now.getTime() + KEY_TTL_DAYS * 86_400_000),
      }),
    );
    const isFresh = (c: KeyChannel) => fresh.includes(c);
    if (isFresh("inbox")) {
      tx.create(db().doc(paths.inbox(userId, id)), {
        title: rendered.title,
        body: rendered.body,
        category: event.category,
        template: event.template,
        data: event.data,
        createdAt: fieldValue().serverTimestamp(),
      });
    }
    if (isFresh("email") && user.email) {
      tx.create(db().doc(paths.mail(id)), { to: user.email, message: emailMessage(rendered) });
    }
    const sms = user.phoneNumber ? { to: user.phoneNumber, body: smsBody(rendered) } : null;
    if (isFresh("sms") && sms && plan.sms === "now") tx.create(db().doc(paths.sms(id)), sms);
    const deferPush = isFresh("push") && plan.push === "deferred";
    const deferSms = isFresh("sms") && plan.sms === "deferred" && sms;
    if (deferPush || deferSms) {
      const due = quietHoursEnd(now, prefs.quietHours!);
      const deferred: Deferred = { userId, dueAt: timestamp().fromDate(due), push: deferPush ? push : null, sms: deferSms ? sms : null };
      tx.create(db().doc(paths.deferred(id)), { ...deferred, key, createdAt: fieldValue().serverTimestamp() });
    }
    return fresh;
  });

  if (claimed.includes("push") && plan.push === "now") {
    const summary = await sendPushToUser(userId, push, options.transport ?? defaultTransport());
    logger.info("notify: push", { userId, notificationId: id, template: event.template, ...summary });
  }
  logger.info("notify: delivered", { userId, notificationId: id, template: event.template, plan, claimed });
  return { notificationId: id, plan, claimed };
}

/** The trigger on bookings/{bookingId}/events/{eventId}: one notify() per recipient the event concerns. */
export async function notifyForBookingEvent(eventId: string, raw: unknown, options: DeliverOptions = {}): Promise<number> {
  const parsed = bookingEventSchema.safeParse(raw);
  if (!parsed.success) {
    logger.warn("notify: ignoring malformed booking event", { eventId, issues: describeIssues(parsed.error) });
    return 0;
  }
  const event = parsed.data;
  const unique = new Map(notificationsForBookingEvent(eventId, event, await eventContext(event)).map((item) => [`${item.userId}/${item.key}`, item]));
  const planned = [...unique.values()];
  // Each recipient's delivery is independent (its own keys), so they run side by side: an offer round tells several
  // drivers at once. Every delivery is awaited before a failure is rethrown, so a retry finds the others done.
  const outcomes = await Promise.allSettled(planned.map((item) => deliver(item.userId, item.event, item.key, options)));
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
  if (failed) throw failed.reason;
  return planned.length;
}

async function eventContext(event: BookingEventInput): Promise<EventContext> {
  const context: EventContext = {};
  const driverId = typeof event.data?.driverId === "string" ? event.data.driverId : event.driverId;
  if (driverId && (event.type === "driver_assigned" || event.status === "accepted" || event.status === "arrived")) {
    const name = (await db().doc(paths.user(driverId)).get()).get("displayName");
    if (typeof name === "string" && name) context.driverName = name.split(" ")[0];
  }
  if (event.type === "payment") {
    const number = (await db().doc(`receipts/${event.bookingId}`).get()).get("number");
    if (number !== undefined && number !== null) context.receiptNumber = String(number);
  }
  return context;
}

/**
 * Sends push/SMS held back by quiet hours once they are due. Each deferred document is claimed (deleted) in
 * a transaction before sending, so overlapping sweeps never send it twice.
 */
export async function sendDueNotifications(options: DeliverOptions & { limit?: number } = {}): Promise<number> {
  const now = options.now ?? new Date();
  const due = await db()
    .collection("deferredNotifications")
    .where("dueAt", "<=", timestamp().fromDate(now))
    .orderBy("dueAt")
    .limit(options.limit ?? 200)
    .get();
  let sent = 0;
  for (const doc of due.docs) {
    const parsed = deferredSchema.safeParse(doc.data());
    const claimed = await db().runTransaction(async (tx: Transaction) => {
      const fresh = await tx.get(doc.ref);
      if (!fresh.exists) return false;
      tx.delete(doc.ref);
      if (parsed.success && parsed.data.sms) tx.create(db().doc(paths.sms(doc.id)), parsed.data.sms);
      return true;
    });
    if (!claimed) continue;
    if (!parsed.success) {
      logger.error("notify: dropping malformed deferred notification", { id: doc.id });
      continue;
    }
    if (parsed.data.push) await sendPushToUser(parsed.data.userId, parsed.data.push, options.transport ?? defaultTransport());
    sent += 1;
  }
  return sent;
}
