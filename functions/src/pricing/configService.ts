// Validates every write of `pricing/{serviceType}` and keeps the last valid config in force:
// pricingActive/{serviceType} (what quotes read) and pricing/{serviceType}/versions/{n} (history).
import { createHash } from "node:crypto";
import { db, fieldValue } from "../common/firebase";
import { processOnce } from "../common/idempotency";
import { serviceTypeSchema } from "../common/schema";
import { describeIssues, type FieldIssue } from "../common/validation";
import * as logger from "../common/logger";
import { pricingConfigSchemaFor, SERVER_FIELDS } from "./configSchema";

/** Key-order independent JSON, so the console re-ordering fields is not a new version. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    if (typeof (value as { toMillis?: unknown }).toMillis === "function") return JSON.stringify((value as { toMillis(): number }).toMillis());
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function configHash(config: Record<string, unknown>): string {
  return createHash("sha256").update(canonical(config)).digest("hex").slice(0, 32);
}

export interface ValidationOutcome {
  ok: boolean;
  errors: FieldIssue[];
  version: number | null;
}

/**
 * Runs once per event, in a transaction on the current document (not the event's snapshot, so out-of-order
 * deliveries settle on the latest edit). The trigger's own `validation` write changes no config field: its
 * hash equals `validation.configHash`, so that event stops here and nothing loops.
 */
export async function validatePricingDocument(serviceTypeParam: string, eventId: string): Promise<ValidationOutcome | null> {
  const pricingRef = db().doc(`pricing/${serviceTypeParam}`);
  const outcome = await processOnce("pricingValidation", eventId, async (tx) => {
    const snap = await tx.get(pricingRef);
    if (!snap.exists) return null; // deleted: the active config stays in force
    const data = snap.data() ?? {};
    const config = Object.fromEntries(Object.entries(data).filter(([key]) => !(SERVER_FIELDS as readonly string[]).includes(key)));
    const hash = configHash(config);
    if ((data.validation as { configHash?: string } | undefined)?.configHash === hash) return null;

    const serviceType = serviceTypeSchema.safeParse(serviceTypeParam);
    const parsed = serviceType.success ? pricingConfigSchemaFor(serviceType.data).safeParse(config) : null;
    const checkedAt = fieldValue().serverTimestamp();
    if (!parsed?.success) {
      const errors = parsed ? describeIssues(parsed.error) : [{ path: "", message: `unknown service type ${serviceTypeParam} (ride, delivery, hourly)` }];
      const previous = (data.validation as { activeVersion?: number } | undefined)?.activeVersion ?? null;
      tx.update(pricingRef, { validation: { ok: false, errors, checkedAt, configHash: hash, activeVersion: previous } });
      return { ok: false, errors, version: previous };
    }

    const activeRef = db().doc(`pricingActive/${serviceTypeParam}`);
    const active = (await tx.get(activeRef)).data() as { version: number; configHash: string } | undefined;
    let version = active?.version ?? 0;
    if (active?.configHash !== hash) {
      version += 1;
      const record = { serviceType: serviceTypeParam, version, configHash: hash, config: parsed.data, activatedAt: checkedAt };
      tx.set(activeRef, record);
      tx.set(pricingRef.collection("versions").doc(String(version)), record);
    }
    tx.update(pricingRef, { validation: { ok: true, errors: [], checkedAt, configHash: hash, activeVersion: version } });
    return { ok: true, errors: [], version };
  });
  if (!outcome.processed || !outcome.result) return null;
  const { ok, errors, version } = outcome.result;
  if (ok) logger.info("pricing config accepted", { serviceType: serviceTypeParam, version });
  else logger.warn("pricing config rejected; the previous version stays in force", { serviceType: serviceTypeParam, version, errors });
  return outcome.result;
}
