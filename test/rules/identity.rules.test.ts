// storage.rules for users/{uid}/… (profile photos: owner writes images under 5 MiB, signed-in users read;
// licence documents: owner and admins only), then
// firestore.rules for users, drivers, vehicles (+ statusHistory) and vehicleCategories: every legitimate path allowed,
// and an attack suite of hostile requests, every one denied.
import {
  collection, deleteDoc, deleteField, doc, getDoc, getDocs, query, serverTimestamp, setDoc, Timestamp, updateDoc, where,
  type DocumentData, type Firestore,
} from "firebase/firestore";
import { deleteObject, getBytes, ref, uploadBytes } from "firebase/storage";
import { beforeEach, describe, expect, it } from "vitest";
import { allowed, denied, useRulesEnv } from "../helpers/rules";

const ALICE_PHONE = "+351910000901";
const DAVE_PHONE = "+351910000902";
const now = serverTimestamp;
const future = () => Timestamp.fromMillis(Date.now() + 365 * 86_400_000);
const channel = (push: boolean) => ({ push, email: false, sms: false });
const prefs = () => ({ trip: channel(true), chat: channel(true), payment: channel(true), marketing: channel(false), quietHours: { start: "22:00", end: "07:30", tz: "Europe/Lisbon" } });
const withoutMarketing = () => {
  const { marketing, ...rest } = prefs();
  void marketing;
  return rest;
};
const licence = () => ({ number: "PT-123456", country: "PT", expiresAt: future() });
const newProfile = (extra: DocumentData = {}) => ({ displayName: "Alice", phoneNumber: ALICE_PHONE, createdAt: now(), updatedAt: now(), ...extra });
const newApplication = (extra: DocumentData = {}) => ({ licence: licence(), approved: false, status: "offline", createdAt: now(), updatedAt: now(), ...extra });
const newVehicle = (driverId: string, extra: DocumentData = {}) => ({
  driverId, categoryId: "economy", make: "Toyota", model: "Corolla", year: 2021, color: "white", plate: "AA-00-99",
  status: "pending", createdAt: now(), updatedAt: now(), ...extra,
});

const image = (bytes = 1024) => new Uint8Array(bytes);
const MiB = 1024 * 1024;

// Storage first: loading a rules environment resets the Firestore coverage counters, so the Firestore
// suite below must be the last to load one in this file.
describe("storage rules: users/{uid}/…", () => {
  const rules = useRulesEnv({ storage: true });
  const storageOf = (uid: string, claims: Record<string, unknown> = {}) => rules.storageAs!(uid, claims);
  const seedFile = async (path: string, contentType: string) => {
    await rules.env().withSecurityRulesDisabled(async (context) => {
      await uploadBytes(ref(context.storage(), path), image(), { contentType });
    });
  };

  it("lets the owner upload, replace and delete a profile photo, and any signed-in user read it", async () => {
    await allowed(uploadBytes(ref(storageOf("alice"), "users/alice/profile/me.jpg"), image(), { contentType: "image/jpeg" }));
    await allowed(uploadBytes(ref(storageOf("alice"), "users/alice/profile/me.jpg"), image(2048), { contentType: "image/webp" }));
    await allowed(getBytes(ref(storageOf("bob"), "users/alice/profile/me.jpg")));
    await allowed(deleteObject(ref(storageOf("alice"), "users/alice/profile/me.jpg")));
  });

  it("denies anonymous reads, foreign writes, non-images, oversized files and foreign deletes of photos", async () => {
    await seedFile("users/alice/profile/me.jpg", "image/jpeg");
    await denied(getBytes(ref(rules.env().unauthenticatedContext().storage(), "users/alice/profile/me.jpg")));
    await denied(uploadBytes(ref(storageOf("mallory"), "users/alice/profile/me.jpg"), image(), { contentType: "image/jpeg" }));
    await denied(uploadBytes(ref(storageOf("alice"), "users/alice/profile/me.html"), image(), { contentType: "text/html" }));
    await denied(uploadBytes(ref(storageOf("alice"), "users/alice/profile/big.jpg"), image(5 * MiB + 1), { contentType: "image/jpeg" }));
    await denied(deleteObject(ref(storageOf("mallory"), "users/alice/profile/me.jpg")));
    await denied(uploadBytes(ref(storageOf("alice"), "users/alice/elsewhere/me.jpg"), image(), { contentType: "image/jpeg" }));
  });

  it("keeps licence documents to their owner and admins", async () => {
    await allowed(uploadBytes(ref(storageOf("alice"), "users/alice/documents/licence.pdf"), image(), { contentType: "application/pdf" }));
    await allowed(getBytes(ref(storageOf("alice"), "users/alice/documents/licence.pdf")));
    await allowed(getBytes(ref(storageOf("root", { role: "admin" }), "users/alice/documents/licence.pdf")));
    await denied(getBytes(ref(storageOf("bob"), "users/alice/documents/licence.pdf")));
    await denied(uploadBytes(ref(storageOf("mallory"), "users/alice/documents/fake.pdf"), image(), { contentType: "application/pdf" }));
    await denied(uploadBytes(ref(storageOf("alice"), "users/alice/documents/big.pdf"), image(10 * MiB + 1), { contentType: "application/pdf" }));
    await denied(uploadBytes(ref(storageOf("alice"), "users/alice/documents/x.zip"), image(), { contentType: "application/zip" }));
    await denied(deleteObject(ref(storageOf("bob"), "users/alice/documents/licence.pdf")));
    await allowed(deleteObject(ref(storageOf("alice"), "users/alice/documents/licence.pdf")));
  });
});

describe("rules: users, drivers, vehicles, vehicleCategories", () => {
  const rules = useRulesEnv();
  const alice = () => rules.as("alice", { phone_number: ALICE_PHONE });
  const dave = () => rules.as("dave", { phone_number: DAVE_PHONE, role: "driver" });
  const mallory = () => rules.as("mallory", { phone_number: "+351910000666" });
  const admin = () => rules.as("root", { role: "admin", email: "root@fleetfire.test", email_verified: true });
  const unverified = () => rules.as("eve", { email: "eve@fleetfire.test", email_verified: false });
  const noVerificationClaim = () => rules.as("eve", { email: "eve@fleetfire.test" });
  const d = (db: Firestore, path: string) => doc(db, path);

  beforeEach(async () => {
    await rules.seed(async (db) => {
      await setDoc(d(db, "vehicleCategories/economy"), { name: "Economy", description: "", capacity: 4, serviceTypes: ["ride"], active: true, sortOrder: 1 });
      await setDoc(d(db, "vehicleCategories/retiredcat"), { name: "Old", description: "", capacity: 4, serviceTypes: ["ride"], active: false, sortOrder: 9 });
      await setDoc(d(db, "users/alice"), { displayName: "Alice", phoneNumber: ALICE_PHONE, createdAt: Timestamp.now(), updatedAt: Timestamp.now() });
      await setDoc(d(db, "users/dave"), { displayName: "Dave", phoneNumber: DAVE_PHONE, role: "driver", createdAt: Timestamp.now(), updatedAt: Timestamp.now() });
      await setDoc(d(db, "drivers/dave"), { licence: licence(), approved: true, status: "offline", vehicleId: "v-dave", rating: { avg: 4.9, count: 10 }, createdAt: Timestamp.now(), updatedAt: Timestamp.now() });
      await setDoc(d(db, "drivers/alice"), { licence: licence(), approved: false, status: "offline", createdAt: Timestamp.now(), updatedAt: Timestamp.now() });
      await setDoc(d(db, "vehicles/v-dave"), { ...newVehicle("dave"), status: "active", createdAt: Timestamp.now(), updatedAt: Timestamp.now() });
      await setDoc(d(db, "vehicles/v-dave-2"), { ...newVehicle("dave"), status: "active", createdAt: Timestamp.now(), updatedAt: Timestamp.now() });
      await setDoc(d(db, "vehicles/v-dave-pending"), { ...newVehicle("dave"), createdAt: Timestamp.now(), updatedAt: Timestamp.now() });
      await setDoc(d(db, "vehicles/v-dave-retired"), { ...newVehicle("dave"), status: "retired", createdAt: Timestamp.now(), updatedAt: Timestamp.now() });
      await setDoc(d(db, "vehicles/v-mallory"), { ...newVehicle("mallory"), status: "active", createdAt: Timestamp.now(), updatedAt: Timestamp.now() });
      await setDoc(d(db, "vehicles/v-dave/statusHistory/e1"), { from: "pending", to: "active", driverId: "dave", at: Timestamp.now() });
    });
  });

  describe("users/{uid}", () => {
    it("lets a phone user create their profile with the verified number, and an e-mail user with their e-mail", async () => {
      await rules.seed((db) => deleteDoc(d(db, "users/alice")));
      await allowed(setDoc(d(alice(), "users/alice"), newProfile({ photoPath: "users/alice/profile/me.jpg", notificationPrefs: prefs() })));
      await allowed(setDoc(d(admin(), "users/root"), { displayName: "Root", phoneNumber: null, email: "root@fleetfire.test", createdAt: now(), updatedAt: now() }));
    });

    it("takes an e-mail only when the token says it is verified (receipts are mailed there)", async () => {
      const eve = { displayName: "Eve", phoneNumber: null, email: "eve@fleetfire.test", createdAt: now(), updatedAt: now() };
      await denied(setDoc(d(unverified(), "users/eve"), eve));
      await denied(setDoc(d(noVerificationClaim(), "users/eve"), eve));
      // The same user without the e-mail field: the profile itself is fine.
      await allowed(setDoc(d(unverified(), "users/eve"), { displayName: "Eve", phoneNumber: null, createdAt: now(), updatedAt: now() }));
    });

    it("lets the owner edit profile fields, and admins set the role", async () => {
      await allowed(updateDoc(d(alice(), "users/alice"), { displayName: "Alice B", photoPath: "users/alice/profile/new.png", notificationPrefs: { ...prefs(), quietHours: null }, updatedAt: now() }));
      await allowed(updateDoc(d(alice(), "users/alice"), { photoPath: null, notificationPrefs: deleteField(), updatedAt: now() }));
      await allowed(updateDoc(d(admin(), "users/alice"), { role: "driver", updatedAt: now() }));
    });

    it("lets the owner and admins read a profile, and admins list them", async () => {
      await allowed(getDoc(d(alice(), "users/alice")));
      await allowed(getDoc(d(admin(), "users/alice")));
      await allowed(getDocs(collection(admin(), "users")));
    });
  });

  describe("drivers/{uid}", () => {
    it("lets a rider apply, and edit the application until it is approved", async () => {
      await rules.seed((db) => deleteDoc(d(db, "drivers/alice")));
      await allowed(setDoc(d(alice(), "drivers/alice"), newApplication({ licencePhotoPath: "users/alice/documents/licence.pdf" })));
      await allowed(updateDoc(d(alice(), "drivers/alice"), { licence: { ...licence(), number: "PT-999999" }, licencePhotoPath: null, updatedAt: now() }));
    });

    it("lets an approved driver go available on an active own vehicle, switch vehicles, and go offline", async () => {
      await allowed(updateDoc(d(dave(), "drivers/dave"), { status: "available", updatedAt: now() }));
      await allowed(updateDoc(d(dave(), "drivers/dave"), { vehicleId: "v-dave-2", updatedAt: now() }));
      await allowed(updateDoc(d(dave(), "drivers/dave"), { status: "offline", updatedAt: now() }));
      await allowed(getDoc(d(dave(), "drivers/dave")));
    });

    it("lets admins read, list, approve and suspend", async () => {
      await allowed(getDoc(d(admin(), "drivers/alice")));
      await allowed(getDocs(collection(admin(), "drivers")));
      await allowed(updateDoc(d(admin(), "drivers/alice"), { approved: true, updatedAt: now() }));
      await allowed(updateDoc(d(admin(), "drivers/dave"), { suspended: true, updatedAt: now() }));
    });
  });

  describe("vehicles/{vehicleId} and vehicleCategories", () => {
    it("lets a driver register a pending vehicle, edit it while pending, and read and list their own", async () => {
      await allowed(setDoc(d(dave(), "vehicles/v-new"), newVehicle("dave")));
      await allowed(updateDoc(d(dave(), "vehicles/v-dave-pending"), { color: "blue", plate: "BB 11 22", updatedAt: now() }));
      await allowed(getDoc(d(dave(), "vehicles/v-dave")));
      const own = await allowed(getDocs(query(collection(dave(), "vehicles"), where("driverId", "==", "dave"))));
      expect(own.size).toBe(5);
      await allowed(getDocs(query(collection(dave(), "vehicles/v-dave/statusHistory"), where("driverId", "==", "dave"))));
    });

    it("lets admins move a vehicle through its lifecycle and read every history", async () => {
      await allowed(updateDoc(d(admin(), "vehicles/v-dave-pending"), { status: "active", updatedAt: now() }));
      await allowed(updateDoc(d(admin(), "vehicles/v-dave-pending"), { status: "maintenance", updatedAt: now() }));
      await allowed(updateDoc(d(admin(), "vehicles/v-dave-pending"), { status: "retired", updatedAt: now() }));
      await allowed(getDoc(d(admin(), "vehicles/v-dave/statusHistory/e1")));
      await allowed(getDocs(collection(admin(), "vehicles")));
    });

    it("lets every signed-in user read categories and admins manage them", async () => {
      await allowed(getDocs(collection(alice(), "vehicleCategories")));
      await allowed(setDoc(d(admin(), "vehicleCategories/lux"), { name: "Lux", description: "Black cars", capacity: 4, serviceTypes: ["ride", "hourly"], active: true, sortOrder: 5 }));
      await allowed(updateDoc(d(admin(), "vehicleCategories/lux"), { active: false }));
      await allowed(deleteDoc(d(admin(), "vehicleCategories/lux")));
    });
  });

  describe("attack suite: every hostile request is denied", () => {
    type Attack = [name: string, run: () => Promise<unknown>];
    const attacks = (): Attack[] => [
      // profiles: forged identity and phone numbers
      ["create someone else's profile", () => setDoc(d(mallory(), "users/victim"), { ...newProfile(), phoneNumber: "+351910000666" })],
      ["create a profile with an unverified phone number", () => setDoc(d(mallory(), "users/mallory"), newProfile())],
      ["create a profile with a phone number but no phone on the token", () => setDoc(d(rules.as("nophone"), "users/nophone"), newProfile())],
      ["create a profile with a forged e-mail", () => setDoc(d(mallory(), "users/mallory"), newProfile({ phoneNumber: "+351910000666", email: "ceo@fleetfire.test" }))],
      ["create a profile as an admin", () => setDoc(d(mallory(), "users/mallory"), newProfile({ phoneNumber: "+351910000666", role: "admin" }))],
      ["create a profile with an extra field", () => setDoc(d(mallory(), "users/mallory"), newProfile({ phoneNumber: "+351910000666", verified: true }))],
      ["create a profile with an empty name", () => setDoc(d(mallory(), "users/mallory"), newProfile({ phoneNumber: "+351910000666", displayName: "" }))],
      ["create a profile with a 61-character name", () => setDoc(d(mallory(), "users/mallory"), newProfile({ phoneNumber: "+351910000666", displayName: "x".repeat(61) }))],
      ["create a profile with a back-dated createdAt", () => setDoc(d(mallory(), "users/mallory"), newProfile({ phoneNumber: "+351910000666", createdAt: Timestamp.fromMillis(0) }))],
      ["create a profile without updatedAt", () => setDoc(d(mallory(), "users/mallory"), { displayName: "M", phoneNumber: "+351910000666", createdAt: now() })],
      ["create a profile anonymously", () => setDoc(d(rules.anonymous(), "users/anon"), { ...newProfile(), phoneNumber: null })],
      // profiles: privilege escalation and foreign edits
      ["raise one's own role", () => updateDoc(d(alice(), "users/alice"), { role: "admin", updatedAt: now() })],
      ["a driver raising their role to admin", () => updateDoc(d(dave(), "users/dave"), { role: "admin", updatedAt: now() })],
      ["change one's verified phone number", () => updateDoc(d(alice(), "users/alice"), { phoneNumber: "+15550000000", updatedAt: now() })],
      ["edit another user's profile", () => updateDoc(d(mallory(), "users/alice"), { displayName: "pwned", updatedAt: now() })],
      ["update a profile without a fresh updatedAt", () => updateDoc(d(alice(), "users/alice"), { displayName: "Alice B" })],
      ["point the photo at another user's folder", () => updateDoc(d(alice(), "users/alice"), { photoPath: "users/dave/profile/x.jpg", updatedAt: now() })],
      ["a photo path that is not a string", () => updateDoc(d(alice(), "users/alice"), { photoPath: 42, updatedAt: now() })],
      ["notification prefs with a missing category", () => updateDoc(d(alice(), "users/alice"), { notificationPrefs: withoutMarketing(), updatedAt: now() })],
      ["notification prefs with a string instead of a boolean", () => updateDoc(d(alice(), "users/alice"), { notificationPrefs: { ...prefs(), chat: { push: "yes", email: false, sms: false } }, updatedAt: now() })],
      ["notification prefs with an extra channel", () => updateDoc(d(alice(), "users/alice"), { notificationPrefs: { ...prefs(), trip: { ...channel(true), pigeon: true } }, updatedAt: now() })],
      ["quiet hours with an impossible time", () => updateDoc(d(alice(), "users/alice"), { notificationPrefs: { ...prefs(), quietHours: { start: "25:00", end: "07:00", tz: "UTC" } }, updatedAt: now() })],
      ["quiet hours with an oversized zone", () => updateDoc(d(alice(), "users/alice"), { notificationPrefs: { ...prefs(), quietHours: { start: "22:00", end: "07:00", tz: "x".repeat(65) } }, updatedAt: now() })],
      ["an admin writing profile fields of another user", () => updateDoc(d(admin(), "users/alice"), { displayName: "renamed", updatedAt: now() })],
      ["an admin setting an unknown role", () => updateDoc(d(admin(), "users/alice"), { role: "superuser", updatedAt: now() })],
      ["read another user's profile", () => getDoc(d(mallory(), "users/alice"))],
      ["a driver reading a rider's profile", () => getDoc(d(dave(), "users/alice"))],
      ["list all profiles", () => getDocs(collection(alice(), "users"))],
      ["delete one's profile directly", () => deleteDoc(d(alice(), "users/alice"))],
      // drivers
      ["apply pre-approved", () => setDoc(d(mallory(), "drivers/mallory"), newApplication({ approved: true }))],
      ["apply as available", () => setDoc(d(mallory(), "drivers/mallory"), newApplication({ status: "available" }))],
      ["apply with a rating", () => setDoc(d(mallory(), "drivers/mallory"), newApplication({ rating: { avg: 5, count: 1000 } }))],
      ["apply in someone else's name", () => setDoc(d(mallory(), "drivers/victim"), newApplication())],
      ["apply with an expired licence", () => setDoc(d(mallory(), "drivers/mallory"), newApplication({ licence: { ...licence(), expiresAt: Timestamp.fromMillis(Date.now() - 1000) } }))],
      ["apply with an oversized licence number", () => setDoc(d(mallory(), "drivers/mallory"), newApplication({ licence: { ...licence(), number: "A".repeat(33) } }))],
      ["apply with a licence scan in another user's folder", () => setDoc(d(mallory(), "drivers/mallory"), newApplication({ licencePhotoPath: "users/alice/documents/l.pdf" }))],
      ["apply with a vehicle already set", () => setDoc(d(mallory(), "drivers/mallory"), newApplication({ vehicleId: "v-mallory" }))],
      ["approve oneself", () => updateDoc(d(alice(), "drivers/alice"), { approved: true, updatedAt: now() })],
      ["unapproved applicant going available", () => updateDoc(d(alice(), "drivers/alice"), { status: "available", updatedAt: now() })],
      ["a driver lifting their own suspension", () => updateDoc(d(dave(), "drivers/dave"), { suspended: false, updatedAt: now() })],
      ["a driver raising their rating", () => updateDoc(d(dave(), "drivers/dave"), { rating: { avg: 5, count: 999 }, updatedAt: now() })],
      ["a driver writing stats", () => updateDoc(d(dave(), "drivers/dave"), { stats: { trips: 1000 }, updatedAt: now() })],
      ["a driver setting themselves busy", () => updateDoc(d(dave(), "drivers/dave"), { status: "busy", updatedAt: now() })],
      ["a driver switching to another driver's vehicle", () => updateDoc(d(dave(), "drivers/dave"), { vehicleId: "v-mallory", updatedAt: now() })],
      ["a driver switching to a pending vehicle", () => updateDoc(d(dave(), "drivers/dave"), { vehicleId: "v-dave-pending", updatedAt: now() })],
      ["a driver switching to a retired vehicle", () => updateDoc(d(dave(), "drivers/dave"), { vehicleId: "v-dave-retired", updatedAt: now() })],
      ["a driver switching to a vehicle that does not exist", () => updateDoc(d(dave(), "drivers/dave"), { vehicleId: "v-ghost", updatedAt: now() })],
      ["an approved driver editing their licence", () => updateDoc(d(dave(), "drivers/dave"), { licence: { ...licence(), number: "XX-000000" }, updatedAt: now() })],
      ["editing another driver's record", () => updateDoc(d(mallory(), "drivers/dave"), { status: "offline", updatedAt: now() })],
      ["reading another driver's record", () => getDoc(d(mallory(), "drivers/dave"))],
      ["listing drivers", () => getDocs(collection(dave(), "drivers"))],
      ["an admin writing the rating", () => updateDoc(d(admin(), "drivers/dave"), { rating: { avg: 1, count: 1 }, updatedAt: now() })],
      ["an admin approving with a non-boolean", () => updateDoc(d(admin(), "drivers/alice"), { approved: "yes", updatedAt: now() })],
      ["an admin suspending with a non-boolean", () => updateDoc(d(admin(), "drivers/dave"), { suspended: 1, updatedAt: now() })],
      // vehicles
      ["register a vehicle for another driver", () => setDoc(d(mallory(), "vehicles/v-x"), newVehicle("dave"))],
      ["register an already active vehicle", () => setDoc(d(dave(), "vehicles/v-x"), newVehicle("dave", { status: "active" }))],
      ["register a vehicle in an inactive category", () => setDoc(d(dave(), "vehicles/v-x"), newVehicle("dave", { categoryId: "retiredcat" }))],
      ["register a vehicle in a category that does not exist", () => setDoc(d(dave(), "vehicles/v-x"), newVehicle("dave", { categoryId: "spaceship" }))],
      ["register a vehicle with a string year", () => setDoc(d(dave(), "vehicles/v-x"), newVehicle("dave", { year: "2021" }))],
      ["register a vehicle from 1900", () => setDoc(d(dave(), "vehicles/v-x"), newVehicle("dave", { year: 1900 }))],
      ["register a vehicle with a malformed plate", () => setDoc(d(dave(), "vehicles/v-x"), newVehicle("dave", { plate: "<script>" }))],
      ["register a vehicle with an oversized make", () => setDoc(d(dave(), "vehicles/v-x"), newVehicle("dave", { make: "M".repeat(41) }))],
      ["register a vehicle with an extra field", () => setDoc(d(dave(), "vehicles/v-x"), newVehicle("dave", { insured: true }))],
      ["a driver activating their own vehicle", () => updateDoc(d(dave(), "vehicles/v-dave-pending"), { status: "active", updatedAt: now() })],
      ["a driver editing an active vehicle", () => updateDoc(d(dave(), "vehicles/v-dave"), { plate: "ZZ-99-99", updatedAt: now() })],
      ["a driver handing their vehicle to someone else", () => updateDoc(d(dave(), "vehicles/v-dave-pending"), { driverId: "mallory", updatedAt: now() })],
      ["editing another driver's vehicle", () => updateDoc(d(mallory(), "vehicles/v-dave-pending"), { color: "pink", updatedAt: now() })],
      ["reading another driver's vehicle", () => getDoc(d(mallory(), "vehicles/v-dave"))],
      ["listing every vehicle", () => getDocs(collection(dave(), "vehicles"))],
      ["deleting a vehicle", () => deleteDoc(d(dave(), "vehicles/v-dave-pending"))],
      ["an admin reviving a retired vehicle", () => updateDoc(d(admin(), "vehicles/v-dave-retired"), { status: "active", updatedAt: now() })],
      ["an admin setting an unknown vehicle status", () => updateDoc(d(admin(), "vehicles/v-dave"), { status: "stolen", updatedAt: now() })],
      ["an admin reassigning a vehicle", () => updateDoc(d(admin(), "vehicles/v-dave"), { driverId: "mallory", updatedAt: now() })],
      ["forging a status history entry", () => setDoc(d(dave(), "vehicles/v-dave/statusHistory/forged"), { from: "retired", to: "active", driverId: "dave", at: now() })],
      ["reading another driver's vehicle history", () => getDoc(d(mallory(), "vehicles/v-dave/statusHistory/e1"))],
      // categories
      ["a rider creating a category", () => setDoc(d(alice(), "vehicleCategories/free"), { name: "Free", description: "", capacity: 4, serviceTypes: ["ride"], active: true, sortOrder: 0 })],
      ["a driver deactivating a category", () => updateDoc(d(dave(), "vehicleCategories/economy"), { active: false })],
      ["a rider deleting a category", () => deleteDoc(d(alice(), "vehicleCategories/economy"))],
      ["an admin writing a category with an unknown service type", () => setDoc(d(admin(), "vehicleCategories/x"), { name: "X", description: "", capacity: 4, serviceTypes: ["teleport"], active: true, sortOrder: 0 })],
      ["an admin writing a category with zero capacity", () => setDoc(d(admin(), "vehicleCategories/x"), { name: "X", description: "", capacity: 0, serviceTypes: ["ride"], active: true, sortOrder: 0 })],
      ["an admin writing a category with no service types", () => setDoc(d(admin(), "vehicleCategories/x"), { name: "X", description: "", capacity: 4, serviceTypes: [], active: true, sortOrder: 0 })],
      ["an admin writing a category with an extra field", () => setDoc(d(admin(), "vehicleCategories/x"), { name: "X", description: "", capacity: 4, serviceTypes: ["ride"], active: true, sortOrder: 0, price: 1 })],
      ["reading categories anonymously", () => getDocs(collection(rules.anonymous(), "vehicleCategories"))],
    ];

    it("has at least 40 attacks", () => {
      expect(attacks().length).toBeGreaterThanOrEqual(40);
    });

    for (const [name, run] of attacks()) {
      it(`denies: ${name}`, async () => {
        await denied(run());
      });
    }
  });

  describe("state-dependent denials", () => {
    it("keeps a suspended, unlicensed or vehicle-less driver offline", async () => {
      await rules.seed((db) => updateDoc(d(db, "drivers/dave"), { suspended: true }));
      await denied(updateDoc(d(dave(), "drivers/dave"), { status: "available", updatedAt: now() }));
      await rules.seed((db) => updateDoc(d(db, "drivers/dave"), { suspended: false, licence: { ...licence(), expiresAt: Timestamp.fromMillis(Date.now() - 1000) } }));
      await denied(updateDoc(d(dave(), "drivers/dave"), { status: "available", updatedAt: now() }));
      await rules.seed((db) => updateDoc(d(db, "drivers/dave"), { licence: licence(), vehicleId: deleteField() }));
      await denied(updateDoc(d(dave(), "drivers/dave"), { status: "available", updatedAt: now() }));
      await rules.seed((db) => updateDoc(d(db, "vehicles/v-dave"), { status: "maintenance" }));
      await rules.seed((db) => updateDoc(d(db, "drivers/dave"), { vehicleId: "v-dave" }));
      await denied(updateDoc(d(dave(), "drivers/dave"), { status: "available", updatedAt: now() }));
    });

    it("lets a busy driver change nothing about their status", async () => {
      await rules.seed((db) => updateDoc(d(db, "drivers/dave"), { status: "busy" }));
      await denied(updateDoc(d(dave(), "drivers/dave"), { status: "offline", updatedAt: now() }));
      await denied(updateDoc(d(dave(), "drivers/dave"), { status: "available", updatedAt: now() }));
    });
  });
});
