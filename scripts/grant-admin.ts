// Grants the admin role to an existing Auth user, found by e-mail or phone number: the very first admin, who
// cannot be made through `setUserRole` (that needs an admin). Writes users/{uid}.role (the source of truth),
// sets the `role` claim at once and revokes the user's refresh tokens so their next sign-in carries it.
//   npm run grant-admin -- --email admin@example.com
//   npm run grant-admin -- --phone +351910000001
// Against the emulators it needs FIRESTORE_EMULATOR_HOST and FIREBASE_AUTH_EMULATOR_HOST; against a real
// project, GOOGLE_APPLICATION_CREDENTIALS (and GCLOUD_PROJECT or --project).
import { getApps, initializeApp } from "firebase-admin/app";
import { getAuth, type UserRecord } from "firebase-admin/auth";
import { FieldValue, getFirestore } from "firebase-admin/firestore";
import { existsSync, readFileSync } from "node:fs";

export function parseArgs(argv: string[]): { email?: string; phone?: string; project?: string } {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const email = value("--email");
  const phone = value("--phone");
  if (Boolean(email) === Boolean(phone)) throw new Error("Give exactly one of --email <address> or --phone <+E.164 number>.");
  if (phone && !/^\+[1-9][0-9]{6,14}$/.test(phone)) throw new Error(`--phone must be in E.164 form, e.g. +351910000001 (got ${phone}).`);
  return { email, phone, project: value("--project") };
}

function defaultProject(): string | undefined {
  const rc = new URL("../.firebaserc", import.meta.url);
  return process.env.GCLOUD_PROJECT ?? (existsSync(rc) ? JSON.parse(readFileSync(rc, "utf8")).projects?.default : undefined);
}

export async function grantAdmin(args: { email?: string; phone?: string; project?: string }): Promise<UserRecord> {
  const app = getApps()[0] ?? initializeApp({ projectId: args.project ?? defaultProject() });
  const auth = getAuth(app);
  const db = getFirestore(app);
  const user = args.email ? await auth.getUserByEmail(args.email) : await auth.getUserByPhoneNumber(args.phone!);
  const ref = db.doc(`users/${user.uid}`);
  await db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    if (snap.exists) tx.update(ref, { role: "admin", updatedAt: FieldValue.serverTimestamp() });
    else
      tx.create(ref, {
        displayName: user.displayName || "Fleetfire admin",
        phoneNumber: user.phoneNumber ?? null,
        ...(user.email ? { email: user.email } : {}),
        role: "admin",
        createdAt: FieldValue.serverTimestamp(),
        updatedAt: FieldValue.serverTimestamp(),
      });
  });
  // The users/{uid} trigger would do the same; doing it here too makes the script work without functions deployed.
  await auth.setCustomUserClaims(user.uid, { ...(user.customClaims ?? {}), role: "admin" });
  await auth.revokeRefreshTokens(user.uid);
  return user;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const user = await grantAdmin(parseArgs(process.argv.slice(2)));
    console.log(`[fleetfire] ${user.email ?? user.phoneNumber} (${user.uid}) is now an admin; they must sign in again.`);
  } catch (error) {
    console.error(`[fleetfire] grant-admin failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
