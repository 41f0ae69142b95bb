// Trip notifications end to end on the emulators: booking audit-trail events written with the Admin SDK (as the
// bookings/dispatch/payments domains do) fire the notifications trigger, whose recording push transport, inbox
// entries and mail/messages documents are asserted here.
import { Timestamp, type DocumentData } from "firebase-admin/firestore";
import { beforeAll, describe, expect, it } from "vitest";
import { adminAuth, adminDb, waitFor } from "../helpers/admin";
import { uniqueId } from "../helpers/clients";
import { projectId } from "../helpers/emulators";

const SLOW = 120_000;
const wait = { timeoutMs: 60_000, intervalMs: 250 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface UserSetup {
  prefs?: Record<string, unknown>;
  email?: string;
  emailVerified?: boolean;
  phone?: string;
  displayName?: string;
  devices?: Array<{ id: string; token: string; platform: "ios" | "android" | "web" }>;
}

let phoneCounter = 0;
const uniquePhone = () => `+3519${String(Date.now() % 1e6).padStart(6, "0")}${(phoneCounter++ % 100).toString().padStart(2, "0")}`;

async function createUser(setup: UserSetup = {}): Promise<string> {
  const uid = uniqueId("ntf-user");
  const db = adminDb();
  // Mail goes only to an address the Auth record holds as verified (users/verifiedEmail.ts).
  if (setup.email) await adminAuth().createUser({ uid, email: setup.email, emailVerified: setup.emailVerified ?? true });
  await db.doc(`users/${uid}`).set({
    displayName: setup.displayName ?? "Test User",
    ...(setup.email ? { email: setup.email } : {}),
    ...(setup.phone ? { phoneNumber: setup.phone } : {}),
    ...(setup.prefs ? { notificationPrefs: setup.prefs } : {}),
    role: "rider",
    createdAt: Timestamp.now(),
    updatedAt: Timestamp.now(),
  });
  const devices = setup.devices ?? [];
  for (let i = 0; i < devices.length; i += 400) {
    const batch = db.batch();
    for (const d of devices.slice(i, i + 400)) {
      batch.set(db.doc(`users/${uid}/devices/${d.id}`), { fcmToken: d.token, platform: d.platform, updatedAt: Timestamp.now() });
    }
    await batch.commit();
  }
  return uid;
}

interface EventSpec {
  type: string;
  riderId: string;
  driverId?: string | null;
  status: string;
  previousStatus?: string | null;
  actor?: string;
  data?: Record<string, unknown>;
}

async function writeEvent(bookingId: string, spec: EventSpec, eventId = uniqueId("evt")): Promise<string> {
  await adminDb().doc(`bookings/${bookingId}/events/${eventId}`).set({
    bookingId,
    driverId: null,
    previousStatus: null,
    actor: "server",
    data: {},
    ...spec,
    at: Timestamp.now(),
  });
  return eventId;
}

const docs = async (query: FirebaseFirestore.Query) => (await query.get()).docs.map((d) => ({ id: d.id, ...d.data() }) as DocumentData);
const inbox = (uid: string) => docs(adminDb().collection(`users/${uid}/notifications`));
const pushesTo = (uid: string) => docs(adminDb().collection("_test/pushOutbox/items").where("userId", "==", uid));
const mailTo = (email: string) => docs(adminDb().collection("mail").where("to", "==", email));
const smsTo = (phone: string) => docs(adminDb().collection("messages").where("to", "==", phone));
const deferredFor = (uid: string) => docs(adminDb().collection("deferredNotifications").where("userId", "==", uid));
const devicesOf = async (uid: string) => (await adminDb().collection(`users/${uid}/devices`).get()).docs.map((d) => d.id).sort();

const waitForCount = (read: () => Promise<DocumentData[]>, count: number, what: string) =>
  waitFor(read, (items) => items.length >= count, { ...wait, what });

/** Quiet hours from an hour ago to an hour from now, in UTC, so "now" is always inside them. */
function quietHoursAroundNow() {
  const now = new Date();
  const minutes = now.getUTCHours() * 60 + now.getUTCMinutes();
  const fmt = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
  return { start: fmt((minutes + 1380) % 1440), end: fmt((minutes + 60) % 1440), tz: "UTC" };
}

describe("notifications: trip events on the emulators", () => {
  let driverId: string;

  beforeAll(async () => {
    driverId = await createUser({ displayName: "Ana Silva", devices: [{ id: "phone", token: uniqueId("drv-token"), platform: "android" }] });
  });

  it("driver_arrived reaches a default-prefs rider by push (time-sensitive) and inbox only; dead tokens are removed", async () => {
    const email = `${uniqueId("r")}@example.com`;
    const phone = uniquePhone();
    const iosToken = uniqueId("ios-token");
    const rider = await createUser({
      email,
      phone,
      devices: [
        { id: "iphone", token: iosToken, platform: "ios" },
        { id: "old-android", token: uniqueId("unregistered-token"), platform: "android" },
      ],
    });
    const bookingId = uniqueId("booking");
    await writeEvent(bookingId, { type: "status_changed", riderId: rider, driverId, status: "arrived", previousStatus: "accepted", actor: driverId });

    const [entry] = await waitForCount(() => inbox(rider), 1, "inbox entry");
    expect(entry).toMatchObject({
      title: "Your driver has arrived",
      body: "Ana is waiting at the pickup point.",
      category: "trip",
      data: { bookingId, driverName: "Ana" },
    });
    expect(entry?.createdAt).toBeInstanceOf(Timestamp);
    expect(entry?.readAt).toBeUndefined();

    const [push] = await waitForCount(() => pushesTo(rider), 1, "push to the rider");
    expect(push?.tokenCount).toBe(2);
    expect(push?.notificationId).toBe(entry?.id);
    expect(push?.message).toMatchObject({
      notification: { title: "Your driver has arrived", body: "Ana is waiting at the pickup point." },
      data: { bookingId, driverName: "Ana", category: "trip", template: "driver_arrived", notificationId: entry?.id },
      android: { priority: "high", notification: { channelId: "fleetfire_trip" } },
      apns: { headers: { "apns-priority": "10" }, payload: { aps: { "interruption-level": "time-sensitive" } } },
    });
    await waitFor(() => devicesOf(rider), (ids) => ids.length === 1, { ...wait, what: "the unregistered device removed" });
    expect(await devicesOf(rider)).toEqual(["iphone"]);

    // Defaults: no e-mail or SMS for trip updates (written in the inbox's transaction, so absent for good).
    expect(await mailTo(email)).toEqual([]);
    expect(await smsTo(phone)).toEqual([]);
  }, SLOW);

  it("offer_sent notifies every offered driver, in chunks of at most 500 tokens", async () => {
    const busyDriver = await createUser({
      devices: Array.from({ length: 501 }, (_, i) => ({ id: `d${i}`, token: `tok-${i}-${uniqueId("t")}`, platform: "android" as const })),
    });
    const rider = await createUser();
    await writeEvent(uniqueId("booking"), { type: "offer_sent", riderId: rider, status: "searching", data: { driverIds: [driverId, busyDriver], round: 1 } });

    const chunks = await waitForCount(() => pushesTo(busyDriver), 2, "two chunks");
    expect(chunks.map((c) => c.tokenCount).sort((a, b) => a - b)).toEqual([1, 500]);
    expect(new Set(chunks.flatMap((c) => c.tokens as string[])).size).toBe(501);
    expect(chunks[0]?.message.notification.title).toBe("New trip request");
    const [toDriver] = await waitForCount(() => pushesTo(driverId), 1, "push to the first driver");
    expect(toDriver?.message.data.template).toBe("offer_received");
    expect((await inbox(busyDriver)).map((n) => n.title)).toEqual(["New trip request"]);
    expect(await inbox(rider)).toEqual([]);
  }, SLOW);

  it("an e-mail address its owner never verified gets no mail; the SMS still goes", async () => {
    const email = `${uniqueId("r")}@example.com`;
    const phone = uniquePhone();
    const rider = await createUser({ email, emailVerified: false, phone, prefs: { trip: { push: false, email: true, sms: true } } });
    await writeEvent(uniqueId("booking"), { type: "status_changed", riderId: rider, driverId, status: "completed", previousStatus: "in_progress", actor: driverId });
    await waitForCount(() => smsTo(phone), 1, "messages document");
    expect((await inbox(rider)).map((n) => n.title)).toEqual(["Trip completed"]);
    expect(await mailTo(email)).toEqual([]);
  }, SLOW);

  it("a rider who chose e-mail and SMS for trips gets extension-shaped mail and messages documents, no push", async () => {
    const email = `${uniqueId("r")}@example.com`;
    const phone = uniquePhone();
    const rider = await createUser({
      email,
      phone,
      prefs: { trip: { push: false, email: true, sms: true } },
      devices: [{ id: "iphone", token: uniqueId("ios-token"), platform: "ios" }],
    });
    await writeEvent(uniqueId("booking"), { type: "status_changed", riderId: rider, driverId, status: "completed", previousStatus: "in_progress", actor: driverId });

    const [mail] = await waitForCount(() => mailTo(email), 1, "mail document");
    // "Trigger Email from Firestore": {to, message: {subject, text, html}}; the extension adds `delivery`.
    const { id: mailId, ...mailDoc } = mail!;
    expect(mailDoc).toEqual({
      to: email,
      message: {
        subject: "Trip completed",
        text: "You have arrived. Thank you for travelling with fleetfire.\n\n— fleetfire",
        html: "<h2>Trip completed</h2><p>You have arrived. Thank you for travelling with fleetfire.</p><p>— fleetfire</p>",
      },
    });
    // Twilio "Send Messages": {to, body}; the extension adds `delivery`.
    const [sms] = await smsTo(phone);
    const { id: smsId, ...smsDoc } = sms!;
    expect(smsDoc).toEqual({ to: phone, body: "fleetfire: Trip completed. You have arrived. Thank you for travelling with fleetfire." });
    expect(smsId).toBe(mailId);

    await sleep(2000);
    expect(await pushesTo(rider)).toEqual([]);
    expect((await inbox(rider)).map((n) => n.title)).toEqual(["Trip completed"]);
  }, SLOW);

  it("quiet hours defer trip_completed push and SMS to their end, let driver_arrived through, and the sweep sends the rest once", async () => {
    const email = `${uniqueId("r")}@example.com`;
    const phone = uniquePhone();
    const quietHours = quietHoursAroundNow();
    const rider = await createUser({
      email,
      phone,
      prefs: { trip: { push: true, email: false, sms: true }, quietHours },
      devices: [{ id: "iphone", token: uniqueId("ios-token"), platform: "ios" }],
    });
    const bookingId = uniqueId("booking");
    const before = Date.now();
    await writeEvent(bookingId, { type: "status_changed", riderId: rider, driverId, status: "completed", previousStatus: "in_progress", actor: driverId });

    const [deferred] = await waitForCount(() => deferredFor(rider), 1, "deferred notification");
    const dueAt = (deferred?.dueAt as Timestamp).toMillis();
    expect(dueAt).toBeGreaterThan(before + 58 * 60_000);
    expect(dueAt).toBeLessThanOrEqual(before + 61 * 60_000);
    expect(deferred).toMatchObject({ push: { template: "trip_completed", title: "Trip completed" }, sms: { to: phone } });
    expect((await inbox(rider)).map((n) => n.title)).toEqual(["Trip completed"]);

    await writeEvent(bookingId, { type: "status_changed", riderId: rider, driverId, status: "arrived", previousStatus: "accepted", actor: driverId });
    const [push] = await waitForCount(() => pushesTo(rider), 1, "time-sensitive push");
    expect(push?.message.data.template).toBe("driver_arrived");
    const [sms] = await smsTo(phone);
    expect(sms?.body).toMatch(/Your driver has arrived/);
    expect(await pushesTo(rider)).toHaveLength(1);

    // The scheduled sweep, run here at a time after the quiet hours end.
    process.env.GCLOUD_PROJECT ??= projectId;
    const { sendDueNotifications } = await import("../../functions/src/notifications/service");
    const { RecordingTransport } = await import("../../functions/src/notifications/transport");
    const sweep = () => sendDueNotifications({ now: new Date(dueAt + 60_000), transport: new RecordingTransport(), limit: 500 });
    await sweep();
    expect(await deferredFor(rider)).toEqual([]);
    const pushes = await pushesTo(rider);
    expect(pushes.map((p) => p.message.data.template).sort()).toEqual(["driver_arrived", "trip_completed"]);
    expect((await smsTo(phone)).map((s) => s.body).sort()).toEqual([
      "fleetfire: Trip completed. You have arrived. Thank you for travelling with fleetfire.",
      "fleetfire: Your driver has arrived. Ana is waiting at the pickup point.",
    ]);
    await sweep();
    expect(await pushesTo(rider)).toHaveLength(2);
    expect(await smsTo(phone)).toHaveLength(2);
  }, SLOW);

  it("a retried event sends nothing twice on any channel", async () => {
    const email = `${uniqueId("r")}@example.com`;
    const phone = uniquePhone();
    const rider = await createUser({
      email,
      phone,
      prefs: { trip: { push: true, email: true, sms: true } },
      devices: [{ id: "iphone", token: uniqueId("ios-token"), platform: "ios" }],
    });
    const bookingId = uniqueId("booking");
    const eventId = await writeEvent(bookingId, { type: "status_changed", riderId: rider, driverId, status: "in_progress", previousStatus: "arrived", actor: driverId });
    await waitForCount(() => pushesTo(rider), 1, "first push");
    expect(await mailTo(email)).toHaveLength(1);
    expect(await smsTo(phone)).toHaveLength(1);

    // Redelivery: the same event document is created again (the trigger fires again with the same event id).
    await adminDb().doc(`bookings/${bookingId}/events/${eventId}`).delete();
    await writeEvent(bookingId, { type: "status_changed", riderId: rider, driverId, status: "in_progress", previousStatus: "arrived", actor: driverId }, eventId);
    // A later, different event proves the trigger is running; then give the retry time to finish.
    await writeEvent(bookingId, { type: "status_changed", riderId: rider, driverId, status: "completed", previousStatus: "in_progress", actor: driverId });
    await waitForCount(() => pushesTo(rider), 2, "the later event's push");
    await sleep(3000);

    expect((await pushesTo(rider)).map((p) => p.message.data.template).sort()).toEqual(["trip_completed", "trip_started"]);
    expect((await inbox(rider)).map((n) => n.title).sort()).toEqual(["Trip completed", "Trip started"]);
    expect(await mailTo(email)).toHaveLength(2);
    expect(await smsTo(phone)).toHaveLength(2);
  }, SLOW);

  it("payment events: one failure notice for two reports, and a receipt even when payment messages are switched off", async () => {
    const email = `${uniqueId("r")}@example.com`;
    const rider = await createUser({
      email,
      prefs: { payment: { push: false, email: false, sms: false } },
      devices: [{ id: "iphone", token: uniqueId("ios-token"), platform: "ios" }],
    });
    const failedBooking = uniqueId("booking");
    await writeEvent(failedBooking, { type: "payment", riderId: rider, status: "payment_failed", data: { paymentStatus: "failed", reason: "card_declined" } });
    await writeEvent(failedBooking, { type: "status_changed", riderId: rider, status: "payment_failed", previousStatus: "awaiting_payment" });

    const paidBooking = uniqueId("booking");
    await adminDb().doc(`receipts/${paidBooking}`).set({ number: "R-000123", riderId: rider });
    await writeEvent(paidBooking, { type: "payment", riderId: rider, driverId, status: "completed", data: { paymentStatus: "captured", amountMinor: 1250, currency: "eur" } });

    const mails = await waitForCount(() => mailTo(email), 2, "payment failure and receipt e-mails");
    await sleep(3000);
    const subjects = (await mailTo(email)).map((m) => m.message.subject).sort();
    expect(subjects).toEqual(["Payment failed", "Your receipt R-000123"]);
    expect(mails.find((m) => m.message.subject === "Your receipt R-000123")?.message.text).toContain("Amount paid: €12.50.");
    expect((await inbox(rider)).map((n) => `${n.category}:${n.title}`).sort()).toEqual(["payment:Payment failed", "payment:Your receipt R-000123"]);
    expect(await pushesTo(rider)).toEqual([]);
  }, SLOW);

  it("notify() as the chat domain calls it: pushed by day, inbox only in quiet hours, never twice", async () => {
    process.env.GCLOUD_PROJECT ??= projectId;
    const { deliver } = await import("../../functions/src/notifications/service");
    const { RecordingTransport } = await import("../../functions/src/notifications/transport");
    const awake = await createUser({ devices: [{ id: "iphone", token: uniqueId("ios"), platform: "ios" }] });
    const asleep = await createUser({ prefs: { quietHours: quietHoursAroundNow() }, devices: [{ id: "iphone", token: uniqueId("ios"), platform: "ios" }] });
    const event = { template: "chat_message", category: "chat" as const, data: { chatId: "c1", senderName: "Ana", preview: "I'm outside" } };
    const options = { transport: new RecordingTransport() };

    for (const uid of [awake, asleep]) {
      await deliver(uid, event, "chat:m1", options);
      await deliver(uid, event, "chat:m1", options); // a retried chat trigger
    }

    const [push] = await pushesTo(awake);
    expect(push?.message).toMatchObject({ notification: { title: "Ana", body: "I'm outside" }, android: { priority: "high", notification: { channelId: "fleetfire_chat" } } });
    expect(await pushesTo(awake)).toHaveLength(1);
    expect(await pushesTo(asleep)).toEqual([]);
    expect(await deferredFor(asleep)).toEqual([]);
    for (const uid of [awake, asleep]) expect((await inbox(uid)).map((n) => `${n.category}:${n.title}:${n.body}`)).toEqual(["chat:Ana:I'm outside"]);
  }, SLOW);

  it("ignores a malformed event without notifying anyone", async () => {
    const rider = await createUser({ devices: [{ id: "iphone", token: uniqueId("ios"), platform: "ios" }] });
    const bookingId = uniqueId("booking");
    await adminDb().doc(`bookings/${bookingId}/events/${uniqueId("evt")}`).set({ type: "status_changed", riderId: rider, bookingId, status: "teleported" });
    await writeEvent(bookingId, { type: "status_changed", riderId: rider, status: "no_drivers", previousStatus: "searching" });
    await waitForCount(() => inbox(rider), 1, "the valid event's inbox entry");
    await sleep(2000);
    expect((await inbox(rider)).map((n) => n.title)).toEqual(["No drivers available"]);
  }, SLOW);

  it("a cancellation by the rider tells the driver, not the rider", async () => {
    const driver = await createUser({ devices: [{ id: "phone", token: uniqueId("drv"), platform: "android" }] });
    const rider = await createUser({ devices: [{ id: "iphone", token: uniqueId("ios"), platform: "ios" }] });
    const bookingId = uniqueId("booking");
    await writeEvent(bookingId, { type: "cancelled", riderId: rider, driverId: driver, status: "cancelled", previousStatus: "accepted", actor: rider, data: { by: "rider", reason: "changed plans", feeMinor: 0 } });
    await writeEvent(bookingId, { type: "status_changed", riderId: rider, driverId: driver, status: "cancelled", previousStatus: "accepted", actor: rider });

    const [push] = await waitForCount(() => pushesTo(driver), 1, "push to the driver");
    expect(push?.message.notification).toEqual({ title: "Booking cancelled", body: "Your booking was cancelled by the rider." });
    await sleep(3000);
    expect(await pushesTo(driver)).toHaveLength(1);
    expect(await inbox(rider)).toEqual([]);
  }, SLOW);
});
