// The one place that decides where a user's mail may go: the profile's e-mail address only if the Auth record
// holds the same address as verified (a profile written before the rules required verification may hold any).
import { auth } from "../common/firebase";

export async function verifiedEmailOf(uid: string, profileEmail: unknown): Promise<string | null> {
  if (typeof profileEmail !== "string" || !profileEmail.includes("@")) return null;
  const user = await auth().getUser(uid).catch((error: { code?: string }) => {
    if (error.code === "auth/user-not-found") return undefined;
    throw error;
  });
  const verified = user?.emailVerified === true && user.email?.toLowerCase() === profileEmail.toLowerCase();
  return verified ? profileEmail : null;
}
