// Decodes the application/x-www-form-urlencoded bodies the stripe SDK sends for v1 endpoints, with its bracket
// notation: `metadata[bookingId]=b1`, `expand[0]=latest_charge`, `a[b][c]=d`.
export type FormValue = string | FormObject | FormValue[];
export interface FormObject {
  [key: string]: FormValue;
}

export function parseForm(body: string): FormObject {
  const root: FormObject = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const [head, ...rest] = rawKey.split("[").map((part, i) => (i === 0 ? part : part.replace(/]$/, "")));
    const keys = [head!, ...rest];
    let node: FormObject = root;
    keys.forEach((key, i) => {
      if (i === keys.length - 1) {
        node[key] = value;
        return;
      }
      const next = node[key];
      if (typeof next !== "object" || next === null) node[key] = {};
      node = node[key] as FormObject;
    });
  }
  return normaliseArrays(root) as FormObject;
}

// `{0: a, 1: b}` (from `x[0]=a&x[1]=b`) becomes `[a, b]`.
function normaliseArrays(value: FormValue): FormValue {
  if (typeof value !== "object" || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const entries = keys.map((k) => [k, normaliseArrays(value[k]!)] as const);
  if (keys.length > 0 && keys.every((k, i) => k === String(i))) return entries.map(([, v]) => v);
  return Object.fromEntries(entries);
}

export function asString(value: FormValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function asInt(value: FormValue | undefined): number | undefined {
  const text = asString(value);
  if (text === undefined || !/^-?\d+$/.test(text)) return undefined;
  return Number(text);
}

export function asBool(value: FormValue | undefined): boolean | undefined {
  const text = asString(value);
  return text === undefined ? undefined : text === "true";
}

export function asStringMap(value: FormValue | undefined): Record<string, string> {
  if (typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
}
