import { doc, getDoc, serverTimestamp, setDoc, Timestamp, updateDoc } from "firebase/firestore";
import { describe, it } from "vitest";
import { allowed, denied, useRulesEnv } from "../helpers/rules";

describe("rules: healthChecks", () => {
  const rules = useRulesEnv();

  it("lets a signed-in user request a check in their own name", async () => {
    await allowed(setDoc(doc(rules.as("alice"), "healthChecks/c1"), { requestedBy: "alice", requestedAt: serverTimestamp() }));
  });

  it("denies anonymous, forged, back-dated and extra-field requests", async () => {
    await denied(setDoc(doc(rules.anonymous(), "healthChecks/c1"), { requestedBy: "alice", requestedAt: serverTimestamp() }));
    await denied(setDoc(doc(rules.as("mallory"), "healthChecks/c1"), { requestedBy: "alice", requestedAt: serverTimestamp() }));
    await denied(setDoc(doc(rules.as("alice"), "healthChecks/c1"), { requestedBy: "alice", requestedAt: Timestamp.fromMillis(0) }));
    await denied(setDoc(doc(rules.as("alice"), "healthChecks/c1"), { requestedBy: "alice", requestedAt: serverTimestamp(), latencyMs: 1 }));
  });

  it("lets only the requester and admins read a check, and nobody update it", async () => {
    await rules.seed((db) => setDoc(doc(db, "healthChecks/c1"), { requestedBy: "alice", requestedAt: Timestamp.now() }));
    await allowed(getDoc(doc(rules.as("alice"), "healthChecks/c1")));
    await allowed(getDoc(doc(rules.as("root", { role: "admin" }), "healthChecks/c1")));
    await denied(getDoc(doc(rules.as("bob"), "healthChecks/c1")));
    await denied(getDoc(doc(rules.anonymous(), "healthChecks/c1")));
    await denied(updateDoc(doc(rules.as("alice"), "healthChecks/c1"), { latencyMs: 1 }));
  });
});
