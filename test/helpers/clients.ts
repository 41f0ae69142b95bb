// Client SDK users, as the mobile apps are: each signed-in user gets their own Firebase app instance
// connected to the emulators, so tests exercise the real security rules and callables.
import { deleteApp, initializeApp, type FirebaseApp } from "firebase/app";
import { connectAuthEmulator, getAuth, signInWithCustomToken, type Auth } from "firebase/auth";
import { connectFirestoreEmulator, getFirestore, type Firestore } from "firebase/firestore";
import { connectFunctionsEmulator, getFunctions, httpsCallable, type Functions } from "firebase/functions";
import { connectStorageEmulator, getStorage, type FirebaseStorage } from "firebase/storage";
import { adminAuth } from "./admin";
import { checkCallableOutput } from "./callableOutputs";
import { emulatorEndpoints, hostPort, projectId, region, storageBucket } from "./emulators";

export interface ClientUser {
  uid: string;
  app: FirebaseApp;
  auth: Auth;
  db: Firestore;
  functions: Functions;
  storage: FirebaseStorage;
  /** Calls a callable; the result is checked against the callable's output schema (test/helpers/callableOutputs.ts). */
  call<Req, Res>(name: string, data: Req): Promise<Res>;
  close(): Promise<void>;
}

let counter = 0;

export async function clientApp(name = `client-${++counter}-${Date.now()}`): Promise<Omit<ClientUser, "uid">> {
  const app = initializeApp({ projectId, apiKey: "fake-api-key", storageBucket, authDomain: `${projectId}.firebaseapp.com` }, name);
  const auth = getAuth(app);
  const authHost = hostPort("FIREBASE_AUTH_EMULATOR_HOST");
  connectAuthEmulator(auth, `http://${authHost.host}:${authHost.port}`, { disableWarnings: true });
  const db = getFirestore(app);
  const fs = hostPort("FIRESTORE_EMULATOR_HOST");
  connectFirestoreEmulator(db, fs.host, fs.port);
  const functions = getFunctions(app, region);
  const endpoints = await emulatorEndpoints();
  if (endpoints.functions) connectFunctionsEmulator(functions, endpoints.functions.host, endpoints.functions.port);
  const storage = getStorage(app);
  if (endpoints.storage) connectStorageEmulator(storage, endpoints.storage.host, endpoints.storage.port);
  return {
    app,
    auth,
    db,
    functions,
    storage,
    call: async <Req, Res>(callable: string, data: Req) => {
      const { data: result } = await httpsCallable<Req, Res>(functions, callable)(data);
      checkCallableOutput(callable, result);
      return result;
    },
    close: () => deleteApp(app),
  };
}

/**
 * A signed-in client user. The Auth emulator accepts the Admin SDK's unsigned custom tokens; `claims` become
 * custom claims on the ID token (e.g. {role: "driver"}). Identity tests use the real phone OTP flow instead.
 */
export async function signedInClient(uid: string, claims: Record<string, unknown> = {}, profile: { phoneNumber?: string; displayName?: string } = {}): Promise<ClientUser> {
  try {
    await adminAuth().createUser({ uid, ...profile });
  } catch (error) {
    if ((error as { code?: string }).code !== "auth/uid-already-exists") throw error;
  }
  if (Object.keys(claims).length) await adminAuth().setCustomUserClaims(uid, claims);
  const token = await adminAuth().createCustomToken(uid, claims);
  const client = await clientApp();
  await signInWithCustomToken(client.auth, token);
  return { uid, ...client };
}

export async function anonymousClient(): Promise<Omit<ClientUser, "uid">> {
  return clientApp();
}

export function uniqueId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
