// The one way to read a setting.
//   - Deployment settings are firebase-functions params (functions/.env*, each declared once with its default in
//     the domain's config.ts); `intSetting` reads one, falling back to the default where no Functions runtime has
//     resolved params (service code run from tests and scripts).
//   - Admin settings live in Firestore documents edited in the console (e.g. dispatchSettings/{categoryId});
//     `settingsDocument` reads one, validated by its zod schema: an invalid document is logged and the defaults
//     apply (pricing, versioned and activated on validation, has its own flow: pricing/configService.ts).
import { defineInt } from "firebase-functions/params";
import type { z } from "zod";
import { db } from "./firebase";
import * as logger from "./logger";

export type IntParam = ReturnType<typeof defineInt>;

/** A param's value, or `fallback` where no runtime has resolved it (or it is not a positive integer). */
export function intSetting(param: IntParam, fallback: number): number {
  if (process.env[param.name] === undefined) return fallback;
  const value = param.value();
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export async function settingsDocument<T extends object>(path: string, schema: z.ZodType<Partial<T>>, defaults: T): Promise<T> {
  const snapshot = await db().doc(path).get();
  if (!snapshot.exists) return defaults;
  const parsed = schema.safeParse(snapshot.data());
  if (!parsed.success) {
    logger.warn("invalid settings document ignored: the defaults apply", { path, issues: parsed.error.issues.map((i) => i.message) });
    return defaults;
  }
  return { ...defaults, ...parsed.data };
}
