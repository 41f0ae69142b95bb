// The pricing document as editable fields, pure: its leaves with their paths (the server's error paths are
// the same dot-joined zod paths, functions/src/common/validation.ts), and the server's errors put on them.
export type Leaf = string | number | boolean | null;

export interface Field {
  /** "categories.standard.baseFareMinor", "surge.windows.0.multiplier". */
  path: string;
  segments: string[];
  value: Leaf;
  /** Firestore cannot update one element of an array in place: such fields are shown, not edited. */
  inArray: boolean;
}

/** Fields the server owns on pricing/{serviceType}. */
export const SERVER_FIELDS = ["validation", "activeVersion"];

export function flattenConfig(config: Record<string, unknown>): Field[] {
  const fields: Field[] = [];
  const walk = (value: unknown, segments: string[], inArray: boolean) => {
    if (Array.isArray(value)) {
      if (!value.length) fields.push({ path: segments.join("."), segments, value: "[]", inArray: true });
      value.forEach((v, i) => walk(v, [...segments, String(i)], true));
    } else if (value && typeof value === "object" && typeof (value as { toMillis?: unknown }).toMillis !== "function") {
      const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
      for (const [key, v] of entries) walk(v, [...segments, key], inArray);
    } else {
      const leaf = value === undefined ? null : typeof value === "object" && value ? new Date((value as { toMillis(): number }).toMillis()).toISOString() : (value as Leaf);
      fields.push({ path: segments.join("."), segments, value: leaf, inArray });
    }
  };
  for (const [key, value] of Object.entries(config).sort(([a], [b]) => a.localeCompare(b))) {
    if (!SERVER_FIELDS.includes(key)) walk(value, [key], false);
  }
  return fields;
}

export interface FieldIssue {
  path: string;
  message: string;
}

/**
 * The server's errors by field: each error goes to the field at its path, or else to the closest field under it
 * (a wrong object), and the rest (a missing field, the whole document) are `general`.
 */
export function placeErrors(fields: readonly Field[], errors: readonly FieldIssue[]): { byPath: Map<string, string[]>; general: FieldIssue[] } {
  const byPath = new Map<string, string[]>();
  const general: FieldIssue[] = [];
  for (const error of errors) {
    const exact = fields.find((f) => f.path === error.path);
    const under = error.path ? fields.find((f) => f.path.startsWith(`${error.path}.`)) : undefined;
    const target = exact ?? under;
    if (target) byPath.set(target.path, [...(byPath.get(target.path) ?? []), error.message]);
    else general.push(error);
  }
  return { byPath, general };
}

/** What an edited input means: a number where the field held a number and the text is one, else the text. */
export function parseInput(text: string, previous: Leaf): Leaf {
  if (typeof previous === "boolean") return text === "true";
  if (typeof previous === "number" && text.trim() !== "" && Number.isFinite(Number(text))) return Number(text);
  return text;
}
