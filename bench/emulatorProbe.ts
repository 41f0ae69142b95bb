// The Firestore emulator's own latency while the load bench runs: the Admin SDK writes, reads and updates in a
// transaction one private document (`benchProbe/{id}`), which no trigger, listener or rule involves, every 500 ms.
// Slow answers there are the emulator being busy, not contention on the pipeline's documents: the figure that
// separates "the functions are slow" from "every write waits in the emulator".
import { adminDb } from "../test/helpers/admin";
import { percentiles } from "./common";

export type ProbeOp = "get" | "write" | "transaction";

export interface ProbeFigures {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

export function startEmulatorProbe(id: string, everyMs = 500): { stop: () => Promise<Record<ProbeOp, ProbeFigures>> } {
  const ref = adminDb().doc(`benchProbe/${id}`);
  const samples: Record<ProbeOp, number[]> = { get: [], write: [], transaction: [] };
  const ops: Record<ProbeOp, () => Promise<unknown>> = {
    get: () => ref.get(),
    write: () => ref.set({ at: Date.now() }, { merge: true }),
    transaction: () => adminDb().runTransaction(async (tx) => tx.set(ref, { n: ((await tx.get(ref)).get("n") ?? 0) + 1 }, { merge: true })),
  };
  let running = true;
  const loops = (Object.keys(ops) as ProbeOp[]).map(async (op) => {
    while (running) {
      const start = Date.now();
      await ops[op]().catch(() => undefined);
      samples[op].push(Date.now() - start);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, everyMs - (Date.now() - start))));
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      await ref.delete().catch(() => undefined);
      const figures = (op: ProbeOp): ProbeFigures => {
        const s = percentiles(samples[op]);
        return { n: samples[op].length, p50: s.p50, p95: s.p95, max: s.max };
      };
      return { get: figures("get"), write: figures("write"), transaction: figures("transaction") };
    },
  };
}
