// Account deletion, modelled on the "Delete User Data" extension: when an Auth user is deleted (by the user
// through `deleteAccount`, or by an admin in the console) everything personal keyed by their uid goes too.
// Every step is a delete or an overwrite, so running it twice (event redelivery) is harmless.
import { HttpsError, type CallableRequest } from "firebase-functions/v2/https";
import { auth, db, fieldValue, storage } from "../common/firebase";
import * as logger from "../common/logger";
import { validate } from "../common/validation";
import { isRecentSignIn } from "./roleLogic";
import { deleteAccountInputSchema, type DeleteAccountOutput } from "./schema";

/** How recent the sign-in must be to delete the account (as Firebase's own requires-recent-login). */
export const RECENT_SIGN_IN_SECONDS = 5 * 60;

export interface DeletionReport {
  profileDeleted: boolean;
  driverAnonymised: boolean;
  vehiclesRetired: number;
  filesDeleted: boolean;
}

export async function deleteUserData(uid: string): Promise<DeletionReport> {
  const firestore = db();
  // users/{uid} with its subcollections (devices, notifications).
  const profileRef = firestore.doc(`users/${uid}`);
  const profileExisted = (await profileRef.get()).exists;
  await firestore.recursiveDelete(profileRef);

  // drivers/{uid}: aggregate rating/stats stay for the trips it served; licence details go.
  const driverRef = firestore.doc(`drivers/${uid}`);
  const driverAnonymised = await firestore.runTransaction(async (tx) => {
    const snap = await tx.get(driverRef);
    if (!snap.exists) return false;
    tx.update(driverRef, {
      licence: fieldValue().delete(),
      licencePhotoPath: fieldValue().delete(),
      approved: false,
      status: "offline",
      vehicleId: null,
      deletedAt: snap.get("deletedAt") ?? fieldValue().serverTimestamp(),
      updatedAt: fieldValue().serverTimestamp(),
    });
    return true;
  });

  // Vehicles are kept for past trips and receipts, but can never be driven again.
  const owned = await firestore.collection("vehicles").where("driverId", "==", uid).get();
  const toRetire = owned.docs.filter((d) => d.get("status") !== "retired");
  if (toRetire.length) {
    const batch = firestore.batch();
    for (const vehicle of toRetire) batch.update(vehicle.ref, { status: "retired", updatedAt: fieldValue().serverTimestamp() });
    await batch.commit();
  }

  // The last known position is personal data too (the tracking domain owns the document's shape).
  await firestore.doc(`driverLocations/${uid}`).delete();
  await firestore.doc(`offerInbox/${uid}`).delete();

  await storage().bucket().deleteFiles({ prefix: `users/${uid}/` });

  const report = { profileDeleted: profileExisted, driverAnonymised, vehiclesRetired: toRetire.length, filesDeleted: true };
  logger.info("user data deleted", { uid, ...report });
  return report;
}

/**
 * Callable `deleteAccount({})`: the signed-in user deletes their own account. Requires a sign-in within the
 * last five minutes. Cleans up at once (so the app sees the result when the call returns), then deletes the
 * Auth user; the Auth deletion trigger runs the same cleanup again, harmlessly.
 */
export async function deleteAccount(request: CallableRequest<unknown>): Promise<DeleteAccountOutput> {
  validate(deleteAccountInputSchema, request.data ?? {});
  if (!request.auth) throw new HttpsError("unauthenticated", "Sign in first.");
  if (!isRecentSignIn(request.auth.token.auth_time, Date.now(), RECENT_SIGN_IN_SECONDS)) {
    throw new HttpsError("failed-precondition", "Sign in again before deleting your account (requires-recent-login).");
  }
  const uid = request.auth.uid;
  await deleteUserData(uid);
  await auth().deleteUser(uid).catch((error: { code?: string }) => {
    if (error.code !== "auth/user-not-found") throw error;
  });
  return { deleted: true };
}
