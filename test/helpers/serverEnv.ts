// Integration tests also call service code from functions/src directly (to deliver the same event twice,
// or to run a scheduled job at a chosen time). Give that code the configuration the Functions runtime has.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const projectId: string = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "..", "..", ".firebaserc"), "utf8")).projects.default;
process.env.GCLOUD_PROJECT ??= projectId;
process.env.FIREBASE_CONFIG ??= JSON.stringify({ projectId, storageBucket: `${projectId}.appspot.com` });

/** Loads the BUILT functions (functions/lib), with their own firebase-admin, as the Functions runtime does. */
export const requireFromFunctions = createRequire(path.resolve(import.meta.dirname, "..", "..", "functions", "lib", "index.js"));

/** What the payments step needs in this process: the Stripe test server as the Stripe API. */
export function useStripeTestServer(): void {
  const url = new URL(process.env.STRIPE_TEST_SERVER_URL!);
  Object.assign(process.env, { STRIPE_SECRET_KEY: "sk_test_fleetfire_local_emulator", STRIPE_API_HOST: url.hostname, STRIPE_API_PORT: url.port, STRIPE_API_PROTOCOL: "http" });
}
