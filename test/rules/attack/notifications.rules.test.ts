// Attack suite: users/{uid}/devices, users/{uid}/notifications (inbox), mail, messages, and the server-only
// notificationKeys, deferredNotifications and _test/pushOutbox.
import { doc, setDoc, Timestamp } from "firebase/firestore";
import { describe } from "vitest";
import { attackTable, payloadAttacks, people, printAttackCounts, serverOwned, strangers, unauthenticated, type Who } from "../../helpers/attackSuite";
import { useRulesEnv } from "../../helpers/rules";
import { ago, now, RIDER } from "../../helpers/rulesFixtures";

const { rider, otherRider, driver, admin, mallory } = people;
const device = () => ({ fcmToken: "fcm-token-1", platform: "ios", updatedAt: now() });
const inboxEntry = { title: "Trip started", body: "Have a good ride!", category: "trip", template: "trip_started", data: { bookingId: "b1" }, createdAt: ago(1000) };
const everyone: Array<["wrong role", Who]> = [rider, driver, admin].map((who): ["wrong role", Who] => ["wrong role", who]);

describe("attack suite: notifications", () => {
  const rules = useRulesEnv();
  printAttackCounts("notifications");

  attackTable(rules, {
    collection: "users/{uid}/devices/{deviceId}",
    seed: (db) => setDoc(doc(db, `users/${RIDER}/devices/phone`), { fcmToken: "t", platform: "ios", updatedAt: ago(1000) }),
    controls: [
      { name: "the owner registers a device", who: rider, op: { type: "create", path: `users/${RIDER}/devices/tablet`, data: device() } },
      { name: "the owner refreshes a token", who: rider, op: { type: "set", path: `users/${RIDER}/devices/phone`, data: device() } },
      { name: "the owner lists their devices", who: rider, op: { type: "list", path: `users/${RIDER}/devices` } },
      { name: "the owner removes one", who: rider, op: { type: "delete", path: `users/${RIDER}/devices/phone` } },
    ],
    attacks: [
      ...unauthenticated(`users/${RIDER}/devices/phone`, device()),
      ...strangers("other user's data", [otherRider, driver, admin, mallory], [
        { type: "get", path: `users/${RIDER}/devices/phone` }, { type: "list", path: `users/${RIDER}/devices` },
        { type: "set", path: `users/${RIDER}/devices/phone`, data: device() }, { type: "create", path: `users/${RIDER}/devices/evil`, data: device() },
        { type: "delete", path: `users/${RIDER}/devices/phone` },
      ]),
      ...payloadAttacks({
        who: rider, type: "create", path: `users/${RIDER}/devices/tablet`, valid: device(),
        required: ["fcmToken", "platform", "updatedAt"], maxLength: { fcmToken: 4096 },
        badValues: { fcmToken: [""], platform: ["windows", "", "IOS"], updatedAt: [Timestamp.fromMillis(0)] },
        serverFields: { owner: otherRider.uid, invalidAt: now() },
      }),
    ],
  });

  attackTable(rules, {
    collection: "users/{uid}/notifications/{notificationId}",
    seed: (db) => setDoc(doc(db, `users/${RIDER}/notifications/n1`), inboxEntry),
    controls: [
      { name: "the owner reads the inbox", who: rider, op: { type: "list", path: `users/${RIDER}/notifications` } },
      { name: "the owner marks one read", who: rider, op: { type: "update", path: `users/${RIDER}/notifications/n1`, data: { readAt: now() } } },
    ],
    attacks: [
      ...unauthenticated(`users/${RIDER}/notifications/n1`, inboxEntry),
      ...strangers("other user's data", [otherRider, driver, admin, mallory], [
        { type: "get", path: `users/${RIDER}/notifications/n1` }, { type: "list", path: `users/${RIDER}/notifications` },
        { type: "update", path: `users/${RIDER}/notifications/n1`, data: { readAt: now() } },
      ]),
      ...strangers("server-only field", [rider, admin], [
        { type: "create", path: `users/${RIDER}/notifications/n2`, data: { ...inboxEntry, title: "Your account is suspended" } },
        { type: "delete", path: `users/${RIDER}/notifications/n1` },
        { type: "set", path: `users/${RIDER}/notifications/n1`, data: { ...inboxEntry, title: "Edited", readAt: now() } },
      ]),
      ...payloadAttacks({
        who: rider, type: "update", path: `users/${RIDER}/notifications/n1`, valid: { readAt: now() },
        serverFields: { title: "edited", body: "x".repeat(100_000), category: "marketing", data: { bookingId: "b2" }, createdAt: now() },
      }),
    ],
  });

  for (const [collection, path, data] of [
    ["mail/{id}", "mail/m1", { to: "rita@example.com", message: { subject: "Receipt", html: "<p>1</p>" } }],
    ["messages/{id}", "messages/s1", { to: "+351910000501", body: "Your driver is here" }],
    ["notificationKeys/{key} (no rule)", "notificationKeys/k1", { createdAt: Timestamp.now() }],
    ["deferredNotifications/{id} (no rule)", "deferredNotifications/d1", { uid: RIDER, sendAfter: Timestamp.now() }],
    ["_test/pushOutbox (no rule)", "_test/pushOutbox", { messages: [] }],
  ] as const) {
    attackTable(rules, serverOwned({ collection, path, data, readers: [], deniedReaders: everyone, writers: [rider, driver, admin], tamper: { to: "attacker@example.com" } }));
  }
});
