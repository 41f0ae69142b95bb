// Where the running emulators are, read from the hub that `firebase emulators:exec` announces.
import { readFileSync } from "node:fs";
import path from "node:path";

export const repoRoot = path.resolve(import.meta.dirname, "..", "..");
export const projectId: string = JSON.parse(readFileSync(path.join(repoRoot, ".firebaserc"), "utf8")).projects.default;
export const region = "europe-west1";
export const storageBucket = `${projectId}.appspot.com`;

export interface Endpoint {
  host: string;
  port: number;
}

let cached: Record<string, Endpoint> | undefined;

export async function emulatorEndpoints(): Promise<Record<string, Endpoint>> {
  if (cached) return cached;
  const hub = process.env.FIREBASE_EMULATOR_HUB;
  if (!hub) throw new Error("FIREBASE_EMULATOR_HUB is not set: start the tests with `npm test`.");
  const response = await fetch(`http://${hub}/emulators`);
  const body = (await response.json()) as Record<string, { host: string; port: number }>;
  cached = Object.fromEntries(Object.entries(body).map(([name, e]) => [name, { host: e.host, port: e.port }]));
  return cached;
}

export function hostPort(variable: string): Endpoint {
  const value = process.env[variable];
  if (!value) throw new Error(`${variable} is not set: start the tests with \`npm test\`.`);
  const [host, port] = value.split(":");
  return { host: host!, port: Number(port) };
}
