import { HttpsError } from "firebase-functions/v2/https";
import type { z } from "zod";

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. "pickup.lat" or "stops.2.lng"; "" for the whole input. */
  path: string;
  message: string;
}

const joinPath = (path: ReadonlyArray<PropertyKey>): string => path.map(String).join(".");

export function describeIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) =>
    // An unknown field is reported at its own path, so the client sees exactly which field to drop.
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: joinPath([...issue.path, key]), message: "is not an allowed field" }))
      : [{ path: joinPath(issue.path), message: issue.message }],
  );
}

export function summarise(issues: FieldIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
}

/**
 * Parses untrusted input with a zod schema. On failure throws HttpsError("invalid-argument") whose details
 * list every bad field path, so the client can show the errors next to the fields.
 */
export function validate<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = describeIssues(result.error);
  throw new HttpsError("invalid-argument", `Invalid input: ${summarise(issues)}`, { issues });
}
