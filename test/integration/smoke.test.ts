import { doc, getDoc, onSnapshot, serverTimestamp, setDoc } from "firebase/firestore";
import { FirebaseError } from "firebase/app";
import { afterAll, describe, expect, it } from "vitest";
import { anonymousClient, signedInClient, uniqueId, type ClientUser } from "../helpers/clients";

describe("smoke: the whole chain runs on the emulators", () => {
  const opened: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => Promise.all(opened.map((c) => c.close())));

  it("a client write fires a Firestore trigger whose answer the client reads back", async () => {
    const rider: ClientUser = await signedInClient(uniqueId("smoke-rider"));
    opened.push(rider);
    const ref = doc(rider.db, "healthChecks", uniqueId("check"));
    await setDoc(ref, { requestedBy: rider.uid, requestedAt: serverTimestamp() });

    const answered = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the trigger never answered")), 20_000);
      const stop = onSnapshot(ref, (snap) => {
        const data = snap.data();
        if (data?.respondedAt) {
          clearTimeout(timer);
          stop();
          resolve(data);
        }
      }, reject);
    });
    expect(answered.region).toBe("europe-west1");
    expect(typeof answered.latencyMs).toBe("number");
    expect((await getDoc(ref)).data()?.requestedBy).toBe(rider.uid);
  });

  it("a client cannot forge someone else's health check", async () => {
    const rider = await signedInClient(uniqueId("smoke-forger"));
    opened.push(rider);
    const write = setDoc(doc(rider.db, "healthChecks", uniqueId("check")), { requestedBy: "someone-else", requestedAt: serverTimestamp() });
    await expect(write).rejects.toMatchObject({ code: "permission-denied" });
  });

  it("a callable answers with and without auth, and rejects bad input with field paths", async () => {
    const rider = await signedInClient(uniqueId("smoke-caller"));
    const stranger = await anonymousClient();
    opened.push(rider, stranger);

    const signedIn = await rider.call<{ echo: string }, { uid: string | null; echo: string }>("ping", { echo: "hi" });
    expect(signedIn).toMatchObject({ uid: rider.uid, echo: "hi" });

    const anonymous = await stranger.call<object, { uid: string | null }>("ping", {});
    expect(anonymous.uid).toBeNull();

    const bad = rider.call("ping", { echo: 42, extra: true });
    await expect(bad).rejects.toBeInstanceOf(FirebaseError);
    const error = (await bad.catch((e: unknown) => e)) as FirebaseError & { details?: { issues: Array<{ path: string }> } };
    expect(error.code).toBe("functions/invalid-argument");
    expect(error.details?.issues.map((i) => i.path).sort()).toEqual(["echo", "extra"]);
  });
});
