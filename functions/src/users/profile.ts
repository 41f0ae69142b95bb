import type { UserRecord } from "firebase-admin/auth";
import type { Role } from "../common/schema";
import { fieldValue } from "../common/firebase";

/** Used when a profile is made by the server for a user who never set a name (e.g. an admin created by e-mail). */
export const FALLBACK_DISPLAY_NAME = "Fleetfire user";

/** A profile document built from the Auth record, for when the server must create users/{uid} itself. */
export function profileFromAuthUser(user: UserRecord, role: Role): Record<string, unknown> {
  return {
    displayName: (user.displayName ?? "").slice(0, 60) || FALLBACK_DISPLAY_NAME,
    phoneNumber: user.phoneNumber ?? null,
    // Only a verified address: receipts and notifications are mailed to it.
    ...(user.email && user.emailVerified ? { email: user.email } : {}),
    role,
    createdAt: fieldValue().serverTimestamp(),
    updatedAt: fieldValue().serverTimestamp(),
  };
}
