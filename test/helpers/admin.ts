// The Admin SDK as the tests' "server hand": seeds data and inspects results, bypassing rules. It talks to the
// emulators because firebase emulators:exec sets FIRESTORE_EMULATOR_HOST and FIREBASE_AUTH_EMULATOR_HOST.
import { getApps, initializeApp, type App } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { getFirestore, type Firestore } from "firebase-admin/firestore";
import { projectId, storageBucket } from "./emulators";

let app: App | undefined;

export function adminApp(): App {
  app ??= getApps().find((a) => a.name === "[DEFAULT]") ?? initializeApp({ projectId, storageBucket });
  return app;
}

export function adminDb(): Firestore {
  return getFirestore(adminApp());
}

export function adminAuth() {
  return getAuth(adminApp());
}

/**
 * Runs `attempt` again when Firestore aborts it for contention (gRPC ABORTED), up to `times` in all: for a test
 * that calls a service beside the emulator's trigger doing the same, where both contend on the same documents.
 */
export async function retryAborted<T>(attempt: () => Promise<T>, times = 3): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n >= times || (error as { code?: unknown }).code !== 10) throw error;
    }
  }
}

/** Polls `read` until `predicate` holds (triggers run asynchronously), or fails with the last value seen. */
export async function waitFor<T>(
  read: () => Promise<T>,
  predicate: (value: T) => boolean,
  { timeoutMs = 20_000, intervalMs = 100, what = "condition" } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!predicate(last)) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    last = await read();
  }
  return last;
}

export async function waitForDoc(path: string, predicate: (data: FirebaseFirestore.DocumentData | undefined) => boolean, what?: string) {
  return waitFor(async () => (await adminDb().doc(path).get()).data(), predicate, { what: what ?? path });
}
