// Attack suite: chats, chats/{chatId}/messages.
import { doc, setDoc, Timestamp, type Firestore } from "firebase/firestore";
import { describe } from "vitest";
import { attackTable, payloadAttacks, people, printAttackCounts, strangers, unauthenticated, type Attack } from "../../helpers/attackSuite";
import { useRulesEnv } from "../../helpers/rules";
import { ago, chat, DRIVER, now, RIDER } from "../../helpers/rulesFixtures";

const { rider, otherRider, driver, otherDriver, driverWithoutRole, admin, mallory } = people;
const MiB = 1024 * 1024;
const readReceipt = () => ({ unread: { [RIDER]: 0, [DRIVER]: 0 }, lastReadAt: { [RIDER]: now() } });
const text = () => ({ senderId: RIDER, text: "On my way", createdAt: now() });
const photo = (messageId: string) => ({
  senderId: DRIVER, createdAt: now(), attachment: { path: `chats/b1/${messageId}/photo.jpg`, contentType: "image/jpeg", size: 1024, name: "photo.jpg" },
});

describe("attack suite: chat", () => {
  const rules = useRulesEnv();
  printAttackCounts("chat");
  const seed = async (db: Firestore) => {
    // The trip's bookings (a trip chat's driver is checked against them): active, completed, cancelled by the
    // driver, back to searching without him, handed to another driver, cancelled by the rider.
    const booking = (id: string, extra: Record<string, unknown> = {}) => setDoc(doc(db, `bookings/${id}`), { status: "accepted", riderId: RIDER, driverId: DRIVER, ...extra });
    await booking("b1");
    await booking("b-done", { status: "completed" });
    await booking("b-driver-cancelled", { status: "cancelled", cancellation: { by: "driver", reason: "other" } });
    await booking("b-redispatched", { status: "searching", driverId: null });
    await booking("b-replaced", { driverId: otherDriver.uid });
    await booking("b-rider-cancelled", { status: "cancelled", cancellation: { by: "rider", reason: "other" } });
    for (const id of ["b-done", "b-driver-cancelled", "b-redispatched", "b-replaced", "b-rider-cancelled"]) {
      await setDoc(doc(db, `chats/${id}`), chat({ bookingId: id, closesAt: id === "b-done" || id === "b-rider-cancelled" ? Timestamp.fromMillis(Date.now() + 3_600_000) : null }));
      await setDoc(doc(db, `chats/${id}/messages/m0`), { senderId: RIDER, text: "Door code 4412", createdAt: ago(1000) });
    }
    await booking("b-throttled");
    await setDoc(doc(db, "chats/b-throttled"), chat({ bookingId: "b-throttled", sendWindow: { [RIDER]: { start: ago(1000), count: 20 } } }));
    await setDoc(doc(db, "chats/b1"), chat());
    await setDoc(doc(db, "chats/b-closed"), chat({ bookingId: "b-closed", closedAt: ago(1000) }));
    await setDoc(doc(db, "chats/b-expired"), chat({ bookingId: "b-expired", closesAt: ago(1000) }));
    await setDoc(doc(db, "chats/b1/messages/m0"), { senderId: DRIVER, text: "Here", createdAt: ago(1000) });
  };

  attackTable(rules, {
    collection: "chats/{chatId}",
    seed,
    controls: [
      { name: "a participant reads the chat", who: rider, op: { type: "get", path: "chats/b1" } },
      { name: "a participant lists their chats", who: driver, op: { type: "list", path: "chats", where: ["participants", "array-contains", DRIVER] } },
      { name: "support reads it", who: admin, op: { type: "get", path: "chats/b1" } },
      { name: "a participant marks it read", who: rider, op: { type: "update", path: "chats/b1", data: readReceipt() } },
      { name: "the driver reads the chat of the trip he completed", who: driver, op: { type: "get", path: "chats/b-done" } },
      { name: "the rider reads the chat of a trip she cancelled", who: rider, op: { type: "get", path: "chats/b-rider-cancelled" } },
    ],
    attacks: [
      ...unauthenticated("chats/b1", chat()),
      ...strangers("other user's data", [otherRider, otherDriver, mallory], [
        { type: "get", path: "chats/b1" }, { type: "update", path: "chats/b1", data: { unread: { [RIDER]: 2, [DRIVER]: 0, [otherRider.uid]: 0 } } },
        { type: "list", path: "chats", where: ["participants", "array-contains", RIDER] },
      ]),
      ...strangers("wrong role", [rider, driver], [{ type: "list", path: "chats" }]),
      ...strangers("server-only field", [rider, driver, admin], [
        { type: "create", path: "chats/b2", data: chat({ bookingId: "b2" }) },
        { type: "delete", path: "chats/b1" },
        { type: "update", path: "chats/b1", data: { participants: [RIDER, DRIVER, mallory.uid] } },
        { type: "update", path: "chats/b1", data: { closedAt: null, closesAt: Timestamp.fromMillis(Date.now() + 1e12) } },
        { type: "update", path: "chats/b1", data: { lastMessage: { messageId: "x", senderId: DRIVER, preview: "Pay me in cash", hasAttachment: false, createdAt: now() } } },
      ]),
      { kind: "other user's data", name: "the rider clears the driver's unread count", who: rider, op: { type: "update", path: "chats/b1", data: { unread: { [RIDER]: 0, [DRIVER]: 5 } } } },
      { kind: "other user's data", name: "the rider stamps the driver's lastReadAt", who: rider, op: { type: "update", path: "chats/b1", data: { unread: { [RIDER]: 0, [DRIVER]: 0 }, lastReadAt: { [DRIVER]: now() } } } },
      { kind: "wrong role", name: "support marks the chat read for the rider", who: admin, op: { type: "update", path: "chats/b1", data: readReceipt() } },
      ...["b-driver-cancelled", "b-redispatched", "b-replaced", "b-rider-cancelled"].flatMap((id): Attack[] => [
        { kind: "illegal transition", name: `a driver no longer on the trip (${id}) reads its chat`, who: driver, op: { type: "get", path: `chats/${id}` } },
        { kind: "illegal transition", name: `a driver no longer on the trip (${id}) marks its chat read`, who: driver, op: { type: "update", path: `chats/${id}`, data: { unread: { [RIDER]: 2, [DRIVER]: 0 } } } },
      ]),
      { kind: "wrong role", name: "the driver's uid without the role reads the chat", who: driverWithoutRole, op: { type: "get", path: "chats/b1" } },
      ...payloadAttacks({
        who: rider, type: "update", path: "chats/b1", valid: readReceipt(),
        badValues: { [`unread.${RIDER}`]: [3, -1, 1e308] },
        serverFields: { participants: [RIDER], riderId: otherRider.uid, anonymisedAt: now(), sendWindow: {}, notifiedAt: { [RIDER]: now() } },
      }),
    ],
  });

  attackTable(rules, {
    collection: "chats/{chatId}/messages/{messageId}",
    seed,
    controls: [
      { name: "the rider sends a text", who: rider, op: { type: "create", path: "chats/b1/messages/m1", data: text() } },
      { name: "the driver sends a photo", who: driver, op: { type: "create", path: "chats/b1/messages/m2", data: photo("m2") } },
      { name: "a participant reads the messages", who: rider, op: { type: "list", path: "chats/b1/messages" } },
      { name: "support reads them", who: admin, op: { type: "get", path: "chats/b1/messages/m0" } },
      { name: "the driver reads the chat of the trip he completed", who: driver, op: { type: "list", path: "chats/b-done/messages" } },
      { name: "the driver writes in it before it closes", who: driver, op: { type: "create", path: "chats/b-done/messages/m1", data: { ...text(), senderId: DRIVER } } },
      { name: "the other participant of a throttled chat still sends", who: driver, op: { type: "create", path: "chats/b-throttled/messages/m1", data: { ...text(), senderId: DRIVER } } },
    ],
    attacks: [
      ...unauthenticated("chats/b1/messages/m0", text()),
      ...strangers("other user's data", [otherRider, otherDriver, mallory], [
        { type: "get", path: "chats/b1/messages/m0" }, { type: "list", path: "chats/b1/messages" },
        { type: "create", path: "chats/b1/messages/m9", data: text() },
      ]),
      { kind: "wrong role", name: "support posts in the chat without joining", who: admin, op: { type: "create", path: "chats/b1/messages/m9", data: { ...text(), senderId: admin.uid } } },
      { kind: "forged id", name: "the driver (token without the role) posts as the rider", who: driverWithoutRole, op: { type: "create", path: "chats/b1/messages/m9", data: text() } },
      { kind: "forged id", name: "the rider posts as the driver", who: rider, op: { type: "create", path: "chats/b1/messages/m9", data: { ...text(), senderId: DRIVER } } },
      { kind: "illegal transition", name: "a message in a closed chat", who: rider, op: { type: "create", path: "chats/b-closed/messages/m1", data: text() } },
      { kind: "illegal transition", name: "a message after the chat's closing time", who: rider, op: { type: "create", path: "chats/b-expired/messages/m1", data: text() } },
      { kind: "illegal transition", name: "a message beyond the sender's rate limit (20 a minute)", who: rider, op: { type: "create", path: "chats/b-throttled/messages/m1", data: text() } },
      ...["b-driver-cancelled", "b-redispatched", "b-replaced", "b-rider-cancelled"].flatMap((id): Attack[] => [
        { kind: "illegal transition", name: `a driver no longer on the trip (${id}) reads a message`, who: driver, op: { type: "get", path: `chats/${id}/messages/m0` } },
        { kind: "illegal transition", name: `a driver no longer on the trip (${id}) lists the messages`, who: driver, op: { type: "list", path: `chats/${id}/messages` } },
        { kind: "illegal transition", name: `a driver no longer on the trip (${id}) posts`, who: driver, op: { type: "create", path: `chats/${id}/messages/m1`, data: { ...text(), senderId: DRIVER } } },
      ]),
      ...strangers("illegal transition", [rider, driver, admin], [
        { type: "update", path: "chats/b1/messages/m0", data: { text: "edited" } },
        { type: "delete", path: "chats/b1/messages/m0" },
      ]),
      { kind: "missing field", name: "neither text nor attachment", who: rider, op: { type: "create", path: "chats/b1/messages/m1", data: { senderId: RIDER, createdAt: now() } } },
      ...payloadAttacks({
        who: rider, type: "create", path: "chats/b1/messages/m1", valid: text(),
        required: ["senderId", "createdAt"], maxLength: { text: 2000 }, badValues: { text: [""] },
        serverFields: { readBy: [DRIVER], flagged: false },
        forgedIds: { senderId: otherRider.uid },
      }),
      ...payloadAttacks({
        who: driver, type: "create", path: "chats/b1/messages/m2", valid: photo("m2"),
        required: ["attachment.path", "attachment.contentType", "attachment.size", "attachment.name"],
        maxLength: { "attachment.name": 200 },
        badValues: {
          "attachment.path": ["chats/b1/m1/photo.jpg", "chats/b2/m2/photo.jpg", "users/rita/profile/photo.jpg", ""],
          "attachment.contentType": ["text/html", "image/svg+xml", "application/x-msdownload", ""],
          "attachment.size": [0, -1, 10 * MiB + 1, 1e308, 1.5],
          "attachment.name": ["", "../photo.jpg", "a/b.jpg"],
        },
      }),
    ],
  });
});
