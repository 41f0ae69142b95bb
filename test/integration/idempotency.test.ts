// processOnce() against the real Firestore emulator: a redelivered or concurrently delivered event has its
// effect exactly once.
import { describe, expect, it } from "vitest";
import { processOnce, eventMarkerPath } from "../../functions/src/common/idempotency";
import { db, fieldValue } from "../../functions/src/common/firebase";
import { uniqueId } from "../helpers/clients";

describe("processOnce", () => {
  it("applies an event once and ignores its redelivery", async () => {
    const counter = db().doc(`idempotencyTest/${uniqueId("counter")}`);
    const eventId = uniqueId("event");
    const effect = async (tx: FirebaseFirestore.Transaction) => {
      tx.set(counter, { applied: fieldValue().increment(1) }, { merge: true });
      return "done";
    };
    expect(await processOnce("test", eventId, effect)).toEqual({ processed: true, result: "done" });
    expect(await processOnce("test", eventId, effect)).toEqual({ processed: false });
    expect((await counter.get()).data()?.applied).toBe(1);
    const marker = await db().doc(eventMarkerPath("test", eventId)).get();
    expect(marker.data()?.expireAt.toMillis()).toBeGreaterThan(Date.now());
  });

  it("lets exactly one of several concurrent deliveries through", async () => {
    const counter = db().doc(`idempotencyTest/${uniqueId("counter")}`);
    const eventId = uniqueId("event");
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () =>
        processOnce("test", eventId, async (tx) => {
          tx.set(counter, { applied: fieldValue().increment(1) }, { merge: true });
        }),
      ),
    );
    expect(outcomes.filter((o) => o.processed)).toHaveLength(1);
    expect((await counter.get()).data()?.applied).toBe(1);
  });

  it("keeps scopes apart: one event may drive several independent effects", async () => {
    const eventId = uniqueId("event");
    expect((await processOnce("scope-a", eventId, async () => 1)).processed).toBe(true);
    expect((await processOnce("scope-b", eventId, async () => 2)).processed).toBe(true);
  });
});
