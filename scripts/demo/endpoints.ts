// Where the emulators of `npm start` listen: firebase.json's ports shifted by FLEETFIRE_PORT_OFFSET, as
// scripts/lib/emulators.mjs computes them, and the local Stripe test server at 12111 + offset
// (scripts/lib/stripe-test-server.mjs). Under `firebase emulators:exec` (the tests) the variables it sets win.
import { readFileSync } from "node:fs";
import path from "node:path";

export const repoRoot = path.resolve(import.meta.dirname, "..", "..");
const STRIPE_TEST_BASE_PORT = 12111;

export class DemoSetupError extends Error {}

interface Address {
  host: string;
  port: number;
}

function configuredAddresses(offset: number): Record<string, Address> {
  const emulators = JSON.parse(readFileSync(path.join(repoRoot, "firebase.json"), "utf8")).emulators as Record<string, unknown>;
  const addresses: Record<string, Address> = {};
  for (const [name, settings] of Object.entries(emulators)) {
    if (typeof settings !== "object" || !settings || !("port" in settings)) continue;
    const { host, port } = settings as Address;
    addresses[name] = { host: host ?? "127.0.0.1", port: port + offset };
  }
  return addresses;
}

/** Points this process at the running emulators (env vars the SDK helpers read) and says where they are. */
export function useRunningEmulators(): { offset: number; hub: string; stripeUrl: string } {
  const offset = Number(process.env.FLEETFIRE_PORT_OFFSET || 0);
  const addresses = configuredAddresses(offset);
  const at = (name: string) => `${addresses[name]!.host}:${addresses[name]!.port}`;
  process.env.FIRESTORE_EMULATOR_HOST ??= at("firestore");
  process.env.FIREBASE_AUTH_EMULATOR_HOST ??= at("auth");
  process.env.FIREBASE_EMULATOR_HUB ??= at("hub");
  process.env.STRIPE_TEST_SERVER_URL ??= `http://127.0.0.1:${STRIPE_TEST_BASE_PORT + offset}`;
  const projectId: string = JSON.parse(readFileSync(path.join(repoRoot, ".firebaserc"), "utf8")).projects.default;
  process.env.GCLOUD_PROJECT ??= projectId;
  // The Admin SDK would otherwise probe for a cloud metadata server (and warn) before using the emulators.
  process.env.METADATA_SERVER_DETECTION ??= "none";
  return { offset, hub: process.env.FIREBASE_EMULATOR_HUB, stripeUrl: process.env.STRIPE_TEST_SERVER_URL };
}

async function answers(url: string): Promise<Response | undefined> {
  try {
    return await fetch(url, { signal: AbortSignal.timeout(5_000) });
  } catch {
    return undefined;
  }
}

/** Fails with what to do when the emulators (with Functions) or the Stripe test server are not there. */
export async function checkEmulatorsRunning(): Promise<void> {
  const { offset, hub, stripeUrl } = useRunningEmulators();
  const start = `FLEETFIRE_PORT_OFFSET=${offset} npm start`;
  const response = await answers(`http://${hub}/emulators`);
  if (!response?.ok) {
    throw new DemoSetupError(`The emulators are not running (no emulator hub at ${hub}).\n  Start them first, in another terminal: ${start}\n  (the demo uses the same FLEETFIRE_PORT_OFFSET, ${offset}, to find them).`);
  }
  const running = (await response.json()) as Record<string, unknown>;
  const missing = ["firestore", "auth", "functions", "tasks"].filter((name) => !running[name]);
  if (missing.length) throw new DemoSetupError(`The running emulators lack ${missing.join(", ")}: start them with \`${start}\`.`);
  if (!(await answers(`${stripeUrl}/_test/health`))?.ok) {
    throw new DemoSetupError(`The local Stripe test server is not answering at ${stripeUrl}: card payments cannot work.\n  It is started by \`${start}\`.`);
  }
}
