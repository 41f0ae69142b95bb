// Test hooks honoured ONLY by the Functions emulator (FUNCTIONS_EMULATOR=true); in production both are no-ops
// and read no environment beyond that flag.
//   - FLEETFIRE_FAULTS_DIR: a folder whose file `steps` lists lines "<step> <document-id prefix>"; the first run of
//     that step for a document whose id starts with the prefix throws once (a marker file remembers it), so the
//     fault tests can make each pipeline step fail exactly once.
//   - FLEETFIRE_TRIGGER_LOG: a file that gets one JSON line per Firestore-triggered invocation
//     (bench/invocations.ts counts them).
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isEmulator } from "./config";

export class InjectedFault extends Error {}

export function injectedFault(step: string, path: string): void {
  const dir = process.env.FLEETFIRE_FAULTS_DIR;
  if (!dir || !isEmulator()) return;
  const file = join(dir, "steps");
  if (!existsSync(file)) return;
  const docId = path.split("/").pop() ?? "";
  const armed = readFileSync(file, "utf8")
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .some(([name, prefix]) => name === step && prefix && docId.startsWith(prefix));
  if (!armed) return;
  const marker = join(dir, `fired__${step}__${path.replace(/[^A-Za-z0-9_-]/g, "_")}`);
  if (existsSync(marker)) return;
  writeFileSync(marker, new Date().toISOString());
  throw new InjectedFault(`injected fault: ${step} on ${path}`);
}

export function recordInvocation(entry: Record<string, unknown>): void {
  const file = process.env.FLEETFIRE_TRIGGER_LOG;
  if (!file || !isEmulator()) return;
  appendFileSync(file, `${JSON.stringify({ at: Date.now(), ...entry })}\n`);
}
