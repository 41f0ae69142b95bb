// The emulator launcher's setup checks: a bad machine gets an actionable message, not a stack trace.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error -- plain ESM script without type declarations
import { checkJava, checkPorts, emulatorTargets, ensureEmulatorBinaries, resolveEmulatorBinaries, SetupError, withEventThreads, withLeanEmulator } from "../../scripts/lib/emulators.mjs";

const savedEnv = { ...process.env };
const tempDirs: string[] = [];
afterEach(() => {
  process.env = { ...savedEnv };
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "fleetfire-launcher-"));
  tempDirs.push(dir);
  return dir;
}

/**
 * A stand-in for the firebase CLI: logs each command it is given, then behaves as `behaviour` says. "download"
 * writes the jar `firebase setup:emulators:<name>` would put into $FIREBASE_EMULATORS_PATH (over the launcher's
 * 1 MB plausibility floor); "offline" fails the way firebase-tools does without a network; "hang" never ends.
 */
function fakeFirebase(behaviour: "download" | "offline" | "hang"): { bin: string; calls: () => string[] } {
  const dir = tempDir();
  const bin = path.join(dir, "firebase");
  const log = path.join(dir, "calls.log");
  writeFileSync(
    bin,
    `#!/usr/bin/env node
const fs = require("node:fs"), path = require("node:path");
const command = process.argv[2];
fs.appendFileSync(${JSON.stringify(log)}, command + "\\n");
const behaviour = ${JSON.stringify(behaviour)};
if (behaviour === "hang") setInterval(() => {}, 1000);
else if (behaviour === "offline") {
  console.error("Error: Failed to make request to https://storage.googleapis.com/firebase-preview-drop/emulator/x.jar");
  process.exit(1);
} else {
  const names = { "setup:emulators:firestore": "cloud-firestore-emulator-v9.9.9.jar", "setup:emulators:storage": "cloud-storage-rules-runtime-v9.9.9.jar" };
  fs.mkdirSync(process.env.FIREBASE_EMULATORS_PATH, { recursive: true });
  fs.writeFileSync(path.join(process.env.FIREBASE_EMULATORS_PATH, names[command]), Buffer.alloc(1_100_000));
}
`,
  );
  chmodSync(bin, 0o755);
  return { bin, calls: () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : []) };
}

function ensure(options: Record<string, unknown>) {
  delete process.env.FIRESTORE_EMULATOR_BINARY_PATH;
  delete process.env.STORAGE_EMULATOR_BINARY_PATH;
  return ensureEmulatorBinaries({ requireStorage: true, gcloudRoots: () => [], log: () => {}, fallbackDir: "", ...options });
}

describe("emulator launcher: download when no jar is found", () => {
  it("lets firebase-tools download both jars into its cache, then finds them there", () => {
    const cacheDir = tempDir();
    const firebase = fakeFirebase("download");
    const found = ensure({ cacheDir, firebase: firebase.bin, download: true, timeoutMs: 20_000 });
    expect(firebase.calls()).toEqual(["setup:emulators:firestore", "setup:emulators:storage"]);
    expect(found.firestore).toEqual({ path: path.join(cacheDir, "cloud-firestore-emulator-v9.9.9.jar"), classJar: path.join(cacheDir, "cloud-firestore-emulator-v9.9.9.jar"), source: "firebase-tools cache" });
    expect(found.storage).toEqual({ path: path.join(cacheDir, "cloud-storage-rules-runtime-v9.9.9.jar"), source: "firebase-tools cache" });
  });

  it("downloads nothing when the cache already holds the jars", () => {
    const cacheDir = tempDir();
    ensure({ cacheDir, firebase: fakeFirebase("download").bin, download: true, timeoutMs: 20_000 });
    const second = fakeFirebase("download");
    const found = ensure({ cacheDir, firebase: second.bin, download: true, timeoutMs: 20_000 });
    expect(second.calls()).toEqual([]);
    expect(found.firestore.source).toBe("firebase-tools cache");
  });

  it("fails with the offline instructions and firebase-tools' error when the download fails", () => {
    const firebase = fakeFirebase("offline");
    let error: unknown;
    try {
      ensure({ cacheDir: tempDir(), firebase: firebase.bin, download: true, timeoutMs: 20_000 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SetupError);
    const message = (error as Error).message;
    expect(message).toMatch(/No Firestore emulator jar was found\.[\s\S]*setup:emulators:firestore` failed: Error: Failed to make request/);
    expect(message).toMatch(/FIRESTORE_EMULATOR_BINARY_PATH[\s\S]*FLEETFIRE_EMULATOR_FALLBACK_DIR=\.\.\/shared\/emulators/);
    // After the first failed download, the second is not tried: it would meet the same network.
    expect(firebase.calls()).toEqual(["setup:emulators:firestore"]);
  });

  it("gives up on a download that hangs after the timeout", () => {
    const started = Date.now();
    const run = () => ensure({ cacheDir: tempDir(), firebase: fakeFirebase("hang").bin, download: true, timeoutMs: 1_500 });
    expect(run).toThrowError(/setup:emulators:firestore` failed: gave up after 1.5 s[\s\S]*FLEETFIRE_EMULATOR_FALLBACK_DIR/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("tries no download on a machine provisioned offline (FLEETFIRE_EMULATOR_FALLBACK_DIR set): CI never waits for the network", () => {
    const firebase = fakeFirebase("download");
    const emptyFallback = tempDir();
    const run = () => ensure({ cacheDir: tempDir(), firebase: firebase.bin, fallbackDir: emptyFallback, timeoutMs: 20_000 });
    expect(run).toThrowError(/No Firestore emulator jar was found \(no download tried: FLEETFIRE_EMULATOR_FALLBACK_DIR is set\)/);
    expect(firebase.calls()).toEqual([]);
  });

  it("starts without Storage when only the Storage download fails and Storage is optional (npm start)", () => {
    const cacheDir = tempDir();
    writeFileSync(path.join(cacheDir, "cloud-firestore-emulator-v1.0.0.jar"), Buffer.alloc(1_100_000));
    const firebase = fakeFirebase("offline");
    const found = ensure({ cacheDir, firebase: firebase.bin, download: true, requireStorage: false, timeoutMs: 20_000 });
    expect(firebase.calls()).toEqual(["setup:emulators:storage"]);
    expect(found.firestore.path).toBe(path.join(cacheDir, "cloud-firestore-emulator-v1.0.0.jar"));
    expect(found.storage).toBeUndefined();
    expect(() => ensure({ cacheDir, firebase: firebase.bin, download: true, requireStorage: true, timeoutMs: 20_000 })).toThrowError(
      /No Cloud Storage rules runtime was found[\s\S]*setup:emulators:storage` failed[\s\S]*STORAGE_EMULATOR_BINARY_PATH/,
    );
  });
});

describe("FLEETFIRE_FIRESTORE_EVENT_THREADS: the diagnostic that lets the Firestore emulator deliver trigger events concurrently", () => {
  const CLASS = "com/google/cloud/datastore/emulator/firestore/CloudFirestore.class";
  const POOL = "BB0104590307140106B20108BB010E59B70110B70112";
  const fakeEmulatorJar = (classHex: string) => {
    const dir = tempDir();
    mkdirSync(path.join(dir, path.dirname(CLASS)), { recursive: true });
    writeFileSync(path.join(dir, CLASS), Buffer.from(classHex, "hex"));
    const jar = path.join(tempDir(), "emulator.jar");
    execFileSync("jar", ["--create", "--file", jar, "-C", dir, CLASS]);
    return jar;
  };
  const classIn = (jar: string) => {
    const dir = tempDir();
    execFileSync("jar", ["--extract", "--file", jar, CLASS], { cwd: dir });
    return readFileSync(path.join(dir, CLASS)).toString("hex").toUpperCase();
  };

  it("sets the event pool's core size (iconst_0 -> iconst_n) and changes no other byte; the original jar stays on the class path", () => {
    const original = fakeEmulatorJar(`CAFEBABE00${POOL}0003`);
    const patched = withEventThreads(original, 4, tempDir());
    expect(classIn(patched)).toBe(`CAFEBABE00${POOL.replace("590307", "590707")}0003`);
    const dir = tempDir();
    execFileSync("jar", ["--extract", "--file", patched, "META-INF/MANIFEST.MF"], { cwd: dir });
    const manifest = readFileSync(path.join(dir, "META-INF/MANIFEST.MF"), "utf8").replace(/\r?\n /g, "");
    expect(manifest).toContain("Main-Class: com.google.cloud.datastore.emulator.firestore.CloudFirestore");
    expect(manifest).toContain(`Class-Path: file://${original}`);
    expect(classIn(original)).toBe(`CAFEBABE00${POOL}0003`);
  });

  it("refuses an emulator whose pool is elsewhere (another version) or found twice, and a thread count outside 1-4", () => {
    expect(() => withEventThreads(fakeEmulatorJar("CAFEBABE0000"), 4, tempDir())).toThrowError(/not where this emulator version keeps it/);
    expect(() => withEventThreads(fakeEmulatorJar(`${POOL}${POOL}`), 4, tempDir())).toThrowError(/not where this emulator version keeps it/);
    expect(() => withEventThreads(fakeEmulatorJar(POOL), 5, tempDir())).toThrowError(/must be 1 to 4/);
    expect(() => withEventThreads(fakeEmulatorJar(POOL), 0, tempDir())).toThrowError(/must be 1 to 4/);
  });
});

describe("emulator launcher setup checks", () => {
  it("names the variable when FIRESTORE_EMULATOR_BINARY_PATH points nowhere", () => {
    process.env.FIRESTORE_EMULATOR_BINARY_PATH = "/nonexistent/firestore.jar";
    expect(() => resolveEmulatorBinaries()).toThrowError(SetupError);
    expect(() => resolveEmulatorBinaries()).toThrowError(/FIRESTORE_EMULATOR_BINARY_PATH points at \/nonexistent\/firestore.jar/);
  });

  it("names the variable when STORAGE_EMULATOR_BINARY_PATH points nowhere", () => {
    process.env.STORAGE_EMULATOR_BINARY_PATH = "/nonexistent/storage.jar";
    expect(() => resolveEmulatorBinaries({ fallbackDir: "", gcloudRoots: () => [] })).toThrowError(/STORAGE_EMULATOR_BINARY_PATH points at/);
  });

  it("explains how to install Java when it is missing", () => {
    process.env.PATH = "/nonexistent-bin";
    expect(() => checkJava()).toThrowError(/Java was not found[\s\S]*apt-get install/);
  });

  it("reports busy ports with the way out", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      await expect(checkPorts({ firestore: { host: "127.0.0.1", port } }, ["firestore"])).rejects.toThrowError(
        new RegExp(`firestore \\(${port}\\)[\\s\\S]*FLEETFIRE_PORT_OFFSET`),
      );
    } finally {
      server.close();
    }
  });

  it("accepts free ports", async () => {
    await expect(checkPorts({ firestore: { host: "127.0.0.1", port: 0 } }, ["firestore"])).resolves.toBeUndefined();
  });
});

describe("emulator launcher: what starts", () => {
  it("never emulates the extensions manifest (it would download the extensions' sources)", () => {
    for (const storage of [true, false]) {
      for (const ui of [true, false]) expect(emulatorTargets({ storage, ui })).not.toContain("extensions");
    }
    expect(emulatorTargets({ storage: true, ui: false })).toEqual(["auth", "firestore", "functions", "tasks", "eventarc", "storage"]);
  });
});

describe("FLEETFIRE_FIRESTORE_LEAN: the diagnostic that runs the Firestore emulator without its coverage tracker and UI request log", () => {
  const TRACKER = "com/google/firebase/rules/runtime/tracking/RuleExpressionTracker.class";
  const REQUEST_LOG = "com/google/cloud/datastore/emulator/firestore/websocket/BufferingRequestListener.class";

  it("compiles the two no-op classes against the emulator in use and puts them ahead of it on the class path", () => {
    const { firestore } = resolveEmulatorBinaries();
    expect(firestore, "a Firestore emulator jar (the integration tests need it too)").toBeDefined();
    const lean = withLeanEmulator(firestore.path, firestore.classJar, tempDir());
    const entries = execFileSync("jar", ["--list", "--file", lean], { encoding: "utf8" }).split("\n");
    expect(entries).toEqual(expect.arrayContaining([TRACKER, REQUEST_LOG]));
    const dir = tempDir();
    execFileSync("jar", ["--extract", "--file", lean, "META-INF/MANIFEST.MF"], { cwd: dir });
    const manifest = readFileSync(path.join(dir, "META-INF/MANIFEST.MF"), "utf8").replace(/\r?\n /g, "");
    expect(manifest).toContain("Main-Class: com.google.cloud.datastore.emulator.firestore.CloudFirestore");
    expect(manifest).toContain(`Class-Path: file://${firestore.path}`);
    // Resolved through the lean jar's class path, the tracker is the replacement: no synchronized table in it.
    const tracker = execFileSync("javap", ["-p", "-cp", lean, "com.google.firebase.rules.runtime.tracking.RuleExpressionTracker"], { encoding: "utf8" });
    expect(tracker).toContain("addResultsFrom");
    expect(tracker).not.toContain("underlying");
  });

  it("says what is missing when the sources do not compile against the emulator", () => {
    const notAnEmulator = path.join(tempDir(), "empty.jar");
    const dir = tempDir();
    writeFileSync(path.join(dir, "x.txt"), "x");
    execFileSync("jar", ["--create", "--file", notAnEmulator, "-C", dir, "x.txt"]);
    expect(() => withLeanEmulator(notAnEmulator, notAnEmulator, tempDir())).toThrowError(/FLEETFIRE_FIRESTORE_LEAN needs the JDK's javac/);
  });
});
