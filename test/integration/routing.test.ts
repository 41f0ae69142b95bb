// optimizeRoute on the emulators, through the client SDK as the apps call it. No Maps key is configured on the
// emulator, so routes come from the offline estimate.
import { FirebaseError } from "firebase/app";
import { afterAll, describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin";
import { anonymousClient, signedInClient, uniqueId, type ClientUser } from "../helpers/clients";

type Issue = { path: string; message: string };
type CallError = FirebaseError & { details?: { issues?: Issue[] } };
type LatLng = { lat: number; lng: number };
interface Leg {
  fromStop: number | null;
  toStop: number | null;
  distanceMeters: number;
  durationSeconds: number;
  arrivalAfterSeconds: number;
}
interface Result {
  order: number[];
  distanceMeters: number;
  durationSeconds: number;
  legs: Leg[];
  source: string;
  estimated: boolean;
  method: string;
}

const line = (k: number): LatLng => ({ lat: 38.705 + 0.004 * k, lng: -9.14 });
const START = line(0);
const SHUFFLED = [5, 2, 8, 1, 4, 7, 3, 6].map(line);
const SORTED = [1, 2, 3, 4, 5, 6, 7, 8].map((k) => SHUFFLED.findIndex((p) => p.lat === line(k).lat));

async function callError(promise: Promise<unknown>): Promise<CallError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error, "the call should have failed").toBeInstanceOf(FirebaseError);
  return error as CallError;
}
const counterOf = async (uid: string) => (await adminDb().doc(`rateLimits/optimizeRoute__${uid}`).get()).data();

describe("optimizeRoute callable", () => {
  const opened: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => Promise.all(opened.map((c) => c.close())));
  const rider = async () => {
    const user = await signedInClient(uniqueId("route-rider"));
    opened.push(user);
    return user;
  };
  const optimize = (user: Pick<ClientUser, "call">, data: unknown) => user.call<unknown, Result>("optimizeRoute", data);

  it("orders the stops of a signed-in user's open route and returns the legs", async () => {
    const user = await rider();
    const result = await optimize(user, { start: START, stops: SHUFFLED, departureTime: new Date(Date.now() + 3_600_000).toISOString() });
    expect(result.order).toEqual(SORTED);
    expect(result).toMatchObject({ source: "offline-estimate", estimated: true, method: "exact" });
    expect(result.legs).toHaveLength(8);
    expect(result.legs[0]).toMatchObject({ fromStop: null, toStop: SORTED[0] });
    expect(result.distanceMeters).toBe(result.legs.reduce((sum, leg) => sum + leg.distanceMeters, 0));
    expect(result.durationSeconds).toBe(result.legs.at(-1)!.arrivalAfterSeconds);
    expect((await counterOf(user.uid))?.count).toBe(1);
  });

  it("handles a fixed end, a round trip and many stops (heuristic)", async () => {
    const user = await rider();
    const toEnd = await optimize(user, { start: START, stops: SHUFFLED, end: line(4.5) });
    expect(toEnd.legs).toHaveLength(9);
    expect(toEnd.legs.at(-1)!.toStop).toBeNull();
    const round = await optimize(user, { start: START, stops: SHUFFLED, roundTrip: true, optimizeFor: "distance" });
    expect(round.legs.at(-1)).toMatchObject({ toStop: null });
    expect(round.distanceMeters).toBeGreaterThan(toEnd.distanceMeters);

    const stops = Array.from({ length: 50 }, (_, i) => ({ lat: 38.7 + 0.02 * Math.sin(i * 2.4), lng: -9.15 + 0.02 * Math.cos(i * 1.7) }));
    const many = await optimize(user, { start: START, stops, roundTrip: true });
    expect(many.method).toBe("heuristic");
    expect([...many.order].sort((a, b) => a - b)).toEqual(stops.map((_, i) => i));
    expect(many.legs).toHaveLength(51);
  });

  it("refuses callers who are not signed in", async () => {
    const stranger = await anonymousClient();
    opened.push(stranger);
    const error = await callError(optimize(stranger, { start: START, stops: SHUFFLED }));
    expect(error.code).toBe("functions/unauthenticated");
  });

  it("rejects bad input with every field path, writing nothing", async () => {
    const user = await rider();
    const error = await callError(
      optimize(user, { start: { lat: 91, lng: -9.1 }, stops: [line(1), { lat: 38.7 }], departureTime: "tomorrow", roundTrip: "yes", extra: 1 }),
    );
    expect(error.code).toBe("functions/invalid-argument");
    expect(error.details?.issues?.map((i) => i.path).sort()).toEqual(["departureTime", "extra", "roundTrip", "start.lat", "stops.1.lng"]);

    const roundTripWithEnd = await callError(optimize(user, { start: START, stops: [line(1)], end: line(2), roundTrip: true }));
    expect(roundTripWithEnd.details?.issues).toEqual([{ path: "end", message: expect.stringContaining("round trip") }]);
    const noStops = await callError(optimize(user, { start: START, stops: [] }));
    expect(noStops.details?.issues?.map((i) => i.path)).toEqual(["stops"]);
    expect(await counterOf(user.uid)).toBeUndefined();
  });

  it("refuses more than 50 stops", async () => {
    const user = await rider();
    const stops = Array.from({ length: 51 }, (_, i) => line(i / 10));
    const error = await callError(optimize(user, { start: START, stops }));
    expect(error.code).toBe("functions/invalid-argument");
    expect(error.details?.issues).toEqual([{ path: "stops", message: "at most 50 stops" }]);
    expect(await counterOf(user.uid)).toBeUndefined();
  });

  it("limits each user to 10 calls a minute (resource-exhausted), counting nothing for the refused call", async () => {
    const user = await rider();
    for (let call = 0; call < 10; call += 1) await optimize(user, { start: START, stops: [line(1), line(2)] });
    const error = await callError(optimize(user, { start: START, stops: [line(1), line(2)] }));
    expect(error.code).toBe("functions/resource-exhausted");
    expect((await counterOf(user.uid))?.count).toBe(10);

    const other = await rider();
    await expect(optimize(other, { start: START, stops: [line(1)] })).resolves.toMatchObject({ order: [0] });
  }, 60_000);
});
