// Property-based fuzzing of every callable exported by functions/src/index.ts, through the client SDK against the
// Functions emulator. Inputs: random JSON, and structure-aware mutations of a valid input. Properties: the call
// is refused with a client error code (never internal/unknown); input the callable's zod schema refuses gets
// invalid-argument with the schema's field paths; and no fuzzed call writes anything.
import { FirebaseError } from "firebase/app";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { adminAuth, adminDb } from "../helpers/admin";
import { anonymousClient, signedInClient, uniqueId } from "../helpers/clients";
import { describeIssues } from "../../functions/src/common/validation";
import { pingInputSchema } from "../../functions/src/health/schema";
import { deleteAccountInputSchema, setUserRoleInputSchema } from "../../functions/src/users/schema";
import { quoteFareInputSchema } from "../../functions/src/pricing/schema";
import { optimizeRouteInputSchema } from "../../functions/src/routing/schema";
import { acceptOfferInputSchema, nearbyCarsInputSchema } from "../../functions/src/dispatch/schema";
import { confirmTripChangeInputSchema, extendHireInputSchema, proposeTripChangeInputSchema } from "../../functions/src/trips/schema";
import { confirmCashCollectedInputSchema, refundPaymentInputSchema, reviewFareInputSchema, tipDriverInputSchema } from "../../functions/src/payments/schema";
import { joinChatInputSchema } from "../../functions/src/chat/schema";
import { reportInputSchema } from "../../functions/src/analytics/schema";
import { closeIncidentInputSchema, createTripShareInputSchema, raiseSosInputSchema, revokeTripShareInputSchema } from "../../functions/src/safety/schema";
import { getEarningsInputSchema, startDriverOnboardingInputSchema } from "../../functions/src/earnings/schema";
import { completeDeliveryStopInputSchema } from "../../functions/src/fleet/schema";

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const RANDOM_RUNS = 15;
const MUTATION_RUNS = 30;
const HOSTILE_TEXT_RUNS = 15;

/** The codes a refused client call may carry; anything else (internal, unknown, …) is a server defect. */
const CLIENT_CODES = new Set([
  "invalid-argument", "failed-precondition", "not-found", "permission-denied", "unauthenticated", "resource-exhausted", "out-of-range", "already-exists",
]);

type Caller = "anonymous" | "rider" | "driver" | "admin";
type Json = fc.JsonValue;
interface Target {
  callable: string;
  caller: Caller;
  schema: z.ZodType;
  /** The handler reads a missing payload as {} (`data ?? {}`). */
  nullAsEmpty: boolean;
  /** A valid input: the starting point of the structure-aware mutations. */
  valid: Record<string, Json>;
  /**
   * Whether input the schema accepts may be sent: true when the call is then still refused without a write
   * (wrong role, unknown id); false when a valid call would write (a quote, a report, a deleted account).
   */
  sendValid: boolean;
  /** ping answers everyone: a valid ping succeeds. */
  validMaySucceed?: boolean;
  /** Free-text fields (ids, reasons) that get hostile but schema-valid strings, to reach the code past validation. */
  freeText?: string[];
}

const PICKUP = { lat: 38.7253, lng: -9.15 };
const DROPOFF = { lat: 38.7075, lng: -9.1364 };
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();
const noSuchId = () => uniqueId("fuzz-nothing");

const validInputs = {
  ping: () => ({ echo: "hello" }),
  deleteAccount: () => ({}),
  setUserRole: () => ({ uid: noSuchId(), role: "driver" }),
  quoteFare: () => ({ pickup: PICKUP, dropoff: DROPOFF, stops: [PICKUP], categoryId: "economy", serviceType: "ride", scheduledAt: inAnHour() }),
  optimizeRoute: () => ({ start: PICKUP, stops: [DROPOFF, PICKUP], departureTime: inAnHour(), roundTrip: false, optimizeFor: "duration" }),
  refundPayment: () => ({ bookingId: noSuchId(), amountMinor: 100, reason: "customer complaint" }),
  reviewFare: () => ({ bookingId: noSuchId(), decision: "approve", note: "checked the route" }),
  confirmCashCollected: () => ({ bookingId: noSuchId() }),
  tipDriver: () => ({ bookingId: noSuchId(), amountMinor: 200 }),
  acceptOffer: () => ({ bookingId: noSuchId() }),
  proposeTripChange: () => ({ bookingId: noSuchId(), dropoff: DROPOFF, stops: [PICKUP] }),
  confirmTripChange: () => ({ bookingId: noSuchId(), changeId: noSuchId() }),
  extendHire: () => ({ bookingId: noSuchId(), hours: 3 }),
  nearbyCars: () => ({ pickup: PICKUP, serviceType: "ride", categoryId: "economy" }),
  joinChat: () => ({ chatId: noSuchId() }),
  getReport: () => ({ kind: "usage", from: "2026-11-01", to: "2026-11-02" }),
  createTripShare: () => ({ bookingId: noSuchId() }),
  revokeTripShare: () => ({ bookingId: noSuchId(), token: "A".repeat(43) }),
  raiseSos: () => ({ bookingId: noSuchId(), position: PICKUP }),
  closeIncident: () => ({ incidentId: noSuchId(), resolution: "called the rider back" }),
  startDriverOnboarding: () => ({}),
  getEarnings: () => ({ weekId: "2026-W49", driverId: noSuchId() }),
  completeDeliveryStop: () => ({ planId: noSuchId(), orderId: "o1", step: "done" }),
} satisfies Record<string, () => Record<string, Json>>;

const target = (callable: keyof typeof validInputs, caller: Caller, schema: z.ZodType, options: Partial<Target> = {}): Target => ({
  callable, caller, schema, nullAsEmpty: false, valid: validInputs[callable](), sendValid: true, ...options,
});

// Every callable of functions/src/index.ts, as each kind of caller that matters; admin-only ones as a wrong role too.
const TARGETS: Target[] = [
  target("ping", "anonymous", pingInputSchema, { nullAsEmpty: true, validMaySucceed: true, freeText: ["echo"] }),
  target("ping", "rider", pingInputSchema, { nullAsEmpty: true, validMaySucceed: true, freeText: ["echo"] }),
  target("deleteAccount", "anonymous", deleteAccountInputSchema, { nullAsEmpty: true }),
  target("deleteAccount", "rider", deleteAccountInputSchema, { nullAsEmpty: true, sendValid: false }),
  target("setUserRole", "rider", setUserRoleInputSchema, { freeText: ["uid"] }),
  target("setUserRole", "driver", setUserRoleInputSchema, { freeText: ["uid"] }),
  target("setUserRole", "admin", setUserRoleInputSchema, { freeText: ["uid"] }),
  target("quoteFare", "anonymous", quoteFareInputSchema, { nullAsEmpty: true }),
  target("quoteFare", "rider", quoteFareInputSchema, { nullAsEmpty: true, sendValid: false }),
  target("optimizeRoute", "anonymous", optimizeRouteInputSchema, { nullAsEmpty: true }),
  target("optimizeRoute", "driver", optimizeRouteInputSchema, { nullAsEmpty: true, sendValid: false }),
  target("refundPayment", "rider", refundPaymentInputSchema, { freeText: ["bookingId", "reason"] }),
  target("refundPayment", "admin", refundPaymentInputSchema, { freeText: ["bookingId", "reason"] }),
  target("reviewFare", "rider", reviewFareInputSchema, { freeText: ["bookingId", "note"] }),
  target("reviewFare", "admin", reviewFareInputSchema, { freeText: ["bookingId", "note"] }),
  target("confirmCashCollected", "rider", confirmCashCollectedInputSchema, { freeText: ["bookingId"] }),
  target("confirmCashCollected", "driver", confirmCashCollectedInputSchema, { freeText: ["bookingId"] }),
  target("tipDriver", "anonymous", tipDriverInputSchema, { freeText: ["bookingId"] }),
  target("tipDriver", "rider", tipDriverInputSchema, { freeText: ["bookingId"] }),
  target("acceptOffer", "rider", acceptOfferInputSchema, { freeText: ["bookingId"] }),
  target("acceptOffer", "driver", acceptOfferInputSchema, { freeText: ["bookingId"] }),
  target("proposeTripChange", "anonymous", proposeTripChangeInputSchema, { freeText: ["bookingId"] }),
  target("proposeTripChange", "rider", proposeTripChangeInputSchema, { freeText: ["bookingId"] }),
  target("confirmTripChange", "rider", confirmTripChangeInputSchema, { freeText: ["bookingId", "changeId"] }),
  target("extendHire", "rider", extendHireInputSchema, { freeText: ["bookingId"] }),
  target("nearbyCars", "anonymous", nearbyCarsInputSchema, { nullAsEmpty: true }),
  target("nearbyCars", "rider", nearbyCarsInputSchema, { nullAsEmpty: true, sendValid: false }),
  target("joinChat", "driver", joinChatInputSchema, { freeText: ["chatId"] }),
  target("joinChat", "admin", joinChatInputSchema, { freeText: ["chatId"] }),
  target("getReport", "rider", reportInputSchema),
  target("getReport", "admin", reportInputSchema, { sendValid: false }),
  target("createTripShare", "rider", createTripShareInputSchema, { freeText: ["bookingId"] }),
  target("revokeTripShare", "rider", revokeTripShareInputSchema, { freeText: ["bookingId"] }),
  target("raiseSos", "rider", raiseSosInputSchema, { freeText: ["bookingId"] }),
  target("raiseSos", "driver", raiseSosInputSchema, { freeText: ["bookingId"] }),
  target("closeIncident", "rider", closeIncidentInputSchema, { freeText: ["incidentId", "resolution"] }),
  target("closeIncident", "admin", closeIncidentInputSchema, { freeText: ["incidentId", "resolution"] }),
  target("startDriverOnboarding", "anonymous", startDriverOnboardingInputSchema, { nullAsEmpty: true }),
  target("startDriverOnboarding", "rider", startDriverOnboardingInputSchema, { nullAsEmpty: true }),
  target("startDriverOnboarding", "driver", startDriverOnboardingInputSchema, { nullAsEmpty: true, sendValid: false }),
  target("getEarnings", "rider", getEarningsInputSchema, { nullAsEmpty: true, freeText: ["driverId"] }),
  target("getEarnings", "driver", getEarningsInputSchema, { nullAsEmpty: true, validMaySucceed: true, freeText: ["driverId"] }),
  target("completeDeliveryStop", "rider", completeDeliveryStopInputSchema, { freeText: ["planId", "orderId"] }),
  target("completeDeliveryStop", "driver", completeDeliveryStopInputSchema, { freeText: ["planId", "orderId"] }),
];

// ---------- arbitraries ----------

/** Strings that break naive code: document paths, reserved ids, control characters, sizes. */
const hostileString = fc.constantFrom(
  "", " ", "a/b", "/", "..", ".", "__name__", "__x__", "\u0000", "\ud83d\ude00".repeat(300), "x".repeat(129), "y".repeat(100_000),
  "2026-02-30", "9999-12-31", "0000-01-01", "1970-01-01T00:00:00Z", "+275760-09-13T00:00:00.001Z", "NaN", "Infinity", "admin", "true", "null",
);
/** Numbers at the edges; NaN and ±Infinity travel as null in JSON, as a hostile client would send them. */
const hostileNumber = fc.oneof(
  fc.constantFrom(0, -0, -1, 0.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER * 8, -Number.MAX_SAFE_INTEGER * 8, 5e-324, 8.64e15 + 1, -8.64e15 - 1, null),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);
const badCoordinate = fc.oneof(fc.double({ min: 90.000001, max: 1e9, noNaN: true }), fc.double({ min: -1e9, max: -180.000001, noNaN: true }));
const badDate = fc.oneof(
  fc.date({ min: new Date(0), max: new Date(Date.now() - 60_000), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ min: new Date(Date.now() + 40 * 86_400_000), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.getTime()),
  fc.constantFrom("tomorrow", "2026-13-01T00:00:00Z", "2026-11-25", 1.5, -1),
);
const nestedJunk = fc.oneof(
  fc.jsonValue({ maxDepth: 8 }),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { minLength: 200, maxLength: 600 }),
  fc.constantFrom({ "@type": "type.googleapis.com/google.protobuf.Int64Value", value: "99999999999999999999" }, JSON.parse('{"__proto__": {"role": "admin"}}') as Json, [[[[[[[[[[]]]]]]]]]]),
);
const hostileKey = fc.oneof(fc.constantFrom("__proto__", "constructor", "role", "riderId", "uid", "admin", "", "a.b", "status"), fc.string({ maxLength: 20 }));
const replacement = fc.oneof(hostileString, hostileNumber, badCoordinate, badDate, nestedJunk, fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));

type Path = Array<string | number>;
function pathsOf(value: Json, prefix: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...pathsOf(v, [...prefix, i])]);
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v as Json, [...prefix, k])]);
  return [];
}

type Mutation = { kind: "drop" | "replace"; path: Path; value?: Json } | { kind: "extraKey"; path: Path; key: string; value: Json } | { kind: "whole"; value: Json };

function applyMutation(valid: Record<string, Json>, mutation: Mutation): Json {
  if (mutation.kind === "whole") return mutation.value;
  if (mutation.kind !== "extraKey" && mutation.path.length === 0) return mutation.kind === "drop" ? null : (mutation.value ?? null);
  const copy = structuredClone(valid) as Record<string, Json>;
  const path = mutation.path;
  const parentPath = mutation.kind === "extraKey" ? path : path.slice(0, -1);
  let parent: Json = copy;
  for (const key of parentPath) parent = (parent as Record<string | number, Json>)[key] as Json;
  if (parent === null || typeof parent !== "object") return copy;
  const container = parent as Record<string | number, Json>;
  if (mutation.kind === "extraKey") {
    if (Array.isArray(parent)) (parent as Json[]).push(mutation.value);
    else Object.defineProperty(container, mutation.key, { value: mutation.value, enumerable: true, configurable: true, writable: true });
    return copy;
  }
  const last = path[path.length - 1]!;
  if (mutation.kind === "drop") {
    if (Array.isArray(parent)) (parent as Json[]).splice(Number(last), 1);
    else delete container[last];
  } else {
    container[last] = mutation.value ?? null;
  }
  return copy;
}

function mutationOf(valid: Record<string, Json>): fc.Arbitrary<Mutation> {
  const paths = pathsOf(valid);
  const objectPaths: Path[] = [[], ...paths.filter((p) => {
    let v: Json = valid;
    for (const k of p) v = (v as Record<string | number, Json>)[k] as Json;
    return v !== null && typeof v === "object";
  })];
  const anyPath = paths.length ? fc.constantFrom(...paths) : fc.constant<Path>([]);
  return fc.oneof(
    anyPath.map((path): Mutation => ({ kind: "drop", path })),
    fc.record({ path: anyPath, value: replacement }).map(({ path, value }): Mutation => ({ kind: "replace", path, value })),
    fc.record({ path: fc.constantFrom(...objectPaths), key: hostileKey, value: replacement }).map(({ path, key, value }): Mutation => ({ kind: "extraKey", path, key, value })),
    fc.oneof(fc.constant(null), fc.array(fc.jsonValue(), { maxLength: 3 }), hostileString, hostileNumber).map((value): Mutation => ({ kind: "whole", value })),
  );
}

// ---------- the property ----------

interface Tally {
  calls: number;
  invalidArgument: number;
  otherCodes: Record<string, number>;
  succeeded: number;
}

const LONG_TYPES = ["type.googleapis.com/google.protobuf.Int64Value", "type.googleapis.com/google.protobuf.UInt64Value"];
/** The callable protocol's decoding of wrapped 64-bit integers (firebase-functions `decode`). */
function decodeLongs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeLongs);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (LONG_TYPES.includes(record["@type"] as string)) return parseFloat(String(record.value));
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, decodeLongs(v)]));
  }
  return value;
}

/** What the server sees: the callable protocol carries JSON (undefined dropped, NaN and ±Infinity → null). */
const serverView = (input: Json): unknown => {
  const text = JSON.stringify(input);
  return text === undefined ? null : decodeLongs(JSON.parse(text));
};

async function checkCall(target: Target, call: (data: unknown) => Promise<unknown>, input: Json, tally: Tally): Promise<void> {
  const seen = serverView(input);
  const parsed = target.schema.safeParse(target.nullAsEmpty ? (seen ?? {}) : seen);
  const outcome = await call(input).then(
    () => ({ ok: true as const }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  tally.calls += 1;
  const shown = JSON.stringify(seen)?.slice(0, 300);
  if (outcome.ok) {
    tally.succeeded += 1;
    expect(parsed.success && target.validMaySucceed, `${target.callable} as ${target.caller} accepted ${shown}`).toBe(true);
    return;
  }
  const error = outcome.error;
  expect(error, `${target.callable}: not a FirebaseError: ${String(error)}`).toBeInstanceOf(FirebaseError);
  const { code, message, details } = error as FirebaseError & { details?: { issues?: Array<{ path: unknown; message: unknown }> } };
  const bare = code.replace(/^functions\//, "");
  expect(CLIENT_CODES.has(bare), `${target.callable} as ${target.caller} → ${code} (${message}) for ${shown}`).toBe(true);
  if (!parsed.success) {
    expect(bare, `${target.callable} as ${target.caller}: schema-invalid input ${shown} → ${code} (${message})`).toBe("invalid-argument");
  }
  if (bare === "invalid-argument") {
    tally.invalidArgument += 1;
    const issues = details?.issues;
    expect(Array.isArray(issues) && issues.length > 0, `${target.callable}: invalid-argument without details.issues for ${shown}`).toBe(true);
    for (const issue of issues!) {
      expect(typeof issue.path).toBe("string");
      expect(typeof issue.message).toBe("string");
    }
    if (!parsed.success) {
      const expectedPaths = [...new Set(describeIssues(parsed.error).map((i) => i.path))].sort();
      const gotPaths = [...new Set(issues!.map((i) => i.path as string))].sort();
      expect(gotPaths, `${target.callable}: issue paths for ${shown}`).toEqual(expectedPaths);
    }
  } else {
    tally.otherCodes[bare] = (tally.otherCodes[bare] ?? 0) + 1;
  }
}

// ---------- the suite ----------

describe("fuzzing every callable (fast-check)", () => {
  const users: Partial<Record<Caller, { uid?: string; call: <Req, Res>(name: string, data: Req) => Promise<Res>; close(): Promise<void> }>> = {};
  const uids: string[] = [];
  const tallies: Record<string, Tally> = {};

  /** Everything the fuzzed calls could write that belongs to the fuzz users (nobody else touches these). */
  async function footprint(): Promise<unknown> {
    const db = adminDb();
    const perUser = await Promise.all(uids.map(async (uid) => {
      const [profile, authUser, quotes, reports, chats, collected, limits] = await Promise.all([
        db.doc(`users/${uid}`).get(),
        adminAuth().getUser(uid).then((u) => ({ claims: u.customClaims ?? {}, disabled: u.disabled }), () => "deleted"),
        db.collection("quotes").where("riderId", "==", uid).count().get(),
        db.collection("reports").where("createdBy", "==", uid).count().get(),
        db.collection("chats").where("participants", "array-contains", uid).count().get(),
        db.collection("payments").where("collectedBy", "==", uid).count().get(),
        Promise.all(["quoteFare", "optimizeRoute"].map(async (action) => (await db.doc(`rateLimits/${action}__${uid}`).get()).data() ?? null)),
      ]);
      return { uid, profile: profile.data() ?? null, authUser, quotes: quotes.data().count, reports: reports.data().count, chats: chats.data().count, collected: collected.data().count, limits };
    }));
    return perUser;
  }
  let before: unknown;

  beforeAll(async () => {
    users.anonymous = await anonymousClient();
    for (const [caller, claims] of [["rider", {}], ["driver", { role: "driver" }], ["admin", { role: "admin" }]] as const) {
      const user = await signedInClient(uniqueId(`fuzz-${caller}`), claims);
      users[caller] = user;
      uids.push(user.uid);
    }
    before = await footprint();
    console.log(`fuzz-callables: fast-check seed ${SEED} (set FUZZ_SEED to replay)`);
  }, 120_000);

  afterAll(async () => {
    const rows = Object.entries(tallies).map(([name, t]) => `${name.padEnd(34)} ${String(t.calls).padStart(4)} calls  ${String(t.invalidArgument).padStart(3)} invalid-argument  ${JSON.stringify(t.otherCodes)}${t.succeeded ? `  ${t.succeeded} ok` : ""}`);
    const total = Object.values(tallies).reduce((sum, t) => sum + t.calls, 0);
    console.log(`fuzz-callables: ${total} calls\n${rows.join("\n")}`);
    await Promise.all(Object.values(users).map((u) => u?.close()));
    await Promise.all(uids.map((uid) => adminAuth().deleteUser(uid).catch(() => undefined)));
  });

  for (const t of TARGETS) {
    const name = `${t.callable} as ${t.caller}`;
    it(`${name}: refused with a client code, schema errors with their paths`, async () => {
      const tally: Tally = (tallies[name] = { calls: 0, invalidArgument: 0, otherCodes: {}, succeeded: 0 });
      const user = users[t.caller]!;
      const call = (data: unknown) => user.call(t.callable, data);
      const sendable = (input: Json) => t.sendValid || !t.schema.safeParse(t.nullAsEmpty ? (serverView(input) ?? {}) : serverView(input)).success;

      await fc.assert(
        fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }).filter(sendable), (input) => checkCall(t, call, input, tally)),
        { seed: SEED, numRuns: RANDOM_RUNS, endOnFailure: true },
      );
      await fc.assert(
        fc.asyncProperty(mutationOf(t.valid).map((m) => applyMutation(t.valid, m)).filter(sendable), (input) => checkCall(t, call, input, tally)),
        { seed: SEED, numRuns: MUTATION_RUNS, endOnFailure: true },
      );
      if (t.freeText) {
        const text = fc.oneof(hostileString, fc.string({ minLength: 1, maxLength: 140 }), fc.constant(user.uid ?? "nobody"), fc.stringMatching(/^[._]{1,3}[a-z]{0,3}[._]{0,3}$/));
        const hostileValid = fc.record(Object.fromEntries(t.freeText.map((field) => [field, text])) as Record<string, fc.Arbitrary<string>>)
          .map((fields) => ({ ...t.valid, ...fields }) as Json)
          .filter(sendable);
        await fc.assert(fc.asyncProperty(hostileValid, (input) => checkCall(t, call, input, tally)), { seed: SEED, numRuns: HOSTILE_TEXT_RUNS, endOnFailure: true });
      }
      // Not vacuous: most fuzzed inputs reached the validation and were refused by it.
      expect(tally.invalidArgument, `${name}: ${JSON.stringify(tally)}`).toBeGreaterThanOrEqual(Math.floor(tally.calls / 2));
    }, 120_000);
  }

  // Regression (found by this fuzzer): a chatId with a "/" passed validation and made joinChat throw `internal`.
  it("joinChat refuses a chatId that is a path, with invalid-argument on chatId", async () => {
    for (const chatId of ["m}?d!/rsF~>", "a/b", "b1/messages/m1"]) {
      const error = (await users.admin!.call("joinChat", { chatId }).then(() => undefined, (e: unknown) => e)) as (FirebaseError & { details?: { issues?: Array<{ path: string }> } }) | undefined;
      expect(error?.code, chatId).toBe("functions/invalid-argument");
      expect(error?.details?.issues?.map((i) => i.path)).toEqual(["chatId"]);
    }
  });

  // Known limitation of firebase-functions 6 (not our code): its callable decoder throws a plain Error for an object
  // with an unknown "@type" key, before any handler runs, so the client sees `internal`. Pinned here (it still
  // writes nothing: the footprint check below covers it) so an upgrade that fixes it is noticed; excluded above.
  it("framework limit: an unknown \"@type\" wrapper is refused before the handler runs (internal, no write)", async () => {
    const error = await users.rider!.call("setUserRole", { uid: users.rider!.uid, role: "admin", "@type": 10 }).then(() => undefined, (e: unknown) => e);
    expect((error as FirebaseError | undefined)?.code).toBe("functions/internal");
  });

  it("no fuzzed call wrote anything (profiles, claims, quotes, reports, chats, payments, rate-limit counters)", async () => {
    expect(Object.keys(tallies)).toHaveLength(TARGETS.length);
    expect(await footprint()).toEqual(before);
  });
});
