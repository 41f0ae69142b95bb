// Firebase Admin is initialised once per instance, on first use, so that loading a function's module does not
// pay for it (cold starts). Import these getters instead of calling initializeApp anywhere else.
import type { App } from "firebase-admin/app";
import type { Firestore } from "firebase-admin/firestore";
import type { Auth } from "firebase-admin/auth";

let app: App | undefined;
let firestore: Firestore | undefined;

export function adminApp(): App {
  if (!app) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { getApps, initializeApp } = require("firebase-admin/app") as typeof import("firebase-admin/app");
    app = getApps()[0] ?? initializeApp();
  }
  return app;
}

export function db(): Firestore {
  if (!firestore) {
    const { getFirestore } = require("firebase-admin/firestore") as typeof import("firebase-admin/firestore");
    firestore = getFirestore(adminApp());
    firestore.settings({ ignoreUndefinedProperties: true });
  }
  return firestore;
}

export function auth(): Auth {
  const { getAuth } = require("firebase-admin/auth") as typeof import("firebase-admin/auth");
  return getAuth(adminApp());
}

export function storage(): import("firebase-admin/storage").Storage {
  const { getStorage } = require("firebase-admin/storage") as typeof import("firebase-admin/storage");
  return getStorage(adminApp());
}

export function messaging(): import("firebase-admin/messaging").Messaging {
  const { getMessaging } = require("firebase-admin/messaging") as typeof import("firebase-admin/messaging");
  return getMessaging(adminApp());
}

/** Firestore field values (serverTimestamp, increment, …) without importing firebase-admin at module load. */
export function fieldValue(): typeof import("firebase-admin/firestore").FieldValue {
  return (require("firebase-admin/firestore") as typeof import("firebase-admin/firestore")).FieldValue;
}

export function timestamp(): typeof import("firebase-admin/firestore").Timestamp {
  return (require("firebase-admin/firestore") as typeof import("firebase-admin/firestore")).Timestamp;
}
