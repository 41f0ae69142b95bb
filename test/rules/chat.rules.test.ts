import { addDoc, collection, deleteDoc, doc, getDoc, getDocs, serverTimestamp, setDoc, Timestamp, updateDoc } from "firebase/firestore";
import { ref, uploadBytes, getBytes } from "firebase/storage";
import { afterAll, describe, it } from "vitest";
import { Timestamp as AdminTimestamp } from "firebase-admin/firestore";
import { adminDb } from "../helpers/admin";
import { allowed, denied, useRulesEnv } from "../helpers/rules";

const RIDER = "rider-1";
const DRIVER = "driver-1";
const ADMIN = { role: "admin" };

function chatFixture(overrides: Record<string, unknown> = {}) {
  return {
    participants: [RIDER, DRIVER],
    bookingId: "b1",
    riderId: RIDER,
    driverId: DRIVER,
    lastMessage: null,
    unread: { [RIDER]: 2, [DRIVER]: 0 },
    createdAt: Timestamp.now(),
    closesAt: null,
    closedAt: null,
    ...overrides,
  };
}

/** The trip's booking as the server leaves it: assigned to DRIVER unless overridden. */
const bookingFixture = (overrides: Record<string, unknown> = {}) => ({ status: "accepted", riderId: RIDER, driverId: DRIVER, ...overrides });

describe("rules: chats and messages", () => {
  const rules = useRulesEnv();
  const seedChat = (overrides: Record<string, unknown> = {}, booking: Record<string, unknown> = {}) =>
    rules.seed(async (db) => {
      await setDoc(doc(db, "bookings/b1"), bookingFixture(booking));
      await setDoc(doc(db, "chats/b1"), chatFixture(overrides));
    });
  const asDriver = (uid = DRIVER) => rules.as(uid, { role: "driver" });
  const message = (uid: string, extra: Record<string, unknown> = {}) => ({ senderId: uid, text: "On my way", createdAt: serverTimestamp(), ...extra });
  const attachment = (messageId: string, extra: Record<string, unknown> = {}) => ({
    path: `chats/b1/${messageId}/photo.jpg`, contentType: "image/jpeg", size: 1024, name: "photo.jpg", ...extra,
  });

  it("participants and admins read the chat; outsiders do not", async () => {
    await seedChat();
    await allowed(getDoc(doc(rules.as(RIDER), "chats/b1")));
    await allowed(getDoc(doc(rules.as(DRIVER, { role: "driver" }), "chats/b1")));
    await allowed(getDoc(doc(rules.as("support", ADMIN), "chats/b1")));
    await denied(getDoc(doc(rules.as("rider-2"), "chats/b1")));
    await denied(getDoc(doc(rules.as("driver-2", { role: "driver" }), "chats/b1")));
    await denied(getDoc(doc(rules.anonymous(), "chats/b1")));
  });

  it("nobody creates or deletes a chat from a client", async () => {
    await denied(setDoc(doc(rules.as(RIDER), "chats/b2"), chatFixture({ bookingId: "b2" })));
    await seedChat();
    await denied(deleteDoc(doc(rules.as(RIDER), "chats/b1")));
    await denied(deleteDoc(doc(rules.as("support", ADMIN), "chats/b1")));
  });

  it("a participant marks the chat read for themself only", async () => {
    await seedChat();
    const db = rules.as(RIDER);
    await allowed(updateDoc(doc(db, "chats/b1"), { [`unread.${RIDER}`]: 0, [`lastReadAt.${RIDER}`]: serverTimestamp() }));
    await denied(updateDoc(doc(db, "chats/b1"), { [`unread.${DRIVER}`]: 0 }));
    await denied(updateDoc(doc(db, "chats/b1"), { [`unread.${RIDER}`]: 5 }));
    await denied(updateDoc(doc(db, "chats/b1"), { [`lastReadAt.${DRIVER}`]: serverTimestamp() }));
    await denied(updateDoc(doc(db, "chats/b1"), { [`lastReadAt.${RIDER}`]: Timestamp.fromMillis(0) }));
    await denied(updateDoc(doc(db, "chats/b1"), { participants: [RIDER, DRIVER, "rider-2"] }));
    await denied(updateDoc(doc(db, "chats/b1"), { closedAt: null, closesAt: Timestamp.now() }));
    await denied(updateDoc(doc(rules.as("rider-2"), "chats/b1"), { "unread.rider-2": 0 }));
  });

  it("participants send text and attachments in their own name", async () => {
    await seedChat();
    await allowed(addDoc(collection(rules.as(RIDER), "chats/b1/messages"), message(RIDER)));
    await allowed(setDoc(doc(rules.as(DRIVER, { role: "driver" }), "chats/b1/messages/m1"), message(DRIVER, { attachment: attachment("m1") })));
    await allowed(setDoc(doc(rules.as(RIDER), "chats/b1/messages/m2"), { senderId: RIDER, createdAt: serverTimestamp(), attachment: attachment("m2", { contentType: "application/pdf", name: "receipt.pdf", path: "chats/b1/m2/receipt.pdf" }) }));
  });

  it("denies impersonation, outsiders, bad shapes and sizes", async () => {
    await seedChat();
    const rider = rules.as(RIDER);
    const send = (data: Record<string, unknown>, db = rider, id = "m9") => setDoc(doc(db, `chats/b1/messages/${id}`), data);
    await denied(send(message(DRIVER)));
    await denied(send(message("rider-2"), rules.as("rider-2")));
    await denied(send(message(RIDER), rules.anonymous()));
    await denied(send(message(RIDER, { text: "x".repeat(2001) })));
    await denied(send(message(RIDER, { text: "" })));
    await denied(send(message(RIDER, { text: 42 })));
    await denied(send({ senderId: RIDER, createdAt: serverTimestamp() }));
    await denied(send(message(RIDER, { createdAt: Timestamp.fromMillis(0) })));
    await denied(send(message(RIDER, { priority: "high" })));
    await denied(send(message(RIDER, { attachment: attachment("m9", { path: "chats/other/m9/photo.jpg" }) })));
    await denied(send(message(RIDER, { attachment: attachment("m9", { path: "users/rider-1/photo.jpg" }) })));
    await denied(send(message(RIDER, { attachment: attachment("m9", { path: "chats/b1/m8/photo.jpg" }) })));
    await denied(send(message(RIDER, { attachment: attachment("m9", { contentType: "application/x-msdownload" }) })));
    await denied(send(message(RIDER, { attachment: attachment("m9", { size: 10 * 1024 * 1024 + 1 }) })));
    await denied(send(message(RIDER, { attachment: attachment("m9", { size: 0 }) })));
    await denied(send(message(RIDER, { attachment: attachment("m9", { extra: true }) })));
    await denied(send(message(RIDER, { attachment: { path: "chats/b1/m9/a.jpg", contentType: "image/jpeg", size: 1 } })));
    await denied(send(message(RIDER, { attachment: "chats/b1/m9/photo.jpg" })));
  });

  it("no writes to a closed chat or after its read-only time; allowed before it", async () => {
    await seedChat({ closesAt: Timestamp.fromMillis(Date.now() + 3_600_000) });
    await allowed(addDoc(collection(rules.as(RIDER), "chats/b1/messages"), message(RIDER)));
    await seedChat({ closesAt: Timestamp.fromMillis(Date.now() - 1000) });
    await denied(addDoc(collection(rules.as(RIDER), "chats/b1/messages"), message(RIDER)));
    await seedChat({ closedAt: Timestamp.now() });
    await denied(addDoc(collection(rules.as(RIDER), "chats/b1/messages"), message(RIDER)));
  });

  it("a driver whose booking was cancelled, re-dispatched or handed to another driver loses the chat at once", async () => {
    const seedMessage = () => rules.seed((db) => setDoc(doc(db, "chats/b1/messages/m1"), { senderId: RIDER, text: "Door code 4412", createdAt: Timestamp.now() }));
    const driverUses = async (expectAllowed: boolean) => {
      const check = expectAllowed ? allowed : denied;
      const db = asDriver();
      await check(getDoc(doc(db, "chats/b1")));
      await check(getDoc(doc(db, "chats/b1/messages/m1")));
      await check(getDocs(collection(db, "chats/b1/messages")));
      await check(addDoc(collection(db, "chats/b1/messages"), message(DRIVER)));
      await check(updateDoc(doc(db, "chats/b1"), { [`unread.${DRIVER}`]: 0 }));
    };
    // Legitimate twins: an active trip, and a completed one until the chat's closing time.
    await seedChat();
    await seedMessage();
    await driverUses(true);
    await seedChat({ closesAt: Timestamp.fromMillis(Date.now() + 3_600_000) }, { status: "completed" });
    await driverUses(true);
    // The driver cancelled (the booking still names him until the server re-dispatches it)…
    await seedChat({}, { status: "cancelled", cancellation: { by: "driver", reason: "other" } });
    await driverUses(false);
    // …the server sent it back to searching without him, or another driver took it…
    await seedChat({}, { status: "searching", driverId: null });
    await driverUses(false);
    await seedChat({}, { driverId: "driver-2" });
    await driverUses(false);
    // …or the rider cancelled: the rider keeps the chat until it closes, the driver does not.
    await seedChat({ closesAt: Timestamp.fromMillis(Date.now() + 3_600_000) }, { status: "cancelled", cancellation: { by: "rider", reason: "other" } });
    await driverUses(false);
    await allowed(getDoc(doc(rules.as(RIDER), "chats/b1/messages/m1")));
    await allowed(addDoc(collection(rules.as(RIDER), "chats/b1/messages"), message(RIDER)));
    // A driver uid without the driver role is not the trip's driver either.
    await seedChat();
    await denied(getDoc(doc(rules.as(DRIVER), "chats/b1")));
  });

  it("support staff who joined keep the chat whatever the booking says", async () => {
    await seedChat({ participants: [RIDER, "support"] }, { status: "searching", driverId: null });
    await allowed(addDoc(collection(rules.as("support", ADMIN), "chats/b1/messages"), message("support")));
    await allowed(updateDoc(doc(rules.as("support", ADMIN), "chats/b1"), { "unread.support": 0 }));
  });

  it("a sender whose rate-limit window is full is refused until the window ends", async () => {
    const full = { start: Timestamp.fromMillis(Date.now() - 1000), count: 20 };
    await seedChat({ sendWindow: { [RIDER]: full } });
    await denied(addDoc(collection(rules.as(RIDER), "chats/b1/messages"), message(RIDER)));
    // The other participant has a window of their own.
    await allowed(addDoc(collection(asDriver(), "chats/b1/messages"), message(DRIVER)));
    await seedChat({ sendWindow: { [RIDER]: { ...full, count: 19 } } });
    await allowed(addDoc(collection(rules.as(RIDER), "chats/b1/messages"), message(RIDER)));
    await seedChat({ sendWindow: { [RIDER]: { start: Timestamp.fromMillis(Date.now() - 61_000), count: 20 } } });
    await allowed(addDoc(collection(rules.as(RIDER), "chats/b1/messages"), message(RIDER)));
  });

  it("messages are read by participants and admins, and never edited or deleted", async () => {
    await seedChat();
    await rules.seed((db) => setDoc(doc(db, "chats/b1/messages/m1"), { senderId: RIDER, text: "hi", createdAt: Timestamp.now() }));
    await allowed(getDoc(doc(rules.as(DRIVER, { role: "driver" }), "chats/b1/messages/m1")));
    await allowed(getDoc(doc(rules.as("support", ADMIN), "chats/b1/messages/m1")));
    await denied(getDoc(doc(rules.as("rider-2"), "chats/b1/messages/m1")));
    await denied(updateDoc(doc(rules.as(RIDER), "chats/b1/messages/m1"), { text: "edited" }));
    await denied(updateDoc(doc(rules.as(DRIVER, { role: "driver" }), "chats/b1/messages/m1"), { text: "edited" }));
    await denied(deleteDoc(doc(rules.as(RIDER), "chats/b1/messages/m1")));
  });
});

describe("storage rules: chat attachments", () => {
  const rules = useRulesEnv({ storage: true });
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
  // Storage rules' firestore.get() reads the emulator's main project, so the chat and its booking live there.
  // Each test uploads to paths of its own: the emulator still sees a file cleared by clearStorage() as
  // existing, which `resource == null` would refuse.
  // The booking has no riderId, so the chat trigger leaves the seeded chat alone.
  const seedMainChat = async (overrides: Record<string, unknown> = {}, booking: Record<string, unknown> = {}) => {
    await adminDb().doc("bookings/b1").set({ status: "accepted", driverId: DRIVER, ...booking });
    await adminDb().doc("chats/b1").set(chatFixture({ createdAt: AdminTimestamp.now(), ...overrides }));
  };
  afterAll(async () => {
    await adminDb().doc("chats/b1").delete();
    await adminDb().doc("bookings/b1").delete();
  });

  it("participants upload images and PDFs to an open chat and read them; others cannot", async () => {
    await seedMainChat();
    const rider = rules.storageAs!(RIDER);
    await allowed(uploadBytes(ref(rider, "chats/b1/m1/photo.jpg"), jpeg, { contentType: "image/jpeg" }));
    await allowed(uploadBytes(ref(rider, "chats/b1/m2/doc.pdf"), jpeg, { contentType: "application/pdf" }));
    await allowed(getBytes(ref(rules.storageAs!(DRIVER, { role: "driver" }), "chats/b1/m1/photo.jpg")));
    await allowed(uploadBytes(ref(rules.storageAs!(DRIVER, { role: "driver" }), "chats/b1/m6/photo.jpg"), jpeg, { contentType: "image/jpeg" }));
    await denied(getBytes(ref(rules.storageAs!("rider-2"), "chats/b1/m1/photo.jpg")));
    await denied(uploadBytes(ref(rules.storageAs!("rider-2"), "chats/b1/m3/photo.jpg"), jpeg, { contentType: "image/jpeg" }));
    await denied(uploadBytes(ref(rider, "chats/b1/m4/script.exe"), jpeg, { contentType: "application/x-msdownload" }));
    await denied(uploadBytes(ref(rider, "chats/b1/m5/big.jpg"), new Uint8Array(10 * 1024 * 1024 + 1), { contentType: "image/jpeg" }));
    await denied(uploadBytes(ref(rider, "chats/unknown/m1/photo.jpg"), jpeg, { contentType: "image/jpeg" }));
  });

  it("no uploads once the chat is closed or past its closing time; allowed before it", async () => {
    await seedMainChat({ closesAt: AdminTimestamp.fromMillis(Date.now() + 3_600_000) });
    await allowed(uploadBytes(ref(rules.storageAs!(RIDER), "chats/b1/c1/photo.jpg"), jpeg, { contentType: "image/jpeg" }));
    await seedMainChat({ closesAt: AdminTimestamp.fromMillis(Date.now() - 1000) });
    await denied(uploadBytes(ref(rules.storageAs!(RIDER), "chats/b1/c2/photo.jpg"), jpeg, { contentType: "image/jpeg" }));
    await seedMainChat({ closedAt: AdminTimestamp.now() });
    await denied(uploadBytes(ref(rules.storageAs!(RIDER), "chats/b1/c3/photo.jpg"), jpeg, { contentType: "image/jpeg" }));
  });

  it("a driver who cancelled or was replaced neither reads nor uploads the chat's files", async () => {
    const driver = () => rules.storageAs!(DRIVER, { role: "driver" });
    await seedMainChat();
    await allowed(uploadBytes(ref(rules.storageAs!(RIDER), "chats/b1/d1/photo.jpg"), jpeg, { contentType: "image/jpeg" }));
    for (const booking of [{ status: "cancelled" }, { status: "searching", driverId: null }, { driverId: "driver-2" }]) {
      await seedMainChat({}, booking);
      await denied(getBytes(ref(driver(), "chats/b1/d1/photo.jpg")));
      await denied(uploadBytes(ref(driver(), "chats/b1/d7/photo.jpg"), jpeg, { contentType: "image/jpeg" }));
      await allowed(getBytes(ref(rules.storageAs!(RIDER), "chats/b1/d1/photo.jpg")));
    }
    await seedMainChat({ participants: [RIDER, DRIVER, "support"] }, { status: "searching", driverId: null });
    await allowed(getBytes(ref(rules.storageAs!("support", ADMIN), "chats/b1/d1/photo.jpg")));
  });
});
