// The deployed functions as firebase-tools sees them: each export of functions/lib/index.js carries an
// `__endpoint` (trigger, region, secrets, schedule, retry). Loaded in a child process with a fixed, fake project
// so that the module's side effects (global options, params) stay out of the caller and the output is stable.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { repoRoot } from "./generatedFiles";

const FAKE_BUCKET = "fleetfire-docs.appspot.com";

export interface Endpoint {
  name: string;
  kind: "Firestore trigger" | "callable" | "HTTPS" | "scheduled" | "task queue" | "Storage trigger" | "Auth trigger (1st gen)" | "Auth blocking" | "other";
  trigger: string;
  region: string;
  /** Event triggers: whether a failed run is retried. */
  retry?: boolean;
  secrets: string[];
  memoryMb: number | null;
  timeoutSeconds: number | null;
}

interface RawEndpoint {
  region?: string[];
  availableMemoryMb?: number | null;
  timeoutSeconds?: number | null;
  secretEnvironmentVariables?: Array<{ key: string }>;
  eventTrigger?: { eventType: string; eventFilters?: Record<string, string>; eventFilterPathPatterns?: Record<string, string>; retry?: boolean };
  httpsTrigger?: object;
  callableTrigger?: object;
  scheduleTrigger?: { schedule: string; timeZone?: string | null; retryConfig?: { retryCount?: number | null } };
  taskQueueTrigger?: { retryConfig?: { maxAttempts?: number | null; minBackoffSeconds?: number | null }; rateLimits?: { maxConcurrentDispatches?: number | null } };
  blockingTrigger?: { eventType: string };
}

const LOADER = `
const m = require(${JSON.stringify(path.join(repoRoot, "functions/lib/index.js"))});
const out = {};
for (const [name, value] of Object.entries(m)) if (value && value.__endpoint) out[name] = value.__endpoint;
process.stdout.write("\\n@@ENDPOINTS@@" + JSON.stringify(out));
`;

function loadRaw(): Record<string, RawEndpoint> {
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    GCLOUD_PROJECT: "fleetfire-docs",
    FIREBASE_CONFIG: JSON.stringify({ projectId: "fleetfire-docs", storageBucket: FAKE_BUCKET }),
  };
  const child = spawnSync(process.execPath, ["-e", LOADER], { cwd: repoRoot, env, encoding: "utf8" });
  const marker = child.stdout.indexOf("@@ENDPOINTS@@");
  if (child.status !== 0 || marker < 0) {
    throw new Error(`could not load functions/lib/index.js (run npm run build first):\n${child.stderr}`);
  }
  return JSON.parse(child.stdout.slice(marker + "@@ENDPOINTS@@".length));
}

function describe(raw: RawEndpoint): Pick<Endpoint, "kind" | "trigger" | "retry"> {
  if (raw.callableTrigger) return { kind: "callable", trigger: "`httpsCallable`" };
  if (raw.httpsTrigger) return { kind: "HTTPS", trigger: "`POST https://<region>-<project>.cloudfunctions.net/<name>`" };
  if (raw.scheduleTrigger) {
    const { schedule, timeZone } = raw.scheduleTrigger;
    return { kind: "scheduled", trigger: `\`${schedule}\` (${timeZone ?? "UTC"})` };
  }
  if (raw.taskQueueTrigger) {
    const { retryConfig, rateLimits } = raw.taskQueueTrigger;
    const parts = [`max ${retryConfig?.maxAttempts ?? "default"} attempts`];
    if (retryConfig?.minBackoffSeconds) parts.push(`backoff from ${retryConfig.minBackoffSeconds} s`);
    if (rateLimits?.maxConcurrentDispatches) parts.push(`≤ ${rateLimits.maxConcurrentDispatches} concurrent`);
    return { kind: "task queue", trigger: `Cloud Tasks queue: ${parts.join(", ")}` };
  }
  if (raw.blockingTrigger) return { kind: "Auth blocking", trigger: `\`${raw.blockingTrigger.eventType}\`` };
  const event = raw.eventTrigger;
  if (!event) return { kind: "other", trigger: "?" };
  const firestore = /^google\.cloud\.firestore\.document\.v1\.(\w+)$/.exec(event.eventType);
  if (firestore) return { kind: "Firestore trigger", trigger: `${firestore[1]} \`${event.eventFilterPathPatterns?.document}\``, retry: event.retry ?? false };
  const storage = /^google\.cloud\.storage\.object\.v1\.(\w+)$/.exec(event.eventType);
  if (storage) {
    const bucket = event.eventFilters?.bucket === FAKE_BUCKET ? "the default bucket" : `\`${event.eventFilters?.bucket}\``;
    return { kind: "Storage trigger", trigger: `object ${storage[1]} in ${bucket}`, retry: event.retry ?? false };
  }
  const auth = /^providers\/firebase\.auth\/eventTypes\/user\.(\w+)$/.exec(event.eventType);
  if (auth) return { kind: "Auth trigger (1st gen)", trigger: `user ${auth[1]}`, retry: event.retry ?? false };
  return { kind: "other", trigger: `\`${event.eventType}\``, retry: event.retry ?? false };
}

/** Every exported function, in export order. */
export function loadEndpoints(): Endpoint[] {
  return Object.entries(loadRaw()).map(([name, raw]) => ({
    name,
    ...describe(raw),
    region: (raw.region ?? ["us-central1"]).join(", "),
    secrets: (raw.secretEnvironmentVariables ?? []).map((s) => s.key),
    memoryMb: raw.availableMemoryMb ?? null,
    timeoutSeconds: raw.timeoutSeconds ?? null,
  }));
}
