// Admin config documents edited in the console (pricing/{serviceType}, serviceAreas/{serviceType}): each write is
// validated with zod, the verdict is written back with field paths, and only a valid config becomes active
// (`<active>/{id}` plus the history `<collection>/{id}/versions/{n}`); an invalid edit leaves the last valid
// version in force.
import { createHash } from "node:crypto";
import type { z } from "zod";
import { db, fieldValue } from "./firebase";
import { processOnce } from "./idempotency";
import { describeIssues, type FieldIssue } from "./validation";
import * as logger from "./logger";

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

/** Fields the server writes on a config document; they are not part of the config. */
export const CONFIG_SERVER_FIELDS = ["validation", "activeVersion"] as const;

export interface ConfigDocumentKind {
  /** processOnce scope and log label, e.g. "pricingValidation". */
  scope: string;
  label: string;
  collection: string;
  activeCollection: string;
  /** The schema for this document id, or the error when the id itself is unknown. */
  schemaFor(id: string): z.ZodType | { error: string };
}

/**
 * Runs once per event, in a transaction on the current document (not the event's snapshot, so out-of-order
 * deliveries settle on the latest edit). The trigger's own `validation` write changes no config field: its
 * hash equals `validation.configHash`, so that event stops here and nothing loops.
 */
export async function validateConfigDocument(kind: ConfigDocumentKind, id: string, eventId: string): Promise<ValidationOutcome | null> {
  const ref = db().doc(`${kind.collection}/${id}`);
  const outcome = await processOnce(kind.scope, eventId, async (tx) => {
    const snap = await tx.get(ref);
    if (!snap.exists) return null; // deleted: the active config stays in force
    const data = snap.data() ?? {};
    const config = Object.fromEntries(Object.entries(data).filter(([key]) => !(CONFIG_SERVER_FIELDS as readonly string[]).includes(key)));
    const hash = configHash(config);
    if ((data.validation as { configHash?: string } | undefined)?.configHash === hash) return null;

    const schema = kind.schemaFor(id);
    const parsed = "safeParse" in schema ? schema.safeParse(config) : null;
    const checkedAt = fieldValue().serverTimestamp();
    const activeRef = db().doc(`${kind.activeCollection}/${id}`);
    // The version in force is the active document's: a console edit that replaces the whole document drops
    // the old `validation` with it.
    const active = (await tx.get(activeRef)).data() as { version: number; configHash: string } | undefined;
    if (!parsed?.success) {
      const errors = parsed ? describeIssues(parsed.error) : [{ path: "", message: (schema as { error: string }).error }];
      const previous = active?.version ?? null;
      tx.update(ref, { validation: { ok: false, errors, checkedAt, configHash: hash, activeVersion: previous } });
      return { ok: false, errors, version: previous };
    }

    let version = active?.version ?? 0;
    if (active?.configHash !== hash) {
      version += 1;
      const record = { serviceType: id, version, configHash: hash, config: parsed.data, activatedAt: checkedAt };
      tx.set(activeRef, record);
      tx.set(ref.collection("versions").doc(String(version)), record);
    }
    tx.update(ref, { validation: { ok: true, errors: [], checkedAt, configHash: hash, activeVersion: version } });
    return { ok: true, errors: [], version };
  });
  if (!outcome.processed || !outcome.result) return null;
  const { ok, errors, version } = outcome.result;
  if (ok) logger.info(`${kind.label} config accepted`, { serviceType: id, version });
  else logger.warn(`${kind.label} config rejected; the previous version stays in force`, { serviceType: id, version, errors });
  return outcome.result;
}
