// Rules-test environment for one test file: its own `demo-` project (so no Cloud Function reacts to the
// fixtures), the repo's rules loaded, data seeded with rules disabled, everything cleared between tests.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
  type RulesTestContext,
  type RulesTestEnvironment,
} from "@firebase/rules-unit-testing";
import type { Firestore } from "firebase/firestore";
import { afterAll, afterEach, beforeAll } from "vitest";
import { hostPort, repoRoot, emulatorEndpoints } from "./emulators";

/** Rules tests run in this project; the coverage report merges it with the main project's. */
export const RULES_PROJECT_ID = "demo-fleetfire-rules";

export interface RulesHarness {
  env(): RulesTestEnvironment;
  /** A signed-in user's Firestore, with optional custom claims such as {role: "admin"}. */
  as(uid: string, claims?: Record<string, unknown>): Firestore;
  anonymous(): Firestore;
  /** Writes fixtures with rules disabled. */
  seed(write: (db: Firestore) => Promise<unknown>): Promise<void>;
  storageAs?(uid: string, claims?: Record<string, unknown>): ReturnType<RulesTestContext["storage"]>;
}

/** Loading rules resets the project's coverage: each file saves its report for the summary to merge. */
async function saveCoverage(): Promise<void> {
  const firestore = hostPort("FIRESTORE_EMULATOR_HOST");
  const response = await fetch(`http://${firestore.host}:${firestore.port}/emulator/v1/projects/${RULES_PROJECT_ID}:ruleCoverage`);
  if (!response.ok) return;
  const dir = path.join(repoRoot, "test-results", "rules-coverage-parts");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${Date.now()}-${Math.random().toString(36).slice(2)}.json`), await response.text());
}

export function useRulesEnv(options: { storage?: boolean } = {}): RulesHarness {
  let testEnv: RulesTestEnvironment | undefined;

  beforeAll(async () => {
    const firestore = hostPort("FIRESTORE_EMULATOR_HOST");
    const endpoints = await emulatorEndpoints();
    testEnv = await initializeTestEnvironment({
      projectId: RULES_PROJECT_ID,
      firestore: { rules: readFileSync(path.join(repoRoot, "firestore.rules"), "utf8"), host: firestore.host, port: firestore.port },
      ...(options.storage && endpoints.storage
        ? { storage: { rules: readFileSync(path.join(repoRoot, "storage.rules"), "utf8"), host: endpoints.storage.host, port: endpoints.storage.port } }
        : {}),
    });
  });
  afterEach(async () => {
    await testEnv?.clearFirestore();
    if (options.storage) await testEnv?.clearStorage();
  });
  afterAll(async () => {
    await saveCoverage();
    await testEnv?.cleanup();
  });

  const env = () => {
    if (!testEnv) throw new Error("rules environment not initialised");
    return testEnv;
  };
  return {
    env,
    as: (uid, claims = {}) => env().authenticatedContext(uid, claims).firestore() as unknown as Firestore,
    anonymous: () => env().unauthenticatedContext().firestore() as unknown as Firestore,
    seed: async (write) => {
      await env().withSecurityRulesDisabled(async (context) => {
        await write(context.firestore() as unknown as Firestore);
      });
    },
    storageAs: (uid, claims = {}) => env().authenticatedContext(uid, claims).storage(),
  };
}

export const allowed = assertSucceeds;
export const denied = assertFails;
