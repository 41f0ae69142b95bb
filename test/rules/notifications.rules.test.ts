import { addDoc, collection, deleteDoc, doc, getDoc, getDocs, serverTimestamp, setDoc, Timestamp, updateDoc } from "firebase/firestore";
import { describe, it } from "vitest";
import { allowed, denied, useRulesEnv } from "../helpers/rules";

describe("rules: notifications", () => {
  const rules = useRulesEnv();
  const device = (overrides: Record<string, unknown> = {}) => ({ fcmToken: "token-1", platform: "ios", updatedAt: serverTimestamp(), ...overrides });
  const inboxEntry = { title: "Trip started", body: "Have a good ride!", category: "trip", template: "trip_started", data: { bookingId: "b1" }, createdAt: Timestamp.now() };

  describe("users/{uid}/devices", () => {
    it("lets the owner register, refresh, read and remove a device", async () => {
      const db = rules.as("alice");
      await allowed(setDoc(doc(db, "users/alice/devices/phone"), device()));
      await allowed(setDoc(doc(db, "users/alice/devices/phone"), device({ fcmToken: "token-2", platform: "android" })));
      await allowed(getDoc(doc(db, "users/alice/devices/phone")));
      await allowed(getDocs(collection(db, "users/alice/devices")));
      await allowed(setDoc(doc(db, "users/alice/devices/browser"), device({ platform: "web" })));
      await allowed(deleteDoc(doc(db, "users/alice/devices/phone")));
    });

    it("denies other users and anonymous clients", async () => {
      await rules.seed((db) => setDoc(doc(db, "users/alice/devices/phone"), { fcmToken: "t", platform: "ios", updatedAt: Timestamp.now() }));
      await denied(setDoc(doc(rules.as("bob"), "users/alice/devices/phone"), device()));
      await denied(getDoc(doc(rules.as("bob"), "users/alice/devices/phone")));
      await denied(deleteDoc(doc(rules.as("bob"), "users/alice/devices/phone")));
      await denied(setDoc(doc(rules.anonymous(), "users/alice/devices/x"), device()));
      await denied(getDoc(doc(rules.as("root", { role: "admin" }), "users/alice/devices/phone")));
    });

    it("denies invalid fields: unknown platform, empty or huge token, wrong time, extra or missing fields", async () => {
      const db = rules.as("alice");
      const ref = doc(db, "users/alice/devices/phone");
      await denied(setDoc(ref, device({ platform: "windows" })));
      await denied(setDoc(ref, device({ fcmToken: "" })));
      await denied(setDoc(ref, device({ fcmToken: 42 })));
      await denied(setDoc(ref, device({ fcmToken: "x".repeat(4097) })));
      await denied(setDoc(ref, device({ updatedAt: Timestamp.fromMillis(0) })));
      await denied(setDoc(ref, device({ owner: "alice" })));
      await denied(setDoc(ref, { fcmToken: "t", platform: "ios" }));
      await rules.seed((admin) => setDoc(doc(admin, "users/alice/devices/phone"), { fcmToken: "t", platform: "ios", updatedAt: Timestamp.now() }));
      await denied(updateDoc(ref, { platform: "symbian", updatedAt: serverTimestamp() }));
      await denied(updateDoc(ref, { fcmToken: "t2" })); // updatedAt must be refreshed
    });
  });

  describe("users/{uid}/notifications (inbox)", () => {
    it("lets the owner read the inbox and mark an entry read now", async () => {
      await rules.seed((db) => setDoc(doc(db, "users/alice/notifications/n1"), inboxEntry));
      const db = rules.as("alice");
      await allowed(getDoc(doc(db, "users/alice/notifications/n1")));
      await allowed(getDocs(collection(db, "users/alice/notifications")));
      await allowed(updateDoc(doc(db, "users/alice/notifications/n1"), { readAt: serverTimestamp() }));
    });

    it("denies other users, other fields, back-dated reads, creating and deleting entries", async () => {
      await rules.seed((db) => setDoc(doc(db, "users/alice/notifications/n1"), inboxEntry));
      const alice = rules.as("alice");
      await denied(getDoc(doc(rules.as("bob"), "users/alice/notifications/n1")));
      await denied(updateDoc(doc(rules.as("bob"), "users/alice/notifications/n1"), { readAt: serverTimestamp() }));
      await denied(getDoc(doc(rules.anonymous(), "users/alice/notifications/n1")));
      await denied(updateDoc(doc(alice, "users/alice/notifications/n1"), { readAt: Timestamp.fromMillis(0) }));
      await denied(updateDoc(doc(alice, "users/alice/notifications/n1"), { readAt: serverTimestamp(), title: "forged" }));
      await denied(setDoc(doc(alice, "users/alice/notifications/n2"), { ...inboxEntry, createdAt: serverTimestamp() }));
      await denied(deleteDoc(doc(alice, "users/alice/notifications/n1")));
    });
  });

  describe("mail, messages and the server's bookkeeping", () => {
    it("are closed to every client, admins included", async () => {
      await rules.seed(async (db) => {
        await setDoc(doc(db, "mail/m1"), { to: "alice@example.com", message: { subject: "s", text: "t", html: "h" } });
        await setDoc(doc(db, "messages/s1"), { to: "+351910000000", body: "b" });
      });
      for (const db of [rules.as("alice"), rules.as("root", { role: "admin" }), rules.anonymous()]) {
        await denied(getDoc(doc(db, "mail/m1")));
        await denied(addDoc(collection(db, "mail"), { to: "victim@example.com", message: { subject: "s", text: "t" } }));
        await denied(updateDoc(doc(db, "mail/m1"), { to: "x@example.com" }));
        await denied(getDoc(doc(db, "messages/s1")));
        await denied(addDoc(collection(db, "messages"), { to: "+351910000000", body: "spam" }));
        await denied(deleteDoc(doc(db, "messages/s1")));
      }
      await denied(getDocs(collection(rules.as("alice"), "notificationKeys")));
      await denied(getDocs(collection(rules.as("alice"), "deferredNotifications")));
      await denied(getDocs(collection(rules.as("alice"), "_test/pushOutbox/items")));
    });
  });
});
