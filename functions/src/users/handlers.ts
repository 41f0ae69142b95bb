import { onDocumentWritten } from "firebase-functions/v2/firestore";
import { onCall } from "firebase-functions/v2/https";
import { region } from "firebase-functions/v1";
import { REGION } from "../common/config";
import { retried } from "../common/pipeline";

/**
 * users/{uid}.role (edited by admins) → the `role` custom claim, with refresh tokens revoked. A driver whose
 * role is taken away also loses drivers/{uid}.approved, which the rules read: an ID token minted before the
 * change still says `driver` for up to an hour, but can no longer accept offers or go online.
 */
export const onUserRoleWritten = onDocumentWritten({ document: "users/{uid}", retry: true }, retried("onUserRoleWritten", async (event) => {
  const before = event.data?.before.data();
  const after = event.data?.after.data();
  if (!after || before?.role === after.role) return;
  const service = await import("./service");
  await service.syncRoleClaim(event.params.uid);
  if (before?.role === "driver") await service.revokeDriverApprovalIfDemoted(event.params.uid);
}));

/** Callable `setUserRole({uid, role})`: admins only. */
export const setUserRole = onCall(async (request) => {
  const service = await import("./service");
  return service.setUserRole(request);
});

/** Callable `deleteAccount({})`: the caller deletes their own account and personal data. */
export const deleteAccount = onCall(async (request) => {
  const deletion = await import("./deletion");
  return deletion.deleteAccount(request);
});

// Auth user-deletion events exist only as 1st-gen triggers; this is the one v1 function.
export const onAuthUserDeleted = region(REGION)
  .auth.user()
  .onDelete(async (user) => {
    const { deleteUserData } = await import("./deletion");
    await deleteUserData(user.uid);
  });
