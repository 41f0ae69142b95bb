// What the benches share: command-line numbers, percentiles, signed-in client SDK users, batching.
import { signInWithCustomToken } from "firebase/auth";
import { adminAuth } from "../test/helpers/admin";
import { clientApp } from "../test/helpers/clients";

/** `--name N` from the command line; the fallback when absent or not a positive number. */
export function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at > 0 ? Number(process.argv[at + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles; NaN for an empty sample. */
export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : Number.NaN);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type BenchClient = Awaited<ReturnType<typeof clientApp>> & { uid: string };

/** A client SDK app of its own for `uid`, signed in with a custom token carrying `claims`. */
export async function signedIn(uid: string, claims: Record<string, unknown> = {}): Promise<BenchClient> {
  const client = await clientApp(`${uid}-${Math.random().toString(36).slice(2, 6)}`);
  await signInWithCustomToken(client.auth, await adminAuth().createCustomToken(uid, claims));
  return { uid, ...client };
}

export async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}
