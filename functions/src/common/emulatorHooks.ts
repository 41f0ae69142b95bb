// Test hooks honoured ONLY by the Functions emulator (FUNCTIONS_EMULATOR=true); in production both are no-ops
// and read no environment beyond that flag.
//   - FLEETFIRE_FAULTS_DIR: a folder whose file `steps` lists lines "<step> <id prefix> [times]"; the first `times`
//     (default 1) runs of that step on a document path with a segment starting with the prefix throw (marker files
//     count them), so the fault tests can make each pipeline step fail once, or often enough to drop the event.
//   - Redelivery: the Functions emulator never retries a failed event, so under it runPipeline redelivers a failed
//     event itself (EMULATED_RETRIES times, as Eventarc would with retry: true).
//   - FLEETFIRE_TRIGGER_LOG: a file that gets one JSON line per Firestore-triggered invocation
//     (bench/invocations.ts counts them).
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isEmulator } from "./config";

export class InjectedFault extends Error {}

export const EMULATED_RETRIES = 3;

export function emulatorRedelivers(): boolean {
  return isEmulator() && process.env.FLEETFIRE_EMULATE_RETRY !== "0";
}

export function injectedFault(step: string, path: string): void {
  const dir = process.env.FLEETFIRE_FAULTS_DIR;
  if (!dir || !isEmulator()) return;
  const file = join(dir, "steps");
  if (!existsSync(file)) return;
  const segments = path.split("/");
  const rule = readFileSync(file, "utf8")
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .find(([name, prefix]) => name === step && prefix && segments.some((segment) => segment.startsWith(prefix)));
  if (!rule) return;
  const times = Number(rule[2] ?? 1);
  const key = `fired__${step}__${path.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  for (let i = 1; i <= times; i++) {
    const marker = join(dir, `${key}__${i}`);
    if (existsSync(marker)) continue;
    writeFileSync(marker, new Date().toISOString());
    throw new InjectedFault(`injected fault ${i}/${times}: ${step} on ${path}`);
  }
}

export function recordInvocation(entry: Record<string, unknown>): void {
  const file = process.env.FLEETFIRE_TRIGGER_LOG;
  if (!file || !isEmulator()) return;
  appendFileSync(file, `${JSON.stringify({ at: Date.now(), ...entry })}\n`);
}
