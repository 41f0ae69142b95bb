// Attack suite: storage.rules (profile photos, licence documents, chat attachments, report exports).
import { assertFails, assertSucceeds } from "@firebase/rules-unit-testing";
import { Timestamp as AdminTimestamp } from "firebase-admin/firestore";
import { deleteObject, getBytes, ref, updateMetadata, uploadBytes, type FirebaseStorage } from "firebase/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminDb } from "../../helpers/admin";
import { ANONYMOUS, people, printAttackCounts, recordAttacks, type AttackKind, type Who } from "../../helpers/attackSuite";
import { uniqueId } from "../../helpers/clients";
import { useRulesEnv } from "../../helpers/rules";
import { chat, DRIVER, RIDER } from "../../helpers/rulesFixtures";

const { rider, otherRider, driver, otherDriver, admin, mallory } = people;
const MiB = 1024 * 1024;
const small = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);

type StorageOp =
  | { type: "upload"; path: string; contentType: string; bytes?: Uint8Array }
  | { type: "read" | "delete"; path: string }
  | { type: "metadata"; path: string; contentType: string };
interface StorageAttack { kind: AttackKind; name: string; who: Who; op: StorageOp }
interface StorageControl { name: string; who: Who; op: StorageOp }

describe("attack suite: storage", () => {
  const rules = useRulesEnv({ storage: true });
  printAttackCounts("storage");
  const storageOf = (who: Who): FirebaseStorage =>
    (who.uid === null ? rules.env().unauthenticatedContext().storage() : rules.storageAs!(who.uid, who.claims ?? {})) as unknown as FirebaseStorage;
  const run = (storage: FirebaseStorage, op: StorageOp): Promise<unknown> => {
    const target = ref(storage, op.path);
    if (op.type === "upload") return uploadBytes(target, op.bytes ?? small, { contentType: op.contentType });
    if (op.type === "read") return getBytes(target);
    if (op.type === "metadata") return updateMetadata(target, { contentType: op.contentType });
    return deleteObject(target);
  };
  const seedFiles = (paths: Array<[string, string]>) =>
    rules.env().withSecurityRulesDisabled(async (context) => {
      for (const [path, contentType] of paths) await uploadBytes(ref(context.storage() as unknown as FirebaseStorage, path), small, { contentType });
    });

  function storageTable(collection: string, files: Array<[string, string]>, controls: StorageControl[], attacks: StorageAttack[]) {
    recordAttacks(collection, attacks.map((a) => a.kind));
    it(`${collection}: ${attacks.length} attacks denied, ${controls.length} controls allowed`, async () => {
      await seedFiles(files);
      const allowedAttacks: string[] = [];
      for (const attack of attacks) {
        await assertFails(run(storageOf(attack.who), attack.op)).catch(() => allowedAttacks.push(`[${attack.kind}] ${attack.name} (${attack.who.label})`));
      }
      expect(allowedAttacks, "attacks that were not denied").toEqual([]);
      for (const control of controls) {
        await rules.env().clearStorage();
        await seedFiles(files);
        await assertSucceeds(run(storageOf(control.who), control.op)).catch((error: unknown) => {
          throw new Error(`control "${control.name}" was denied: ${String(error)}`);
        });
      }
    }, 120_000);
  }
  const attack = (kind: AttackKind, name: string, who: Who, op: StorageOp): StorageAttack => ({ kind, name, who, op });

  // ---------- users/{uid}/profile/{fileName} ----------
  const PHOTO = `users/${RIDER}/profile/me.jpg`;
  storageTable("storage: users/{uid}/profile/{fileName}", [[PHOTO, "image/jpeg"]], [
    { name: "the owner uploads a photo", who: rider, op: { type: "upload", path: `users/${RIDER}/profile/new.png`, contentType: "image/png" } },
    { name: "another signed-in user sees it", who: otherRider, op: { type: "read", path: PHOTO } },
    { name: "the owner deletes it", who: rider, op: { type: "delete", path: PHOTO } },
  ], [
    attack("unauthenticated", "read", ANONYMOUS, { type: "read", path: PHOTO }),
    attack("unauthenticated", "upload", ANONYMOUS, { type: "upload", path: PHOTO, contentType: "image/jpeg" }),
    attack("unauthenticated", "delete", ANONYMOUS, { type: "delete", path: PHOTO }),
    ...[otherRider, driver, admin, mallory].flatMap((who) => [
      attack("other user's data", "upload into another user's folder", who, { type: "upload", path: PHOTO, contentType: "image/jpeg" }),
      attack("other user's data", "delete another user's photo", who, { type: "delete", path: PHOTO }),
      attack("other user's data", "relabel another user's photo", who, { type: "metadata", path: PHOTO, contentType: "text/html" }),
    ]),
    ...["text/html", "image/svg+xml", "image/gif", "application/pdf", "image/jpeg2", "video/mp4"].map((contentType) =>
      attack("mistyped field", `a ${contentType} photo`, rider, { type: "upload", path: `users/${RIDER}/profile/x`, contentType })),
    attack("mistyped field", "relabel one's photo as HTML", rider, { type: "metadata", path: PHOTO, contentType: "text/html" }),
    attack("oversized value", "a photo over 5 MiB", rider, { type: "upload", path: `users/${RIDER}/profile/big.jpg`, contentType: "image/jpeg", bytes: new Uint8Array(5 * MiB + 1) }),
    attack("forged id", "a photo outside the profile folder", rider, { type: "upload", path: `users/${RIDER}/elsewhere/me.jpg`, contentType: "image/jpeg" }),
    attack("forged id", "a photo in a nested folder", rider, { type: "upload", path: `users/${RIDER}/profile/a/b.jpg`, contentType: "image/jpeg" }),
    attack("forged id", "a file at the bucket root", rider, { type: "upload", path: "me.jpg", contentType: "image/jpeg" }),
  ]);

  // ---------- users/{uid}/documents/{fileName} ----------
  const LICENCE = `users/${RIDER}/documents/licence.pdf`;
  storageTable("storage: users/{uid}/documents/{fileName}", [[LICENCE, "application/pdf"]], [
    { name: "the owner uploads a licence scan", who: rider, op: { type: "upload", path: `users/${RIDER}/documents/scan.png`, contentType: "image/png" } },
    { name: "the owner reads it", who: rider, op: { type: "read", path: LICENCE } },
    { name: "an admin reviews it", who: admin, op: { type: "read", path: LICENCE } },
  ], [
    attack("unauthenticated", "read", ANONYMOUS, { type: "read", path: LICENCE }),
    attack("unauthenticated", "upload", ANONYMOUS, { type: "upload", path: LICENCE, contentType: "application/pdf" }),
    ...[otherRider, driver, otherDriver, mallory].flatMap((who) => [
      attack("other user's data", "read another user's licence", who, { type: "read", path: LICENCE }),
      attack("other user's data", "upload into another user's documents", who, { type: "upload", path: LICENCE, contentType: "application/pdf" }),
      attack("other user's data", "delete another user's licence", who, { type: "delete", path: LICENCE }),
    ]),
    attack("wrong role", "an admin replaces a licence scan", admin, { type: "upload", path: LICENCE, contentType: "application/pdf" }),
    attack("wrong role", "an admin deletes a licence scan", admin, { type: "delete", path: LICENCE }),
    ...["application/zip", "text/html", "application/x-msdownload", "image/svg+xml"].map((contentType) =>
      attack("mistyped field", `a ${contentType} document`, rider, { type: "upload", path: `users/${RIDER}/documents/x`, contentType })),
    attack("oversized value", "a document over 10 MiB", rider, { type: "upload", path: `users/${RIDER}/documents/big.pdf`, contentType: "application/pdf", bytes: new Uint8Array(10 * MiB + 1) }),
  ]);

  // ---------- chats/{chatId}/{messageId}/{fileName} ----------
  // Storage rules read the chat from the emulator's main project (firestore.get): the chats live there.
  const chatId = uniqueId("attack-chat");
  const closedId = `${chatId}-closed`;
  const expiredId = `${chatId}-expired`;
  const cancelledId = `${chatId}-driver-cancelled`;
  const redispatchedId = `${chatId}-redispatched`;
  // Each chat with its booking (no riderId: the chat trigger leaves these fixtures alone). The driver's access
  // rests on the booking naming him and not being cancelled.
  const mainChats: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
    [chatId, {}, { status: "accepted", driverId: DRIVER }],
    [closedId, { closedAt: AdminTimestamp.now() }, { status: "completed", driverId: DRIVER }],
    [expiredId, { closesAt: AdminTimestamp.fromMillis(Date.now() - 1000) }, { status: "completed", driverId: DRIVER }],
    [cancelledId, {}, { status: "cancelled", driverId: DRIVER }],
    [redispatchedId, {}, { status: "accepted", driverId: otherDriver.uid }],
  ];
  const seedMainChats = async () => {
    for (const [id, chatFields, booking] of mainChats) {
      await adminDb().doc(`bookings/${id}`).set(booking);
      await adminDb().doc(`chats/${id}`).set(chat({ bookingId: id, createdAt: AdminTimestamp.now(), ...chatFields }));
    }
  };
  afterAll(async () => {
    for (const [id] of mainChats) {
      await adminDb().doc(`chats/${id}`).delete();
      await adminDb().doc(`bookings/${id}`).delete();
    }
  });
  const ATTACHMENT = `chats/${chatId}/m0/photo.jpg`;
  beforeAll(seedMainChats);
  const CANCELLED_FILE = `chats/${cancelledId}/m0/photo.jpg`;
  const REDISPATCHED_FILE = `chats/${redispatchedId}/m0/photo.jpg`;
  storageTable("storage: chats/{chatId}/{messageId}/{fileName}", [[ATTACHMENT, "image/jpeg"], [CANCELLED_FILE, "image/jpeg"], [REDISPATCHED_FILE, "image/jpeg"]], [
    { name: "a participant attaches a photo", who: rider, op: { type: "upload", path: `chats/${chatId}/m1/photo.jpg`, contentType: "image/jpeg" } },
    { name: "the trip's driver attaches a photo", who: driver, op: { type: "upload", path: `chats/${chatId}/m2/photo.jpg`, contentType: "image/jpeg" } },
    { name: "the other participant opens it", who: driver, op: { type: "read", path: ATTACHMENT } },
    { name: "the rider still opens files of a chat whose driver cancelled", who: rider, op: { type: "read", path: CANCELLED_FILE } },
  ], [
    attack("illegal transition", "attach after the chat's closing time", rider, { type: "upload", path: `chats/${expiredId}/m1/x.jpg`, contentType: "image/jpeg" }),
    ...[[cancelledId, CANCELLED_FILE], [redispatchedId, REDISPATCHED_FILE]].flatMap(([id, file]) => [
      attack("illegal transition", `a driver no longer on the trip (${id}) opens its file`, driver, { type: "read", path: file! }),
      attack("illegal transition", `a driver no longer on the trip (${id}) attaches a file`, driver, { type: "upload", path: `chats/${id}/m1/x.jpg`, contentType: "image/jpeg" }),
    ]),
    attack("wrong role", "the driver's uid without the role opens a file", { ...driver, claims: {}, label: "the driver's uid without the role" }, { type: "read", path: ATTACHMENT }),
    attack("unauthenticated", "read", ANONYMOUS, { type: "read", path: ATTACHMENT }),
    attack("unauthenticated", "upload", ANONYMOUS, { type: "upload", path: `chats/${chatId}/m1/x.jpg`, contentType: "image/jpeg" }),
    ...[otherRider, otherDriver, admin, mallory].flatMap((who) => [
      attack("other user's data", "read a chat's attachment", who, { type: "read", path: ATTACHMENT }),
      attack("other user's data", "attach to someone else's chat", who, { type: "upload", path: `chats/${chatId}/m1/x.jpg`, contentType: "image/jpeg" }),
    ]),
    attack("illegal transition", "attach to a closed chat", rider, { type: "upload", path: `chats/${closedId}/m1/x.jpg`, contentType: "image/jpeg" }),
    attack("forged id", "attach to a chat that does not exist", rider, { type: "upload", path: `chats/${chatId}-nope/m1/x.jpg`, contentType: "image/jpeg" }),
    attack("illegal transition", "replace an existing attachment", driver, { type: "upload", path: ATTACHMENT, contentType: "image/jpeg" }),
    attack("illegal transition", "delete an attachment", rider, { type: "delete", path: ATTACHMENT }),
    ...["text/html", "application/x-msdownload", "image/svg+xml", "application/zip"].map((contentType) =>
      attack("mistyped field", `a ${contentType} attachment`, rider, { type: "upload", path: `chats/${chatId}/m2/x`, contentType })),
    attack("oversized value", "an attachment over 10 MiB", rider, { type: "upload", path: `chats/${chatId}/m3/big.jpg`, contentType: "image/jpeg", bytes: new Uint8Array(10 * MiB + 1) }),
  ]);

  // ---------- deliveries/{bookingId}/{fileName} (proof of delivery) ----------
  // The bookings live in the main project (firestore.get), like the chats above. No riderId on the "stranger"
  // bookings' trips matters: the driver's access rests on driverId, the status and the service type.
  const deliveryId = uniqueId("attack-delivery");
  const deliveryBookings: Array<[string, Record<string, unknown>]> = [
    [deliveryId, { status: "in_progress", serviceType: "delivery", riderId: RIDER, driverId: DRIVER }],
    [`${deliveryId}-arrived`, { status: "arrived", serviceType: "delivery", riderId: RIDER, driverId: DRIVER }],
    [`${deliveryId}-completed`, { status: "completed", serviceType: "delivery", riderId: RIDER, driverId: DRIVER }],
    [`${deliveryId}-ride`, { status: "in_progress", serviceType: "ride", riderId: RIDER, driverId: DRIVER }],
    [`${deliveryId}-other`, { status: "in_progress", serviceType: "delivery", riderId: RIDER, driverId: otherDriver.uid }],
  ];
  beforeAll(async () => {
    for (const [id, booking] of deliveryBookings) await adminDb().doc(`bookings/${id}`).set(booking);
  });
  afterAll(async () => {
    for (const [id] of deliveryBookings) await adminDb().doc(`bookings/${id}`).delete();
  });
  const PROOF = `deliveries/${deliveryId}/proof.jpg`;
  const proofUpload = (id: string, contentType = "image/jpeg", name = "new.jpg", bytes?: Uint8Array): StorageOp =>
    ({ type: "upload", path: `deliveries/${id}/${name}`, contentType, ...(bytes ? { bytes } : {}) });
  storageTable("storage: deliveries/{bookingId}/{fileName}", [[PROOF, "image/jpeg"]], [
    { name: "the assigned driver uploads a JPEG proof photo", who: driver, op: proofUpload(deliveryId) },
    { name: "the assigned driver uploads a PNG", who: driver, op: proofUpload(deliveryId, "image/png", "b.png") },
    { name: "a WebP too", who: driver, op: proofUpload(deliveryId, "image/webp", "c.webp") },
    { name: "the sender (the booking's rider) sees the photo", who: rider, op: { type: "read", path: PROOF } },
    { name: "the driver sees it", who: driver, op: { type: "read", path: PROOF } },
    { name: "an admin sees it", who: admin, op: { type: "read", path: PROOF } },
  ], [
    attack("unauthenticated", "read", ANONYMOUS, { type: "read", path: PROOF }),
    attack("unauthenticated", "upload", ANONYMOUS, proofUpload(deliveryId)),
    ...[otherRider, otherDriver, mallory].flatMap((who) => [
      attack("other user's data", "see another delivery's proof", who, { type: "read", path: PROOF }),
      attack("other user's data", "upload proof for another driver's delivery", who, proofUpload(deliveryId)),
    ]),
    attack("wrong role", "the sender uploads the proof herself", rider, proofUpload(deliveryId)),
    attack("wrong role", "an admin uploads proof", admin, proofUpload(deliveryId)),
    attack("wrong role", "the driver's uid without the role uploads", { ...driver, claims: {}, label: "the driver's uid without the role" }, proofUpload(deliveryId)),
    attack("other user's data", "the driver uploads to a delivery reassigned to another driver", driver, proofUpload(`${deliveryId}-other`)),
    attack("illegal transition", "proof before pickup (arrived)", driver, proofUpload(`${deliveryId}-arrived`)),
    attack("illegal transition", "proof after completion", driver, proofUpload(`${deliveryId}-completed`)),
    attack("illegal transition", "proof on a ride", driver, proofUpload(`${deliveryId}-ride`)),
    attack("forged id", "proof for a booking that does not exist", driver, proofUpload(`${deliveryId}-nope`)),
    attack("illegal transition", "replace the proof photo", driver, { type: "upload", path: PROOF, contentType: "image/jpeg" }),
    attack("illegal transition", "delete the proof photo", driver, { type: "delete", path: PROOF }),
    attack("illegal transition", "relabel the proof photo", driver, { type: "metadata", path: PROOF, contentType: "text/html" }),
    attack("forged id", "a nested path", driver, { type: "upload", path: `deliveries/${deliveryId}/a/b.jpg`, contentType: "image/jpeg" }),
    ...["image/gif", "image/svg+xml", "image/heic", "application/pdf", "text/html", "video/mp4", "image/jpeg2"].map((contentType) =>
      attack("mistyped field", `a ${contentType} proof`, driver, proofUpload(deliveryId, contentType, "x"))),
    attack("oversized value", "a proof photo over 5 MiB", driver, proofUpload(deliveryId, "image/jpeg", "big.jpg", new Uint8Array(5 * MiB + 1))),
    attack("oversized value", "an empty proof photo", driver, proofUpload(deliveryId, "image/jpeg", "empty.jpg", new Uint8Array(0))),
  ]);

  // ---------- reports/** ----------
  const REPORT = "reports/rep1.csv";
  storageTable("storage: reports/**", [[REPORT, "text/csv"]], [
    { name: "an admin downloads an export", who: admin, op: { type: "read", path: REPORT } },
  ], [
    attack("unauthenticated", "read", ANONYMOUS, { type: "read", path: REPORT }),
    ...[rider, driver, mallory].map((who) => attack("wrong role", "download an export", who, { type: "read", path: REPORT })),
    ...[rider, driver, admin].flatMap((who) => [
      attack("server-only field", "write an export", who, { type: "upload", path: "reports/forged.csv", contentType: "text/csv" }),
      attack("server-only field", "overwrite an export", who, { type: "upload", path: REPORT, contentType: "text/csv" }),
      attack("server-only field", "delete an export", who, { type: "delete", path: REPORT }),
    ]),
  ]);
});
