// bench:chat — C concurrent trip chats on the emulators: in each, the rider's app sends M messages (1 per
// second) through the security rules and the driver's app listens to the chat's messages. Measures
// write-to-listener latency (send → the driver's listener sees the committed message) and messages lost.
// A baseline with one chat runs first, in the same process, against the same emulators. The message
// trigger (unread counts, notification) runs for every message, as in production.
//   npm run bench:chat -- [--chats 100] [--messages 10]
import { loadavg } from "node:os";
import { addDoc, collection, limitToLast, onSnapshot, orderBy, query, serverTimestamp, terminate } from "firebase/firestore";
import { deleteApp } from "firebase/app";
import { Timestamp } from "firebase-admin/firestore";
import { adminDb } from "../test/helpers/admin";
import { flag, percentiles, signedIn, type Percentiles } from "./common";
import { benchResult } from "./result";

const CHATS = flag("chats", 100);
const MESSAGES = flag("messages", 10);
const SETTLE_MS = 15_000;

async function run(label: string, chats: number) {
  const runId = `${label}-${Date.now().toString(36)}`;
  const pairs = await Promise.all(
    Array.from({ length: chats }, async (_, i) => {
      const chatId = `bench-chat-${runId}-${i}`;
      const rider = await signedIn(`bench-rider-${runId}-${i}`);
      const driver = await signedIn(`bench-driver-${runId}-${i}`, { role: "driver" });
      // The rules let a trip chat's driver in only while its booking names him (docs/chat.md "Who is in a chat").
      await adminDb().doc(`bookings/${chatId}`).set({ status: "accepted", driverId: driver.uid });
      await adminDb().doc(`chats/${chatId}`).set({
        participants: [rider.uid, driver.uid], bookingId: chatId, riderId: rider.uid, driverId: driver.uid,
        lastMessage: null, unread: { [rider.uid]: 0, [driver.uid]: 0 }, createdAt: Timestamp.now(), closesAt: null, closedAt: null,
      });
      return { chatId, rider, driver };
    }),
  );
  const latencies: number[] = [];
  const received = new Set<string>();
  const stops = pairs.map(({ chatId, driver }) =>
    onSnapshot(query(collection(driver.db, `chats/${chatId}/messages`), orderBy("createdAt"), limitToLast(5)), (snap) => {
      for (const change of snap.docChanges()) {
        if (change.type !== "added" || change.doc.metadata.hasPendingWrites) continue;
        const text = change.doc.get("text") as string;
        if (received.has(text)) continue;
        received.add(text);
        latencies.push(Date.now() - Number(text.split("|")[1]));
      }
    }),
  );
  let sent = 0;
  let rejected = 0;
  const started = Date.now();
  await Promise.all(
    pairs.map(async ({ chatId, rider }, i) => {
      await new Promise((resolve) => setTimeout(resolve, (i * 1000) / chats)); // spread the senders over a second
      for (let m = 0; m < MESSAGES; m += 1) {
        const tick = Date.now();
        try {
          await addDoc(collection(rider.db, `chats/${chatId}/messages`), { senderId: rider.uid, text: `${chatId}:${m}|${tick}`, createdAt: serverTimestamp() });
          sent += 1;
        } catch {
          rejected += 1;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (Date.now() - tick))));
      }
    }),
  );
  const deadline = Date.now() + SETTLE_MS;
  while (received.size < sent && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  const seconds = (Date.now() - started) / 1000;
  stops.forEach((stop) => stop());
  await Promise.all(pairs.flatMap(({ rider, driver }) => [rider, driver]).map(async (c) => { await terminate(c.db); await deleteApp(c.app); }));
  return { label, chats, sent, rejected, received: received.size, lost: sent - received.size, messagesPerSecond: +(sent / seconds).toFixed(1), latencyMs: percentiles(latencies) };
}

const baseline = await run("baseline", 1);
const load = await run("load", CHATS);
const fmt = (p: Percentiles) => `${p.p50.toFixed(0).padStart(6)} ${p.p95.toFixed(0).padStart(6)} ${p.p99.toFixed(0).padStart(6)} ${p.max.toFixed(0).padStart(6)}`;
console.log(`\nchat: message write → other participant's listener, ${MESSAGES} messages per chat at 1/s (load average ${loadavg()[0]!.toFixed(1)})`);
console.log("run        chats   sent  rejected  lost  msg/s |    p50    p95    p99    max (ms)");
for (const r of [baseline, load]) {
  console.log(`${r.label.padEnd(10)} ${String(r.chats).padStart(5)} ${String(r.sent).padStart(6)} ${String(r.rejected).padStart(9)} ${String(r.lost).padStart(5)} ${String(r.messagesPerSecond).padStart(6)} | ${fmt(r.latencyMs)}`);
}
console.log(benchResult({ bench: "chat", chats: CHATS, messagesPerChat: MESSAGES, baseline: { p50Ms: baseline.latencyMs.p50, p95Ms: baseline.latencyMs.p95 }, p50Ms: load.latencyMs.p50, p95Ms: load.latencyMs.p95, p99Ms: load.latencyMs.p99, sent: load.sent, lost: load.lost, rejected: load.rejected }));
process.exit(0);
