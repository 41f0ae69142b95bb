import {
  addDoc, collection, disableNetwork, doc, enableNetwork, getDoc, getDocs, limit, onSnapshot, orderBy, query,
  serverTimestamp, setDoc, startAfter, updateDoc, type QueryDocumentSnapshot,
} from "firebase/firestore";
import { ref, uploadBytes } from "firebase/storage";
import { Timestamp } from "firebase-admin/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminAuth, adminDb, waitFor, waitForDoc } from "../helpers/admin";
import { assignDriver, bookingData, createDriver, LISBON, waitForStatus } from "./bookings/harness";
import { signedInClient, uniqueId, type ClientUser } from "../helpers/clients";
import { chatHousekeeping, handleNewMessage, purgeChat, verifyChatUpload } from "../../functions/src/chat/service";

const opened: ClientUser[] = [];
afterAll(async () => Promise.all(opened.map((c) => c.close())));

/** A booking already assigned to a driver, as dispatch leaves it (written with the Admin SDK). */
async function assignedTrip() {
  const bookingId = uniqueId("chat-booking");
  const rider = await signedInClient(uniqueId("chat-rider"));
  const driver = await signedInClient(uniqueId("chat-driver"), { role: "driver" });
  opened.push(rider, driver);
  await adminDb().doc(`users/${rider.uid}`).set({ displayName: "Rita Rider" });
  await adminDb().doc(`bookings/${bookingId}`).set({ status: "accepted", riderId: rider.uid, driverId: driver.uid, serviceType: "ride", categoryId: "economy" });
  // Generous: the first run of the trigger loads its modules, on two cores shared with other suites.
  await waitFor(async () => (await adminDb().doc(`chats/${bookingId}`).get()).data(), (chat) => Array.isArray(chat?.participants), { timeoutMs: 60_000, what: "the trip chat to open" });
  return { bookingId, rider, driver };
}

const chatInbox = async (uid: string) =>
  (await adminDb().collection(`users/${uid}/notifications`).where("category", "==", "chat").get()).docs.map((d) => d.data());

const send = (user: ClientUser, chatId: string, text: string) =>
  addDoc(collection(user.db, `chats/${chatId}/messages`), { senderId: user.uid, text, createdAt: serverTimestamp() });

function listen(user: ClientUser, chatId: string) {
  const seen: Array<{ id: string; text?: string; senderId: string }> = [];
  const stop = onSnapshot(query(collection(user.db, `chats/${chatId}/messages`), orderBy("createdAt")), (snap) => {
    seen.splice(0, seen.length, ...snap.docs.map((d) => ({ id: d.id, ...(d.data() as { text?: string; senderId: string }) })));
  });
  return { seen, stop };
}

describe("chat between rider and driver", () => {
  let trip: Awaited<ReturnType<typeof assignedTrip>>;
  beforeAll(async () => {
    trip = await assignedTrip();
  });

  it("opens when a driver is assigned, with rider and driver as participants", async () => {
    const chat = (await adminDb().doc(`chats/${trip.bookingId}`).get()).data()!;
    expect(chat.participants.sort()).toEqual([trip.rider.uid, trip.driver.uid].sort());
    expect(chat.unread).toEqual({ [trip.rider.uid]: 0, [trip.driver.uid]: 0 });
    expect(chat.closedAt).toBeNull();
  });

  it("delivers messages live both ways and counts unread messages", async () => {
    const { bookingId, rider, driver } = trip;
    const driverView = listen(driver, bookingId);
    const riderView = listen(rider, bookingId);
    await addDoc(collection(rider.db, `chats/${bookingId}/messages`), { senderId: rider.uid, text: "I'm at the door", createdAt: serverTimestamp() });
    await addDoc(collection(rider.db, `chats/${bookingId}/messages`), { senderId: rider.uid, text: "Blue jacket", createdAt: serverTimestamp() });
    await waitFor(async () => driverView.seen.map((m) => m.text), (texts) => texts.length === 2, { what: "the driver to see both messages" });
    expect(driverView.seen.map((m) => m.text)).toEqual(["I'm at the door", "Blue jacket"]);
    await addDoc(collection(driver.db, `chats/${bookingId}/messages`), { senderId: driver.uid, text: "Two minutes", createdAt: serverTimestamp() });
    await waitFor(async () => riderView.seen.length, (n) => n === 3, { what: "the rider to see the reply" });
    driverView.stop();
    riderView.stop();

    const chat = await waitForDoc(`chats/${bookingId}`, (c) => c?.unread?.[driver.uid] === 2 && c?.unread?.[rider.uid] === 1, "unread counts");
    expect(chat!.lastMessage).toMatchObject({ senderId: driver.uid, preview: "Two minutes", hasAttachment: false });

    // The other side is notified through the notifications module, once for the two messages (coalesced).
    const inbox = await waitFor(
      async () => (await chatInbox(driver.uid)).map((n) => n.data),
      (entries) => entries.length === 1,
      { what: "a chat notification in the driver's inbox" },
    );
    expect(inbox[0]).toMatchObject({ chatId: bookingId, preview: "I'm at the door" });
  });

  it("lets a participant mark the chat read (read receipt)", async () => {
    const { bookingId, driver, rider } = trip;
    await updateDoc(doc(driver.db, `chats/${bookingId}`), { [`unread.${driver.uid}`]: 0, [`lastReadAt.${driver.uid}`]: serverTimestamp() });
    const chat = (await adminDb().doc(`chats/${bookingId}`).get()).data()!;
    expect(chat.unread[driver.uid]).toBe(0);
    expect(chat.unread[rider.uid]).toBe(1);
    expect(chat.lastReadAt[driver.uid]).toBeInstanceOf(Timestamp);
  });

  it("counts a redelivered message event once", async () => {
    const { bookingId, rider, driver } = trip;
    const messageRef = await adminDb().collection(`chats/${bookingId}/messages`).add({ senderId: rider.uid, text: "again?", createdAt: Timestamp.now() });
    const before = await waitForDoc(`chats/${bookingId}`, (c) => c?.lastMessage?.messageId === messageRef.id, "the trigger to process the message");
    const eventId = uniqueId("replayed-event");
    await handleNewMessage(bookingId, messageRef.id, eventId);
    await handleNewMessage(bookingId, messageRef.id, eventId);
    const after = (await adminDb().doc(`chats/${bookingId}`).get()).data()!;
    expect(after.unread[driver.uid]).toBe(before!.unread[driver.uid] + 1);
  });
});

describe("chat history and offline", () => {
  it("pages through history newest first with a cursor", async () => {
    const { bookingId, rider } = await assignedTrip();
    const batch = adminDb().batch();
    for (let i = 0; i < 25; i += 1) {
      batch.set(adminDb().doc(`chats/${bookingId}/messages/h${String(i).padStart(2, "0")}`), { senderId: rider.uid, text: `message ${i}`, createdAt: Timestamp.fromMillis(1_700_000_000_000 + i * 1000) });
    }
    await batch.commit();
    const pages: string[][] = [];
    let cursor: QueryDocumentSnapshot | undefined;
    for (;;) {
      const base = query(collection(rider.db, `chats/${bookingId}/messages`), orderBy("createdAt", "desc"), limit(10));
      const page = await getDocs(cursor ? query(base, startAfter(cursor)) : base);
      if (page.empty) break;
      pages.push(page.docs.map((d) => d.data().text as string));
      cursor = page.docs.at(-1);
    }
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual(Array.from({ length: 25 }, (_, i) => `message ${24 - i}`));
  });

  it("an offline sender's messages show as pending, then arrive in order on reconnect", async () => {
    const { bookingId, rider, driver } = await assignedTrip();
    const driverView = listen(driver, bookingId);
    let pendingSeen = 0;
    const stopLocal = onSnapshot(query(collection(rider.db, `chats/${bookingId}/messages`)), { includeMetadataChanges: true }, (snap) => {
      pendingSeen = Math.max(pendingSeen, snap.docs.filter((d) => d.metadata.hasPendingWrites).length);
    });
    await disableNetwork(rider.db);
    const texts = ["one", "two", "three"];
    const writes = texts.map((text) => addDoc(collection(rider.db, `chats/${bookingId}/messages`), { senderId: rider.uid, text, createdAt: serverTimestamp() }));
    await waitFor(async () => pendingSeen, (n) => n === 3, { what: "three pending local messages" });
    expect(driverView.seen).toHaveLength(0);
    await enableNetwork(rider.db);
    await Promise.all(writes);
    await waitFor(async () => driverView.seen.map((m) => m.text), (seen) => seen.length === 3, { what: "the driver to receive the queued messages" });
    expect(driverView.seen.map((m) => m.text)).toEqual(texts);
    driverView.stop();
    stopLocal();
  });
});

describe("chat lifecycle", () => {
  it("hands the chat to the new driver after a re-dispatch", async () => {
    const { bookingId, rider, driver } = await assignedTrip();
    const newDriver = uniqueId("chat-driver-2");
    await adminDb().doc(`bookings/${bookingId}`).update({ status: "searching", driverId: null });
    await adminDb().doc(`bookings/${bookingId}`).update({ status: "accepted", driverId: newDriver });
    const chat = await waitForDoc(`chats/${bookingId}`, (c) => c?.driverId === newDriver, "the chat to follow the new driver");
    expect(chat!.participants.sort()).toEqual([rider.uid, newDriver].sort());
    expect(chat!.participants).not.toContain(driver.uid);
  });

  it("a driver who cancels loses the chat at once; the re-dispatched chat has the new driver and no closing time", async () => {
    const rita = await signedInClient(uniqueId("chat-rider"));
    const first = await createDriver(LISBON.rossio);
    const second = await createDriver(LISBON.marques);
    opened.push(rita, first, second);
    // A booking as dispatch leaves it once the first driver accepted (the real bookings, dispatch and chat
    // triggers take it from there: the driver's cancellation sends it back to searching).
    const bookingId = uniqueId("chat-redispatch");
    await adminDb().doc(`bookings/${bookingId}`).set({
      ...bookingData(rita.uid, uniqueId("quote"), { pickup: LISBON.rossio, dropoff: LISBON.saldanha }),
      status: "accepted", driverId: first.uid, vehicleId: first.vehicleId,
    });
    await waitFor(async () => (await adminDb().doc(`chats/${bookingId}`).get()).data(), (c) => c?.driverId === first.uid, { timeoutMs: 60_000, what: "the trip chat" });
    await send(rita, bookingId, "I'm by the fountain");
    await getDocs(collection(first.db, `chats/${bookingId}/messages`));

    await updateDoc(doc(first.db, `bookings/${bookingId}`), { status: "cancelled", cancellation: { by: "driver", reason: "vehicle_problem" } });
    // At once, before any trigger has run: the booking no longer lets him in.
    await expect(getDocs(collection(first.db, `chats/${bookingId}/messages`))).rejects.toMatchObject({ code: "permission-denied" });
    await expect(send(first, bookingId, "still here")).rejects.toMatchObject({ code: "permission-denied" });
    await expect(getDoc(doc(first.db, `chats/${bookingId}`))).rejects.toMatchObject({ code: "permission-denied" });
    await expect(uploadBytes(ref(first.storage, `chats/${bookingId}/${uniqueId("m")}/p.jpg`), new Uint8Array([0xff, 0xd8, 0xff]), { contentType: "image/jpeg" }))
      .rejects.toMatchObject({ code: "storage/unauthorized" });
    // The server takes him out of participants and does not start the chat's closing time.
    const searching = await waitForDoc(`chats/${bookingId}`, (c) => Array.isArray(c?.participants) && !c.participants.includes(first.uid), "the cancelling driver to leave the chat");
    expect(searching).toMatchObject({ participants: [rita.uid], driverId: null, closesAt: null });
    await send(rita, bookingId, "Door code 4412");
    // The trip's other documents, once the booking is back to searching without him (rules on booking.driverId).
    await waitForStatus(bookingId, "searching", (b) => !b.driverId);
    await expect(getDoc(doc(first.db, `bookings/${bookingId}`))).rejects.toMatchObject({ code: "permission-denied" });
    await expect(getDocs(collection(first.db, `bookings/${bookingId}/events`))).rejects.toMatchObject({ code: "permission-denied" });
    await expect(getDocs(collection(first.db, `bookings/${bookingId}/track`))).rejects.toMatchObject({ code: "permission-denied" });

    await assignDriver(bookingId, second, rita.uid);
    const handed = await waitForDoc(`chats/${bookingId}`, (c) => c?.driverId === second.uid, "the chat to follow the new driver");
    expect(handed!.participants.sort()).toEqual([rita.uid, second.uid].sort());
    expect(handed!.closesAt).toBeNull();
    const seen = (await getDocs(collection(second.db, `chats/${bookingId}/messages`))).docs.map((d) => d.get("text"));
    expect(seen).toContain("Door code 4412");
    await send(second, bookingId, "On my way");
    await expect(getDocs(collection(first.db, `chats/${bookingId}/messages`))).rejects.toMatchObject({ code: "permission-denied" });
    // Hours later the trip chat is still open: nothing closes it mid-trip.
    await chatHousekeeping(new Date(Date.now() + 3 * 3_600_000));
    expect((await adminDb().doc(`chats/${bookingId}`).get()).get("closedAt")).toBeNull();
    await send(rita, bookingId, "See you");
  }, 180_000);

  it("the rider's cancellation takes the driver out of the chat and starts its closing time", async () => {
    const { bookingId, rider, driver } = await assignedTrip();
    await adminDb().doc(`bookings/${bookingId}`).update({ status: "cancelled", cancellation: { by: "rider", reason: "changed_plans" } });
    const chat = await waitForDoc(`chats/${bookingId}`, (c) => Boolean(c?.closesAt), "the chat to get a closing time");
    expect(chat).toMatchObject({ participants: [rider.uid], driverId: null });
    await expect(getDocs(collection(driver.db, `chats/${bookingId}/messages`))).rejects.toMatchObject({ code: "permission-denied" });
    await send(rider, bookingId, "Sorry, plans changed");
  });

  it("becomes read-only after the trip, then closes, and is purged after retention", async () => {
    const { bookingId, rider } = await assignedTrip();
    await adminDb().doc(`bookings/${bookingId}`).update({ status: "completed" });
    const chat = await waitForDoc(`chats/${bookingId}`, (c) => Boolean(c?.closesAt), "the chat to get a closing time");
    const closesAt = (chat!.closesAt as Timestamp).toMillis();
    expect(closesAt).toBeGreaterThan(Date.now() + 50 * 60_000);

    // Still open before closesAt…
    await addDoc(collection(rider.db, `chats/${bookingId}/messages`), { senderId: rider.uid, text: "Thanks!", createdAt: serverTimestamp() });
    // …and closed by the housekeeping job once it has passed.
    await chatHousekeeping(new Date(closesAt + 1000));
    expect((await adminDb().doc(`chats/${bookingId}`).get()).data()!.closedAt).toBeInstanceOf(Timestamp);
    await expect(addDoc(collection(rider.db, `chats/${bookingId}/messages`), { senderId: rider.uid, text: "late", createdAt: serverTimestamp() })).rejects.toMatchObject({ code: "permission-denied" });

    await purgeChat(bookingId);
    expect((await adminDb().collection(`chats/${bookingId}/messages`).get()).size).toBe(0);
    const tombstone = (await adminDb().doc(`chats/${bookingId}`).get()).data()!;
    expect(tombstone).toMatchObject({ participants: [], lastMessage: null });
    expect(tombstone.anonymisedAt).toBeInstanceOf(Timestamp);
  });

  it("lets only admins join a chat for support", async () => {
    const { bookingId, rider } = await assignedTrip();
    const support = await signedInClient(uniqueId("support"), { role: "admin" });
    opened.push(support);
    await expect(rider.call("joinChat", { chatId: bookingId })).rejects.toMatchObject({ code: "functions/permission-denied" });
    await expect(support.call("joinChat", { chatId: 7 })).rejects.toMatchObject({ code: "functions/invalid-argument", details: { issues: [{ path: "chatId" }] } });
    await expect(support.call("joinChat", { chatId: uniqueId("missing") })).rejects.toMatchObject({ code: "functions/not-found" });
    const joined = await support.call<{ chatId: string }, { participants: string[] }>("joinChat", { chatId: bookingId });
    expect(joined.participants).toContain(support.uid);
    await addDoc(collection(support.db, `chats/${bookingId}/messages`), { senderId: support.uid, text: "Support here", createdAt: serverTimestamp() });
  });
});

describe("chat rate limit and notifications", () => {
  it("a burst beyond 20 messages a minute: the excess is rejected and not notified, then the rules refuse the sender", async () => {
    const { bookingId, rider, driver } = await assignedTrip();
    const results = await Promise.allSettled(Array.from({ length: 26 }, (_, i) => send(rider, bookingId, `spam ${i}`)));
    const refused = results.filter((r) => r.status === "rejected");
    refused.forEach((r) => expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "permission-denied" }));
    const written = results.length - refused.length;
    const rejectedRef = adminDb().collection(`chats/${bookingId}/rejectedMessages`);
    const counts = async () => ({ kept: (await adminDb().collection(`chats/${bookingId}/messages`).get()).size, rejected: (await rejectedRef.get()).size });
    const settled = await waitFor(counts, (c) => c.kept + c.rejected === written && c.kept <= 20, { what: "the trigger to count every message" });
    expect(settled.kept).toBe(20);
    expect(settled.rejected + refused.length).toBe(6);
    (await rejectedRef.get()).docs.forEach((d) => expect(d.data()).toMatchObject({ senderId: rider.uid, reason: "rate_limited" }));
    const chat = await waitForDoc(`chats/${bookingId}`, (c) => c?.sendWindow?.[rider.uid]?.count === 20, "the window to be full");
    expect(chat!.unread[driver.uid]).toBe(20);
    // One notification for the whole burst.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await chatInbox(driver.uid)).toHaveLength(1);
    // With the window full, the rules refuse the next message at once; the other participant still writes.
    await expect(send(rider, bookingId, "one more")).rejects.toMatchObject({ code: "permission-denied" });
    await send(driver, bookingId, "Please stop");
    // Once the window is over (moved back a minute here), the rider writes again.
    await adminDb().doc(`chats/${bookingId}`).update({ [`sendWindow.${rider.uid}.start`]: Timestamp.fromMillis(Date.now() - 61_000) });
    await send(rider, bookingId, "Sorry");
  }, 120_000);

  it("notifies a recipient once per chat per coalescing window, again after they read it, never e-mail or SMS per message", async () => {
    const { bookingId, rider, driver } = await assignedTrip();
    const email = `${rider.uid}@example.com`;
    const phone = `+3519${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
    await adminAuth().updateUser(rider.uid, { email, emailVerified: true }); // mail goes only to verified addresses
    await adminDb().doc(`users/${rider.uid}`).set({ email, phoneNumber: phone, notificationPrefs: { chat: { push: true, email: true, sms: true } } }, { merge: true });
    const processed = (n: number) => waitForDoc(`chats/${bookingId}`, (c) => c?.unread?.[rider.uid] === n, `${n} messages counted`);

    await send(driver, bookingId, "Here");
    await processed(1);
    await send(driver, bookingId, "White Corolla");
    await send(driver, bookingId, "By the pharmacy");
    await processed(3);
    expect((await chatInbox(rider.uid)).map((n) => n.data.preview)).toEqual(["Here"]);
    // The rider opens the chat: the next message is news again.
    await updateDoc(doc(rider.db, `chats/${bookingId}`), { [`unread.${rider.uid}`]: 0, [`lastReadAt.${rider.uid}`]: serverTimestamp() });
    await send(driver, bookingId, "Are you coming?");
    await processed(1);
    // Without reading, a message after the coalescing window (CHAT_NOTIFY_COALESCE_SECONDS) notifies again.
    await adminDb().collection(`chats/${bookingId}/messages`).add({ senderId: driver.uid, text: "Still waiting", createdAt: Timestamp.fromMillis(Date.now() + 181_000) });
    await processed(2);
    const previews = await waitFor(async () => (await chatInbox(rider.uid)).map((n) => n.data.preview as string).sort(), (p) => p.length === 3, { what: "three chat notifications" });
    expect(previews).toEqual(["Are you coming?", "Here", "Still waiting"]);
    // E-mail and SMS (opted in) follow the coalesced notifications, not each of the five messages.
    const mail = await adminDb().collection("mail").where("to", "==", email).get();
    const sms = await adminDb().collection("messages").where("to", "==", phone).get();
    expect(mail.size).toBe(3);
    expect(sms.size).toBe(3);
  }, 120_000);
});

describe("chat attachments", () => {
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 1, 2, 3]);

  it("keeps an upload its message names and deletes one that does not match", async () => {
    const { bookingId, rider } = await assignedTrip();
    const messageId = uniqueId("m");
    const path = `chats/${bookingId}/${messageId}/photo.jpg`;
    await setDoc(doc(rider.db, `chats/${bookingId}/messages/${messageId}`), {
      senderId: rider.uid, createdAt: serverTimestamp(), attachment: { path, contentType: "image/jpeg", size: jpeg.length, name: "photo.jpg" },
    });
    await uploadBytes(ref(rider.storage, path), jpeg, { contentType: "image/jpeg" });

    // A second message claims 1 byte but the file uploaded under its path is larger: the trigger deletes it.
    const lyingId = uniqueId("m");
    const lyingPath = `chats/${bookingId}/${lyingId}/photo.jpg`;
    await setDoc(doc(rider.db, `chats/${bookingId}/messages/${lyingId}`), {
      senderId: rider.uid, createdAt: serverTimestamp(), attachment: { path: lyingPath, contentType: "image/jpeg", size: 1, name: "photo.jpg" },
    });
    await uploadBytes(ref(rider.storage, lyingPath), jpeg, { contentType: "image/jpeg" });

    const { getStorage } = await import("firebase-admin/storage");
    const { adminApp } = await import("../helpers/admin");
    const bucket = getStorage(adminApp()).bucket();
    await waitFor(async () => (await bucket.file(lyingPath).exists())[0], (exists) => !exists, { what: "the mismatched upload to be deleted" });
    expect((await bucket.file(path).exists())[0]).toBe(true);
    expect(await verifyChatUpload({ name: path, bucket: bucket.name, size: jpeg.length, contentType: "image/jpeg" }, true)).toBe("kept");
  });

  it("deletes an orphan upload once its grace period is over", async () => {
    const { bookingId, rider } = await assignedTrip();
    const orphanPath = `chats/${bookingId}/${uniqueId("m")}/orphan.jpg`;
    await uploadBytes(ref(rider.storage, orphanPath), jpeg, { contentType: "image/jpeg" });
    const { getStorage } = await import("firebase-admin/storage");
    const { adminApp } = await import("../helpers/admin");
    const bucket = getStorage(adminApp()).bucket();
    expect((await bucket.file(orphanPath).exists())[0]).toBe(true);
    expect(await verifyChatUpload({ name: orphanPath, bucket: bucket.name, size: jpeg.length, contentType: "image/jpeg" }, true)).toBe("deleted");
    expect((await bucket.file(orphanPath).exists())[0]).toBe(false);
  });
});

