import { fieldValue } from "../common/firebase";
import { REGION } from "../common/config";
import { healthChecks, pingInputSchema, type PingOutput } from "./schema";
import { validate } from "../common/validation";
import { processOnce } from "../common/idempotency";

export async function answerHealthCheck(checkId: string, eventId: string): Promise<void> {
  const ref = healthChecks.docRef(checkId);
  await processOnce("healthCheck", eventId, async (tx) => {
    const snap = await tx.get(ref);
    const check = snap.data();
    if (!check || check.respondedAt) return;
    tx.update(ref, {
      respondedAt: fieldValue().serverTimestamp(),
      latencyMs: Date.now() - check.requestedAt.toMillis(),
      region: REGION,
    });
  });
}

export function ping(uid: string | undefined, data: unknown): PingOutput {
  const { echo } = validate(pingInputSchema, data ?? {});
  return { ok: true, uid: uid ?? null, echo: echo ?? null, serverTime: new Date().toISOString() };
}
