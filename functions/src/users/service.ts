import { HttpsError, type CallableRequest } from "firebase-functions/v2/https";
import { auth, db, fieldValue } from "../common/firebase";
import type { Role } from "../common/schema";
import * as logger from "../common/logger";
import { validate } from "../common/validation";
import { profileFromAuthUser } from "./profile";
import { claimsForRole, roleOfProfile } from "./roleLogic";
import { setUserRoleInputSchema, type SetUserRoleOutput } from "./schema";

export interface ParticipantSummary {
  displayName: string;
  photoPath: string | null;
  rating: { avg: number; count: number } | null;
}

/**
 * What the other side of a trip may see of `uid`: name, photo and (for drivers) rating. The bookings domain
 * copies this onto the booking when it assigns a driver, so no client ever reads another user's profile.
 */
export async function participantSummary(uid: string): Promise<ParticipantSummary> {
  const [profileSnap, driverSnap] = await Promise.all([
    db().doc(`users/${uid}`).get(),
    db().doc(`drivers/${uid}`).get(),
  ]);
  const profile = profileSnap.data() ?? {};
  const rating = driverSnap.data()?.rating as { avg?: unknown; count?: unknown } | null | undefined;
  return {
    displayName: typeof profile.displayName === "string" ? profile.displayName : "",
    photoPath: typeof profile.photoPath === "string" ? profile.photoPath : null,
    rating:
      rating && typeof rating.avg === "number" && typeof rating.count === "number"
        ? { avg: rating.avg, count: rating.count }
        : null,
  };
}

/**
 * Mirrors users/{uid}.role into the `role` custom claim and revokes the user's refresh tokens, so the next
 * sign-in carries the new role. Reads the document's current value (not the event's), so out-of-order events
 * converge on the latest role; does nothing when the claim already matches (idempotent).
 */
export async function syncRoleClaim(uid: string): Promise<{ changed: boolean; role?: Role }> {
  const snap = await db().doc(`users/${uid}`).get();
  if (!snap.exists) return { changed: false };
  const role = roleOfProfile(snap.data());
  if (!role) {
    logger.warn("users/{uid}.role is not a known role; claim left unchanged", { uid, role: snap.get("role") });
    return { changed: false };
  }
  let user;
  try {
    user = await auth().getUser(uid);
  } catch (error) {
    if ((error as { code?: string }).code === "auth/user-not-found") return { changed: false };
    throw error;
  }
  const claims = claimsForRole(user.customClaims, role);
  if (!claims) return { changed: false, role };
  await auth().setCustomUserClaims(uid, claims);
  await auth().revokeRefreshTokens(uid);
  logger.info("role claim updated; refresh tokens revoked", { uid, role });
  return { changed: true, role };
}

/** Sets users/{uid}.role, creating the profile from the Auth record when the user has none yet. */
export async function writeRole(uid: string, role: Role): Promise<void> {
  const user = await auth().getUser(uid);
  const ref = db().doc(`users/${uid}`);
  await db().runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    if (snap.exists) {
      if (snap.get("role") !== role) tx.update(ref, { role, updatedAt: fieldValue().serverTimestamp() });
    } else {
      tx.create(ref, profileFromAuthUser(user, role));
    }
  });
}

/** Callable `setUserRole({uid, role})`: admins only; an admin cannot change their own role (no lock-out). */
export async function setUserRole(request: CallableRequest<unknown>): Promise<SetUserRoleOutput> {
  const input = validate(setUserRoleInputSchema, request.data);
  if (!request.auth) throw new HttpsError("unauthenticated", "Sign in first.");
  if (request.auth.token.role !== "admin") throw new HttpsError("permission-denied", "Only admins can change roles.");
  if (input.uid === request.auth.uid) {
    throw new HttpsError("failed-precondition", "Admins cannot change their own role; ask another admin.");
  }
  try {
    await auth().getUser(input.uid);
  } catch (error) {
    if ((error as { code?: string }).code === "auth/user-not-found") {
      throw new HttpsError("not-found", `No user ${input.uid}.`, { issues: [{ path: "uid", message: "no such user" }] });
    }
    throw error;
  }
  await writeRole(input.uid, input.role);
  logger.info("role set by admin", { uid: input.uid, role: input.role, by: request.auth.uid });
  return { uid: input.uid, role: input.role };
}

/**
 * Brings users/{uid}.role in line with drivers/{uid}.approved: approval makes a rider a driver, revocation (or a
 * deleted driver record) makes a driver a rider again; an admin stays admin. Reads the driver record's current
 * state inside the transaction, so events handled out of order still converge.
 */
export async function applyDriverApproval(uid: string): Promise<void> {
  const user = await auth().getUser(uid).catch((error: { code?: string }) => {
    if (error.code === "auth/user-not-found") return undefined;
    throw error;
  });
  if (!user) return;
  const ref = db().doc(`users/${uid}`);
  const driverRef = db().doc(`drivers/${uid}`);
  await db().runTransaction(async (tx) => {
    const [snap, driver] = await Promise.all([tx.get(ref), tx.get(driverRef)]);
    const approved = driver.get("approved") === true;
    const current = snap.exists ? roleOfProfile(snap.data()) : undefined;
    if (current === "admin") return; // an admin who also drives keeps the admin role
    if (approved && current !== "driver") {
      if (snap.exists) tx.update(ref, { role: "driver", updatedAt: fieldValue().serverTimestamp() });
      else tx.create(ref, profileFromAuthUser(user, "driver"));
    } else if (!approved && current === "driver") {
      tx.update(ref, { role: "rider", updatedAt: fieldValue().serverTimestamp() });
    }
  });
}

/**
 * After users/{uid}.role left `driver`: withdraws the driver approval (the drivers/{uid} trigger then takes the
 * driver offline and withdraws his pending offers). Reads the current role inside the transaction, so a role
 * given back meanwhile keeps the approval; re-approval is an admin's decision again.
 */
export async function revokeDriverApprovalIfDemoted(uid: string): Promise<boolean> {
  const ref = db().doc(`users/${uid}`);
  const driverRef = db().doc(`drivers/${uid}`);
  return db().runTransaction(async (tx) => {
    const [profile, driver] = await Promise.all([tx.get(ref), tx.get(driverRef)]);
    if (!profile.exists || roleOfProfile(profile.data()) === "driver") return false;
    if (driver.get("approved") !== true) return false;
    tx.update(driverRef, { approved: false, updatedAt: fieldValue().serverTimestamp() });
    logger.info("driver approval revoked with the driver role", { uid });
    return true;
  });
}
