// One Firebase app for the page, on the emulators whose addresses were baked in at build time (vite.config.ts).
// Firestore keeps its cache and the pending writes in IndexedDB (shared by tabs), Auth keeps the user there
// too: a reload with no network restores both.
import { initializeApp } from "firebase/app";
import { browserLocalPersistence, connectAuthEmulator, indexedDBLocalPersistence, initializeAuth } from "firebase/auth";
import { connectFirestoreEmulator, initializeFirestore, persistentLocalCache, persistentMultipleTabManager } from "firebase/firestore";
import { connectFunctionsEmulator, getFunctions, httpsCallable } from "firebase/functions";
import { connectStorageEmulator, getStorage } from "firebase/storage";

interface Endpoint {
  host: string;
  port: number;
}
declare const __FLEETFIRE__: {
  projectId: string;
  region: string;
  emulators: Partial<Record<"auth" | "firestore" | "functions" | "storage", Endpoint>>;
  /** Under the emulators: the local Stripe test server, where the page confirms card payments (Stripe.js's part). */
  stripeTestServer?: string | null;
};

export const config = __FLEETFIRE__;
const { projectId, emulators } = config;

export const app = initializeApp({ projectId, apiKey: "demo-api-key", authDomain: `${projectId}.firebaseapp.com`, storageBucket: `${projectId}.appspot.com` });

export const auth = initializeAuth(app, { persistence: [indexedDBLocalPersistence, browserLocalPersistence] });
if (emulators.auth) connectAuthEmulator(auth, `http://${emulators.auth.host}:${emulators.auth.port}`, { disableWarnings: true });
// The Auth emulator sends no SMS and checks no reCAPTCHA.
auth.settings.appVerificationDisabledForTesting = true;

export const db = initializeFirestore(app, { localCache: persistentLocalCache({ tabManager: persistentMultipleTabManager() }) });
if (emulators.firestore) connectFirestoreEmulator(db, emulators.firestore.host, emulators.firestore.port);

export const functions = getFunctions(app, config.region);
if (emulators.functions) connectFunctionsEmulator(functions, emulators.functions.host, emulators.functions.port);

export const storage = getStorage(app);
if (emulators.storage) connectStorageEmulator(storage, emulators.storage.host, emulators.storage.port);

export async function call<Req, Res>(name: string, data: Req): Promise<Res> {
  return (await httpsCallable<Req, Res>(functions, name)(data)).data;
}

/** Where the Auth emulator lists the SMS codes it would have sent. */
export function verificationCodesUrl(): string | undefined {
  return emulators.auth ? `http://${emulators.auth.host}:${emulators.auth.port}/emulator/v1/projects/${projectId}/verificationCodes` : undefined;
}
