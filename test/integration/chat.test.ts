import {
  addDoc, collection, disableNetwork, doc, enableNetwork, getDocs, limit, onSnapshot, orderBy, query,
  serverTimestamp, setDoc, startAfter, updateDoc, type QueryDocumentSnapshot,
} from "firebase/firestore";
import { ref, uploadBytes } from "firebase/storage";
import { Timestamp } from "firebase-admin/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminDb, waitFor, waitForDoc } from "../helpers/admin";
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
  await waitForDoc(`chats/${bookingId}`, (chat) => Array.isArray(chat?.participants), "the trip chat to open");
  return { bookingId, rider, driver };
}

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

    // The other side is notified through the notifications module (in-app inbox entry per message).
    const inbox = await waitFor(
      async () => (await adminDb().collection(`users/${driver.uid}/notifications`).where("category", "==", "chat").get()).docs.map((d) => d.data()),
      (entries) => entries.length === 2,
      { what: "two chat notifications in the driver's inbox" },
    );
    expect(inbox.map((n) => n.data.chatId)).toEqual([bookingId, bookingId]);
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

