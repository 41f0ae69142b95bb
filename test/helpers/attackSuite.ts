// The hostile-client attack suite's table machinery (test/rules/attack/*): each collection is described by its
// fixtures, a few legitimate requests (controls, which must SUCCEED so no attack passes vacuously) and a table
// of hostile requests (attacks, every one DENIED). Generators turn a valid payload into the usual attacks:
// unauthenticated access, strangers, extra / missing / mistyped / oversized fields, server-only fields.
import { assertFails, assertSucceeds } from "@firebase/rules-unit-testing";
import {
  collection, collectionGroup, deleteDoc, doc, getDoc, getDocs, query, setDoc, setLogLevel, Timestamp, updateDoc, where,
  type DocumentData, type Firestore, type WhereFilterOp,
} from "firebase/firestore";
import { afterAll, expect, it } from "vitest";
import type { RulesHarness } from "./rules";

/** A caller: a uid with custom claims, or nobody (anonymous). */
export interface Who {
  uid: string | null;
  claims?: Record<string, unknown>;
  label: string;
}
export const ANONYMOUS: Who = { uid: null, label: "anonymous" };
export const RIDER_PHONE = "+351910000501";
export const people = {
  rider: { uid: "rita", claims: { phone_number: RIDER_PHONE }, label: "the rider" },
  otherRider: { uid: "rui", claims: { phone_number: "+351910000502" }, label: "another rider" },
  driver: { uid: "diogo", claims: { role: "driver" }, label: "the driver" },
  otherDriver: { uid: "marta", claims: { role: "driver" }, label: "another driver" },
  /** The driver's uid without the driver role (a stale or forged token). */
  driverWithoutRole: { uid: "diogo", label: "the driver's uid without the role" },
  admin: { uid: "root", claims: { role: "admin" }, label: "an admin" },
  /** A rider who claims a role the server never gave (custom claims are the server's; this checks the rules use them). */
  mallory: { uid: "mallory", claims: { role: "superuser" }, label: "mallory (unknown role claim)" },
} satisfies Record<string, Who>;

/** The Admin SDK's hand (rules disabled): controls on server-only collections show the fixture is really there. */
export const SERVER: Who = { uid: "__server__", label: "the server (rules disabled)" };

export type AttackKind =
  | "unauthenticated" | "wrong role" | "other user's data" | "forged id" | "extra field" | "missing field"
  | "mistyped field" | "oversized value" | "server-only field" | "illegal transition";

export type Op =
  | { type: "get"; path: string }
  | { type: "list"; path: string; where?: [string, WhereFilterOp, unknown] }
  | { type: "group"; id: string; where?: [string, WhereFilterOp, unknown] }
  | { type: "create" | "set"; path: string; data: DocumentData }
  | { type: "update"; path: string; data: DocumentData }
  | { type: "delete"; path: string };

export interface Attack {
  kind: AttackKind;
  name: string;
  who: Who;
  op: Op;
}
export interface Control {
  name: string;
  who: Who;
  op: Op;
}

export interface CollectionSuite {
  /** The rules' match path, e.g. "bookings/{bookingId}". */
  collection: string;
  /** A short title for this table when a collection has several (different fixtures). */
  title?: string;
  seed?: (db: Firestore) => Promise<unknown>;
  attacks: Attack[];
  controls: Control[];
}

export function execute(db: Firestore, op: Op): Promise<unknown> {
  switch (op.type) {
    case "get":
      return getDoc(doc(db, op.path));
    case "list":
      return getDocs(op.where ? query(collection(db, op.path), where(...op.where)) : collection(db, op.path));
    case "group":
      return getDocs(op.where ? query(collectionGroup(db, op.id), where(...op.where)) : collectionGroup(db, op.id));
    case "create":
    case "set":
      return setDoc(doc(db, op.path), op.data);
    case "update":
      return updateDoc(doc(db, op.path), op.data);
    case "delete":
      return deleteDoc(doc(db, op.path));
  }
}

const describeOp = (op: Op) => `${op.type} ${"path" in op ? op.path : op.id}`;

/** Attacks per collection, printed when the file ends (the report sums them over the files). */
const counts = new Map<string, number>();
const kinds = new Map<AttackKind, number>();

/**
 * Registers one test per table: seed, run every attack (all must be denied, with PERMISSION_DENIED), then every
 * control from a fresh seed (each must succeed).
 */
export function attackTable(rules: RulesHarness, suite: CollectionSuite): void {
  // One client per caller (a new context per request would open a connection each time).
  const clients = new Map<string, Firestore>();
  const dbOf = (who: Who) => {
    const key = `${who.uid}:${JSON.stringify(who.claims ?? {})}`;
    if (!clients.has(key)) clients.set(key, who.uid === null ? rules.anonymous() : rules.as(who.uid, who.claims ?? {}));
    return clients.get(key)!;
  };
  const title = `${suite.collection}${suite.title ? ` (${suite.title})` : ""}`;
  counts.set(suite.collection, (counts.get(suite.collection) ?? 0) + suite.attacks.length);
  for (const attack of suite.attacks) kinds.set(attack.kind, (kinds.get(attack.kind) ?? 0) + 1);
  it(`${title}: ${suite.attacks.length} attacks denied, ${suite.controls.length} controls allowed`, async () => {
    expect(suite.controls.length, "every table has a legitimate control").toBeGreaterThan(0);
    if (suite.seed) await rules.seed(suite.seed);
    const allowedAttacks: string[] = [];
    for (let i = 0; i < suite.attacks.length; i += 40) {
      await Promise.all(
        suite.attacks.slice(i, i + 40).map((attack) =>
          assertFails(execute(dbOf(attack.who), attack.op)).catch((error: unknown) => {
            allowedAttacks.push(`[${attack.kind}] ${attack.name} (${attack.who.label}: ${describeOp(attack.op)}) → ${error instanceof Error ? error.message.slice(0, 160) : String(error)}`);
          }),
        ),
      );
    }
    expect(allowedAttacks, "attacks that were not denied").toEqual([]);
    for (const control of suite.controls) {
      await rules.env().clearFirestore();
      if (suite.seed) await rules.seed(suite.seed);
      const run = control.who === SERVER
        ? rules.env().withSecurityRulesDisabled(async (context) => {
          await execute(context.firestore() as unknown as Firestore, control.op);
        })
        : execute(dbOf(control.who), control.op);
      await assertSucceeds(run).catch((error: unknown) => {
        throw new Error(`control "${control.name}" (${control.who.label}: ${describeOp(control.op)}) was denied: ${String(error)}`);
      });
    }
  }, 120_000);
}

/** Counts attacks run outside `attackTable` (the Storage tables). */
export function recordAttacks(collection: string, attackKinds: AttackKind[]): void {
  counts.set(collection, (counts.get(collection) ?? 0) + attackKinds.length);
  for (const kind of attackKinds) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
}

/** Prints the attack counts of this file: one line per collection and the file's total. */
export function printAttackCounts(file: string): void {
  // Hundreds of expected PERMISSION_DENIED errors would each be logged by the SDK.
  setLogLevel("silent");
  afterAll(() => {
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const lines = [...counts.entries()].map(([name, n]) => `  ${name.padEnd(44)} ${n}`);
    const byKind = [...kinds.entries()].map(([kind, n]) => `${kind} ${n}`).join(", ");
    console.log(`attack suite ${file}: ${total} attacks\n${lines.join("\n")}\n  by kind: ${byKind}`);
  });
}

// ---------- generators ----------

/** Anonymous get, list, create, update and delete of a document. */
export function unauthenticated(path: string, data: DocumentData, newPath = `${path}-new`): Attack[] {
  const parent = path.split("/").slice(0, -1).join("/");
  const kind = "unauthenticated";
  return [
    { kind, name: "get", who: ANONYMOUS, op: { type: "get", path } },
    { kind, name: "list", who: ANONYMOUS, op: { type: "list", path: parent } },
    { kind, name: "create", who: ANONYMOUS, op: { type: "create", path: newPath, data } },
    { kind, name: "update", who: ANONYMOUS, op: { type: "update", path, data } },
    { kind, name: "delete", who: ANONYMOUS, op: { type: "delete", path } },
  ];
}

/** Each caller tries the given operations on someone else's (or a privileged) document. */
export function strangers(kind: AttackKind, whos: Who[], ops: Op[]): Attack[] {
  return whos.flatMap((who) => ops.map((op) => ({ kind, name: `${who.label}: ${op.type}`, who, op })));
}

/** No client may write (create, overwrite, update, delete) this server-only document, not even an admin. */
export function serverOnlyWrites(path: string, whos: Who[], data: DocumentData = { hacked: true }): Attack[] {
  return whos.flatMap((who): Attack[] => [
    { kind: "server-only field", name: `${who.label}: create`, who, op: { type: "create", path: `${path}-forged`, data } },
    { kind: "server-only field", name: `${who.label}: overwrite`, who, op: { type: "set", path, data } },
    { kind: "server-only field", name: `${who.label}: update`, who, op: { type: "update", path, data } },
    { kind: "server-only field", name: `${who.label}: delete`, who, op: { type: "delete", path } },
  ]);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
const isTimestamp = (value: unknown): value is Timestamp => value instanceof Timestamp;
/** A FieldValue sentinel such as serverTimestamp(). */
const isSentinel = (value: unknown) => typeof value === "object" && value !== null && !isTimestamp(value) && !Array.isArray(value) && !isPlainObject(value);

/** Copies `data` with the value at a dotted path replaced (or removed, with `undefined`), leaving the rest shared. */
export function withPath(data: DocumentData, path: string, value: unknown): DocumentData {
  const [head, ...rest] = path.split(".");
  const copy: DocumentData = { ...data };
  if (rest.length === 0) {
    if (value === undefined) delete copy[head!];
    else copy[head!] = value;
    return copy;
  }
  copy[head!] = withPath((data[head!] as DocumentData) ?? {}, rest.join("."), value);
  return copy;
}

/** Dotted paths of every leaf in `data` (nested maps are walked, lists are leaves). */
function leaves(data: DocumentData, prefix = ""): Array<[string, unknown]> {
  return Object.entries(data).flatMap(([key, value]) =>
    isPlainObject(value) && Object.keys(value).length ? leaves(value, `${prefix}${key}.`) : [[`${prefix}${key}`, value] as [string, unknown]],
  );
}

/** Values of another type than `value`'s: what a buggy or hostile client sends instead. */
function wrongTypes(value: unknown): unknown[] {
  if (typeof value === "string") return [12345, true, { value }, [value]];
  if (typeof value === "number") return [String(value), false, { value }, [value]];
  if (typeof value === "boolean") return [String(value), value ? 1 : 0];
  if (Array.isArray(value)) return ["a list", { 0: value[0] ?? null }];
  if (isTimestamp(value)) return ["2030-01-01T00:00:00Z", value.toMillis()];
  if (isSentinel(value)) return [Timestamp.fromMillis(0), Timestamp.fromMillis(Date.now() + 86_400_000), "now"];
  if (isPlainObject(value)) return ["a map", [value]];
  return [];
}

export interface PayloadOptions {
  who: Who;
  /** create: setDoc on a new document; update: updateDoc on the seeded document. */
  type: "create" | "update";
  path: string;
  valid: DocumentData;
  /** Dotted paths whose absence must be refused (create). */
  required?: string[];
  /** Dotted paths not to mistype generically (e.g. a field that accepts several types). */
  skipMistype?: string[];
  /** Dotted path → maximum length (strings: one more is refused, and a 100 kB string) or list size. */
  maxLength?: Record<string, number>;
  /** Dotted path → out-of-range or hostile values (negative, NaN, huge, wrong enum …). */
  badValues?: Record<string, unknown[]>;
  /** Server-owned fields a hostile client sets, with the value it would like. */
  serverFields?: Record<string, unknown>;
  /** Dotted path → someone else's uid (riderId, driverId, senderId …). */
  forgedIds?: Record<string, string>;
}

/** The usual payload attacks on one legitimate write. The caller adds the same write as a control. */
export function payloadAttacks(o: PayloadOptions): Attack[] {
  const attacks: Attack[] = [];
  const write = (kind: AttackKind, name: string, data: DocumentData) => attacks.push({ kind, name, who: o.who, op: { type: o.type, path: o.path, data } });
  write("extra field", "an unknown top-level field", { ...o.valid, isAdmin: true });
  for (const [path, value] of leaves(o.valid)) {
    if (path.includes(".")) write("extra field", `an unknown key next to ${path}`, withPath(o.valid, path.replace(/[^.]+$/, "injected"), true));
    if (o.skipMistype?.includes(path)) continue;
    for (const wrong of wrongTypes(value)) write("mistyped field", `${path} as ${Array.isArray(wrong) ? "list" : typeof wrong === "object" ? (isTimestamp(wrong) ? "forged timestamp" : "map") : typeof wrong}`, withPath(o.valid, path, wrong));
  }
  for (const path of o.required ?? []) write("missing field", `without ${path}`, withPath(o.valid, path, undefined));
  for (const [path, max] of Object.entries(o.maxLength ?? {})) {
    const sample = leaves(o.valid).find(([p]) => p === path)?.[1];
    if (Array.isArray(sample)) {
      write("oversized value", `${path} with ${max + 1} items`, withPath(o.valid, path, Array.from({ length: max + 1 }, () => sample[0] ?? "x")));
      write("oversized value", `${path} with 5000 items`, withPath(o.valid, path, Array.from({ length: 5000 }, () => sample[0] ?? "x")));
    } else {
      write("oversized value", `${path} of ${max + 1} characters`, withPath(o.valid, path, "x".repeat(max + 1)));
      write("oversized value", `${path} of 100 kB`, withPath(o.valid, path, "x".repeat(100_000)));
    }
  }
  for (const [path, values] of Object.entries(o.badValues ?? {})) {
    for (const value of values) write("oversized value", `${path} = ${JSON.stringify(value)?.slice(0, 40)}`, withPath(o.valid, path, value));
  }
  for (const [path, value] of Object.entries(o.serverFields ?? {})) write("server-only field", `sets ${path}`, withPath(o.valid, path, value));
  for (const [path, uid] of Object.entries(o.forgedIds ?? {})) write("forged id", `${path} = ${uid}`, withPath(o.valid, path, uid));
  return attacks;
}

/** Out-of-range numbers a hostile client tries on a bounded number. */
export const hostileNumbers = (min: number, max: number): unknown[] => [min - 1, max + 1, -1e308, 1e308, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

export interface ServerOwnedOptions {
  collection: string;
  /** The seeded document the attacks aim at. */
  path: string;
  data: DocumentData;
  /** Who may read it (each a control); empty = nobody, the control is then the server's own read. */
  readers: Who[];
  /** Callers who may not read it, and the kind of attack that is for them. */
  deniedReaders: Array<[AttackKind, Who]>;
  /** Queries its readers may run (controls), e.g. the rider's own payments. */
  readerQueries?: Control[];
  /** Clients who try to write it (create, overwrite, update, delete): every one is refused. */
  writers: Who[];
  /** What the hostile writes put in (default: one extra field). */
  tamper?: DocumentData;
  seed?: (db: Firestore) => Promise<unknown>;
}

/** A document only the server writes: the listed readers read it, everybody else nothing, nobody writes. */
export function serverOwned(o: ServerOwnedOptions): CollectionSuite {
  const parent = o.path.split("/").slice(0, -1).join("/");
  const tampered = { ...o.data, ...(o.tamper ?? { tampered: true }) };
  return {
    collection: o.collection,
    seed: async (db) => {
      await setDoc(doc(db, o.path), o.data);
      await o.seed?.(db);
    },
    controls: [
      ...(o.readers.length
        ? o.readers.map((who): Control => ({ name: `${who.label} reads it`, who, op: { type: "get", path: o.path } }))
        : [{ name: "the server reads and writes it", who: SERVER, op: { type: "set", path: o.path, data: tampered } } satisfies Control]),
      ...(o.readerQueries ?? []),
    ],
    attacks: [
      ...unauthenticated(o.path, o.data),
      ...o.deniedReaders.flatMap(([kind, who]): Attack[] => [
        { kind, name: `${who.label}: get`, who, op: { type: "get", path: o.path } },
        { kind, name: `${who.label}: list`, who, op: { type: "list", path: parent } },
      ]),
      ...serverOnlyWrites(o.path, o.writers, tampered),
    ],
  };
}
