// Identity and catalogue end to end on the emulators, with the Auth emulator's real phone OTP flow: sign-in
// and profile, roles mirrored into the token, driver approval, the vehicle lifecycle, account deletion.
import { FirebaseError } from "firebase/app";
import { signInWithEmailAndPassword } from "firebase/auth";
import { collection, doc, getDoc, getDocs, query, serverTimestamp, setDoc, Timestamp, updateDoc, where } from "firebase/firestore";
import { ref, uploadBytes } from "firebase/storage";
import { Timestamp as AdminTimestamp } from "firebase-admin/firestore";
import { getStorage } from "firebase-admin/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grantAdmin } from "../../scripts/grant-admin";
import { adminApp, adminAuth, adminDb, waitFor, waitForDoc } from "../helpers/admin";
import { anonymousClient, clientApp, uniqueId, type ClientUser } from "../helpers/clients";
import { projectId } from "../helpers/emulators";
import { phoneSignIn, uniquePhoneNumber } from "../helpers/phoneAuth";

const opened: ClientUser[] = [];
const signIn = async (phoneNumber: string) => {
  const user = await phoneSignIn(phoneNumber);
  opened.push(user);
  return user;
};
const claimsOf = async (user: ClientUser) => (await user.auth.currentUser!.getIdTokenResult()).claims;
const createProfile = (user: ClientUser, displayName: string) =>
  setDoc(doc(user.db, "users", user.uid), {
    displayName,
    phoneNumber: user.auth.currentUser!.phoneNumber,
    createdAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
  });
const roleClaimOf = async (uid: string) => (await adminAuth().getUser(uid)).customClaims?.role;

describe("identity: phone sign-in, roles, drivers, vehicles, account deletion", () => {
  let admin: ClientUser;
  let adminPhone: string;
  let categoryId: string;

  beforeAll(async () => {
    adminApp();
    categoryId = uniqueId("cat");
    await adminDb().doc(`vehicleCategories/${categoryId}`).set({ name: "Test", description: "", capacity: 4, serviceTypes: ["ride"], active: true, sortOrder: 99 });
    // The first admin: signs in by phone, is granted admin by the script, signs in again to get the claim.
    adminPhone = uniquePhoneNumber();
    const first = await signIn(adminPhone);
    await createProfile(first, "First Admin");
    await grantAdmin({ phone: adminPhone, project: projectId });
    admin = await signIn(adminPhone);
    expect(admin.uid).toBe(first.uid);
  });
  afterAll(async () => {
    await Promise.all(opened.map((c) => c.close().catch(() => undefined)));
  });

  it("signs in with phone + SMS code; the profile carries the verified number and nothing else", async () => {
    const phone = uniquePhoneNumber();
    const rider = await signIn(phone);
    const token = await rider.auth.currentUser!.getIdTokenResult();
    expect(token.claims.phone_number).toBe(phone);
    expect(token.signInProvider).toBe("phone");
    expect(token.claims.role).toBeUndefined();

    const forged = setDoc(doc(rider.db, "users", rider.uid), { displayName: "R", phoneNumber: "+15550001111", createdAt: serverTimestamp(), updatedAt: serverTimestamp() });
    await expect(forged).rejects.toMatchObject({ code: "permission-denied" });
    await createProfile(rider, "Rita");
    await updateDoc(doc(rider.db, "users", rider.uid), { displayName: "Rita R", photoPath: `users/${rider.uid}/profile/me.jpg`, updatedAt: serverTimestamp() });
    const profile = (await getDoc(doc(rider.db, "users", rider.uid))).data();
    expect(profile).toMatchObject({ displayName: "Rita R", phoneNumber: phone });
    await expect(updateDoc(doc(rider.db, "users", rider.uid), { role: "admin", updatedAt: serverTimestamp() })).rejects.toMatchObject({ code: "permission-denied" });
  });

  it("the first admin is granted by script: profile role, claim, and the claim arrives with the next sign-in", async () => {
    const claims = await claimsOf(admin);
    expect(claims.role).toBe("admin");
    expect((await adminDb().doc(`users/${admin.uid}`).get()).get("role")).toBe("admin");
  });

  it("an admin signs in with e-mail and password, after grant-admin by e-mail", async () => {
    const email = `${uniqueId("ops")}@fleetfire.test`.toLowerCase();
    const password = "correct horse battery";
    await adminAuth().createUser({ email, password, displayName: "Ops" });
    await grantAdmin({ email, project: projectId });
    const client = await clientApp();
    const { user } = await signInWithEmailAndPassword(client.auth, email, password);
    opened.push({ uid: user.uid, ...client });
    expect((await user.getIdTokenResult()).claims.role).toBe("admin");
    // grant-admin made the profile from the Auth record; a forged e-mail on a profile is refused.
    expect((await getDoc(doc(client.db, "users", user.uid))).data()).toMatchObject({ displayName: "Ops", email, phoneNumber: null, role: "admin" });
    await expect(updateDoc(doc(client.db, "users", user.uid), { email: "other@fleetfire.test", updatedAt: serverTimestamp() })).rejects.toMatchObject({ code: "permission-denied" });
  });

  it("a role set by an admin reaches the claim, revokes the old session, and arrives with the next token", async () => {
    const phone = uniquePhoneNumber();
    const rider = await signIn(phone);
    await createProfile(rider, "Rui");
    const oldToken = await rider.auth.currentUser!.getIdToken();
    expect((await claimsOf(rider)).role).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 1100)); // revocation has one-second granularity

    const result = await admin.call<{ uid: string; role: string }, { role: string }>("setUserRole", { uid: rider.uid, role: "driver" });
    expect(result.role).toBe("driver");
    await waitFor(() => roleClaimOf(rider.uid), (role) => role === "driver", { what: "the driver claim" });
    await waitFor(async () => (await adminAuth().getUser(rider.uid)).tokensValidAfterTime, (t) => Boolean(t), { what: "tokens revoked" });

    // The session from before the change is revoked (checkRevoked refuses its token); the next sign-in's
    // token carries the new role. (Production also refuses the old session's refresh; the emulator does not.)
    await expect(adminAuth().verifyIdToken(oldToken, true)).rejects.toMatchObject({ code: "auth/id-token-revoked" });
    const again = await signIn(phone);
    expect((await claimsOf(again)).role).toBe("driver");
    await expect(adminAuth().verifyIdToken(await again.auth.currentUser!.getIdToken(), true)).resolves.toMatchObject({ role: "driver" });

    // The console path: an admin edits users/{uid}.role directly; the trigger mirrors it.
    await updateDoc(doc(admin.db, "users", rider.uid), { role: "rider", updatedAt: serverTimestamp() });
    await waitFor(() => roleClaimOf(rider.uid), (role) => role === "rider", { what: "the rider claim" });
  });

  it("setUserRole refuses non-admins, bad input, unknown users and self-demotion, writing nothing", async () => {
    const rider = await signIn(uniquePhoneNumber());
    await createProfile(rider, "Mallory");
    await expect(rider.call("setUserRole", { uid: rider.uid, role: "admin" })).rejects.toMatchObject({ code: "functions/permission-denied" });
    const bad = (await admin.call("setUserRole", { uid: "", role: "king", extra: 1 }).catch((e: unknown) => e)) as FirebaseError & { details?: { issues: Array<{ path: string }> } };
    expect(bad.code).toBe("functions/invalid-argument");
    expect(bad.details?.issues.map((i) => i.path).sort()).toEqual(["extra", "role", "uid"]);
    await expect(admin.call("setUserRole", { uid: uniqueId("nobody"), role: "driver" })).rejects.toMatchObject({ code: "functions/not-found" });
    await expect(admin.call("setUserRole", { uid: admin.uid, role: "rider" })).rejects.toMatchObject({ code: "functions/failed-precondition" });
    expect((await adminDb().doc(`users/${rider.uid}`).get()).get("role")).toBeUndefined();
    expect(await roleClaimOf(rider.uid)).toBeUndefined();
  });

  it("driver approval and the vehicle lifecycle: apply, register, approve, activate, drive, maintenance, retire", async () => {
    const phone = uniquePhoneNumber();
    let driver = await signIn(phone);
    await createProfile(driver, "Diogo");
    const driverRef = () => doc(driver.db, "drivers", driver.uid);

    await setDoc(driverRef(), {
      licence: { number: "PT-778899", country: "PT", expiresAt: Timestamp.fromMillis(Date.now() + 365 * 86_400_000) },
      approved: false,
      status: "offline",
      createdAt: serverTimestamp(),
      updatedAt: serverTimestamp(),
    });
    const vehicleId = uniqueId("vehicle");
    await setDoc(doc(driver.db, "vehicles", vehicleId), {
      driverId: driver.uid, categoryId, make: "Toyota", model: "Prius", year: 2022, color: "silver", plate: "ZZ-12-34",
      status: "pending", createdAt: serverTimestamp(), updatedAt: serverTimestamp(),
    });
    // Not approved, vehicle pending: cannot take it or go available.
    await expect(updateDoc(driverRef(), { vehicleId, updatedAt: serverTimestamp() })).rejects.toMatchObject({ code: "permission-denied" });

    await updateDoc(doc(admin.db, "drivers", driver.uid), { approved: true, updatedAt: serverTimestamp() });
    await waitForDoc(`users/${driver.uid}`, (u) => u?.role === "driver", "role driver after approval");
    await waitFor(() => roleClaimOf(driver.uid), (role) => role === "driver", { what: "the driver claim" });
    driver = await signIn(phone);
    expect((await claimsOf(driver)).role).toBe("driver");

    await updateDoc(doc(admin.db, "vehicles", vehicleId), { status: "active", updatedAt: serverTimestamp() });
    await updateDoc(driverRef(), { vehicleId, updatedAt: serverTimestamp() });
    await updateDoc(driverRef(), { status: "available", updatedAt: serverTimestamp() });

    // Maintenance takes the available driver offline and keeps them there.
    await updateDoc(doc(admin.db, "vehicles", vehicleId), { status: "maintenance", updatedAt: serverTimestamp() });
    await waitForDoc(`drivers/${driver.uid}`, (d) => d?.status === "offline", "driver offline after maintenance");
    await expect(updateDoc(driverRef(), { status: "available", updatedAt: serverTimestamp() })).rejects.toMatchObject({ code: "permission-denied" });
    await updateDoc(doc(admin.db, "vehicles", vehicleId), { status: "retired", updatedAt: serverTimestamp() });

    const history = await waitFor(
      async () => (await getDocs(query(collection(driver.db, "vehicles", vehicleId, "statusHistory"), where("driverId", "==", driver.uid)))).docs.map((d) => d.data()),
      (entries) => entries.length === 4,
      { what: "four history entries" },
    );
    const ordered = history.sort((a, b) => a.at.toMillis() - b.at.toMillis()).map((e) => `${e.from}→${e.to}`);
    expect(ordered).toEqual(["null→pending", "pending→active", "active→maintenance", "maintenance→retired"]);

    // Suspension: the server takes an available driver offline; revoking approval returns the rider role.
    const second = uniqueId("vehicle");
    await adminDb().doc(`vehicles/${second}`).set({ driverId: driver.uid, categoryId, make: "Kia", model: "Niro", year: 2023, color: "blue", plate: "ZZ-56-78", status: "active" });
    await updateDoc(driverRef(), { vehicleId: second, status: "available", updatedAt: serverTimestamp() });
    await updateDoc(doc(admin.db, "drivers", driver.uid), { suspended: true, updatedAt: serverTimestamp() });
    await waitForDoc(`drivers/${driver.uid}`, (d) => d?.status === "offline", "driver offline after suspension");
    await updateDoc(doc(admin.db, "drivers", driver.uid), { approved: false, updatedAt: serverTimestamp() });
    await waitForDoc(`users/${driver.uid}`, (u) => u?.role === "rider", "role rider after approval revoked");
  });

  it("participantSummary gives the counterparty's name, photo and rating, and nothing else", async () => {
    process.env.GCLOUD_PROJECT ??= projectId;
    const { participantSummary } = await import("../../functions/src/users/service");
    const uid = uniqueId("summary");
    await adminDb().doc(`users/${uid}`).set({ displayName: "Sam", phoneNumber: "+351910009999", photoPath: `users/${uid}/profile/p.jpg`, role: "driver" });
    await adminDb().doc(`drivers/${uid}`).set({ approved: true, status: "offline", rating: { avg: 4.7, count: 12 } });
    expect(await participantSummary(uid)).toEqual({ displayName: "Sam", photoPath: `users/${uid}/profile/p.jpg`, rating: { avg: 4.7, count: 12 } });
    expect(await participantSummary(uniqueId("ghost"))).toEqual({ displayName: "", photoPath: null, rating: null });
  });

  it("deleteAccount removes the profile, devices, inbox, photos and licence details, and the Auth user", async () => {
    const user = await signIn(uniquePhoneNumber());
    await createProfile(user, "Ines");
    await setDoc(doc(user.db, "drivers", user.uid), {
      licence: { number: "PT-111222", country: "PT", expiresAt: Timestamp.fromMillis(Date.now() + 86_400_000) },
      licencePhotoPath: `users/${user.uid}/documents/licence.jpg`,
      approved: false, status: "offline", createdAt: serverTimestamp(), updatedAt: serverTimestamp(),
    });
    const vehicleId = uniqueId("vehicle");
    await setDoc(doc(user.db, "vehicles", vehicleId), {
      driverId: user.uid, categoryId, make: "Fiat", model: "500", year: 2019, color: "red", plate: "XY-00-11",
      status: "pending", createdAt: serverTimestamp(), updatedAt: serverTimestamp(),
    });
    await uploadBytes(ref(user.storage, `users/${user.uid}/profile/me.jpg`), new Uint8Array(256), { contentType: "image/jpeg" });
    await uploadBytes(ref(user.storage, `users/${user.uid}/documents/licence.jpg`), new Uint8Array(256), { contentType: "image/jpeg" });
    await adminDb().doc(`users/${user.uid}/devices/phone`).set({ fcmToken: "t", platform: "ios", updatedAt: AdminTimestamp.now() });
    await adminDb().doc(`users/${user.uid}/notifications/n1`).set({ title: "hi", body: "b", category: "trip", data: {}, createdAt: AdminTimestamp.now() });
    await adminDb().doc(`offerInbox/${user.uid}`).set({ pending: { b1: { expiresAt: AdminTimestamp.now() } }, updatedAt: AdminTimestamp.now() });

    await expect(user.call("deleteAccount", { confirm: true })).rejects.toMatchObject({ code: "functions/invalid-argument" });
    expect(await user.call("deleteAccount", {})).toEqual({ deleted: true });

    await expect(adminAuth().getUser(user.uid)).rejects.toMatchObject({ code: "auth/user-not-found" });
    expect((await adminDb().doc(`users/${user.uid}`).get()).exists).toBe(false);
    expect((await adminDb().collection(`users/${user.uid}/devices`).get()).size).toBe(0);
    expect((await adminDb().collection(`users/${user.uid}/notifications`).get()).size).toBe(0);
    expect((await adminDb().doc(`offerInbox/${user.uid}`).get()).exists).toBe(false);
    const driver = (await adminDb().doc(`drivers/${user.uid}`).get()).data();
    expect(driver).toMatchObject({ approved: false, status: "offline" });
    expect(driver?.licence).toBeUndefined();
    expect(driver?.licencePhotoPath).toBeUndefined();
    expect((await adminDb().doc(`vehicles/${vehicleId}`).get()).get("status")).toBe("retired");
    const [files] = await getStorage(adminApp()).bucket().getFiles({ prefix: `users/${user.uid}/` });
    expect(files).toHaveLength(0);
  });

  it("deleting the Auth user in the console runs the same cleanup through the Auth trigger", async () => {
    const user = await signIn(uniquePhoneNumber());
    await createProfile(user, "Joao");
    await adminDb().doc(`users/${user.uid}/devices/phone`).set({ fcmToken: "t", platform: "android", updatedAt: AdminTimestamp.now() });
    await uploadBytes(ref(user.storage, `users/${user.uid}/profile/me.png`), new Uint8Array(128), { contentType: "image/png" });
    await adminAuth().deleteUser(user.uid);
    await waitForDoc(`users/${user.uid}`, (u) => u === undefined, "profile deleted by the Auth trigger");
    await waitFor(async () => (await adminDb().collection(`users/${user.uid}/devices`).get()).size, (n) => n === 0, { what: "devices deleted" });
    await waitFor(async () => (await getStorage(adminApp()).bucket().getFiles({ prefix: `users/${user.uid}/` }))[0].length, (n) => n === 0, { what: "files deleted" });
  });

  it("deleteAccount refuses a caller who is not signed in", async () => {
    const stranger = await anonymousClient();
    opened.push({ uid: "", ...stranger });
    await expect(stranger.call("deleteAccount", {})).rejects.toMatchObject({ code: "functions/unauthenticated" });
  });
});
