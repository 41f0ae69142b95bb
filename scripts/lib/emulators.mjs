// Finds the emulator binaries (downloading them with firebase-tools when none is found and the machine is not
// provisioned offline), checks Java and ports, and builds the `firebase emulators:*` command line. Used by
// `npm start`, `npm test` and the benchmarks.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LOCAL_STRIPE_CONNECT_WEBHOOK_SECRET, LOCAL_STRIPE_WEBHOOK_SECRET, writeStripeEnvLocal } from "./stripe-test-server.mjs";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const projectId = JSON.parse(readFileSync(path.join(repoRoot, ".firebaserc"), "utf8")).projects.default;
// The folder firebase-tools downloads its emulators to (read at call time, as firebase-tools itself does).
const firebaseCacheDir = () => process.env.FIREBASE_EMULATORS_PATH || path.join(os.homedir(), ".cache", "firebase", "emulators");
const fleetfireCacheDir = path.join(os.homedir(), ".cache", "fleetfire", "emulators");
const gcloudFirestoreJar = path.join("platform", "cloud-firestore-emulator", "cloud-firestore-emulator.jar");
const firestoreMainClass = "com.google.cloud.datastore.emulator.firestore.CloudFirestore";

export class SetupError extends Error {}

const say = (message) => console.log(`[fleetfire] ${message}`);

export function checkJava() {
  const probe = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    throw new SetupError(
      "Java was not found. The Firestore and Storage emulators run on Java 11+ (17 recommended).\n" +
        "  Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless\n" +
        "  macOS: brew install openjdk@17",
    );
  }
  const text = `${probe.stderr}${probe.stdout}`;
  const match = text.match(/version "(\d+)(?:\.(\d+))?/);
  const major = match ? (match[1] === "1" ? Number(match[2]) : Number(match[1])) : 0;
  if (major && major < 11) throw new SetupError(`Java ${major} is too old: the emulators need Java 11 or newer.`);
  return major;
}

function newestJar(dir, prefix) {
  if (!existsSync(dir)) return undefined;
  const jars = readdirSync(dir)
    .filter((name) => name.startsWith(prefix) && name.endsWith(".jar"))
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).size > 1_000_000)
    .sort();
  return jars.at(-1);
}

function gcloudSdkRoots() {
  const roots = [];
  const probe = spawnSync("gcloud", ["info", "--format=value(installation.sdk_root)"], { encoding: "utf8", timeout: 20_000 });
  if (probe.status === 0 && probe.stdout.trim()) roots.push(probe.stdout.trim());
  roots.push("/usr/lib/google-cloud-sdk", "/usr/share/google-cloud-sdk", "/opt/google-cloud-sdk", path.join(os.homedir(), "google-cloud-sdk"));
  return [...new Set(roots)];
}

// The Cloud CLI ships the emulator without a Main-Class, which `java -jar` (and so firebase-tools) needs.
// A tiny wrapper jar whose manifest names the main class and puts the original jar on its class path fixes it.
function wrapGcloudJar(gcloudJar) {
  mkdirSync(fleetfireCacheDir, { recursive: true });
  const wrapper = path.join(fleetfireCacheDir, "cloud-firestore-emulator-gcloud-wrapper.jar");
  const manifest = path.join(fleetfireCacheDir, "gcloud-wrapper.mf");
  const manifestText = `Main-Class: ${firestoreMainClass}\nClass-Path: ${new URL(`file://${gcloudJar}`).href}\n`;
  if (existsSync(wrapper) && existsSync(manifest) && readFileSync(manifest, "utf8") === manifestText) return wrapper;
  writeFileSync(manifest, manifestText);
  const jarTool = spawnSync("jar", ["--create", "--file", wrapper, "--manifest", manifest], { encoding: "utf8" });
  if (jarTool.status !== 0) {
    throw new SetupError(`Could not wrap ${gcloudJar} (the 'jar' tool from a JDK is needed): ${jarTool.stderr || jarTool.error}`);
  }
  return wrapper;
}

// A diagnostic, off unless FLEETFIRE_FIRESTORE_EVENT_THREADS is 1–4 (docs/benchmarks.md, "Load"): the Firestore
// emulator posts every trigger event of the project to the Functions emulator from one thread and waits for each
// answer, so all Firestore-triggered work runs one invocation at a time. Its CloudFirestore.main builds that
// executor as ThreadPoolExecutor(0, 4, 60 s, LinkedBlockingQueue): a pool sized for 4 threads that never grows past
// one, because a pool with no core threads only adds threads when its queue is full, and this queue never is.
// This builds a wrapper jar holding CloudFirestore.class with the core size set to `threads` (one bytecode,
// iconst_0 -> iconst_n), ahead of the original jar on the class path, so events are delivered concurrently, as
// Eventarc delivers them in production (unordered: the pipeline is built for that, docs/engineering.md).
const CLOUD_FIRESTORE_CLASS = "com/google/cloud/datastore/emulator/firestore/CloudFirestore.class";
// new ThreadPoolExecutor; dup; iconst_0; iconst_4; ldc2_w 60L; getstatic SECONDS; new LinkedBlockingQueue; dup; <init>; <init>
const EVENT_POOL_BYTECODE = Buffer.from("BB0104590307140106B20108BB010E59B70110B70112", "hex");

export function withEventThreads(classJar, threads, outDir = fleetfireCacheDir) {
  if (!Number.isInteger(threads) || threads < 1 || threads > 4) throw new SetupError(`FLEETFIRE_FIRESTORE_EVENT_THREADS must be 1 to 4, not ${threads}.`);
  mkdirSync(outDir, { recursive: true });
  const work = mkdtempSync(path.join(os.tmpdir(), "fleetfire-event-threads-"));
  const extract = spawnSync("jar", ["--extract", "--file", classJar, CLOUD_FIRESTORE_CLASS], { cwd: work, encoding: "utf8" });
  const classFile = path.join(work, CLOUD_FIRESTORE_CLASS);
  if (extract.status !== 0 || !existsSync(classFile)) throw new SetupError(`Could not read ${CLOUD_FIRESTORE_CLASS} from ${classJar}: ${extract.stderr || extract.error}`);
  const bytes = readFileSync(classFile);
  const at = bytes.indexOf(EVENT_POOL_BYTECODE);
  if (at < 0 || bytes.indexOf(EVENT_POOL_BYTECODE, at + 1) >= 0) throw new SetupError(`${classJar}: the trigger event pool is not where this emulator version keeps it; unset FLEETFIRE_FIRESTORE_EVENT_THREADS.`);
  bytes[at + 4] = 0x03 + threads; // iconst_<threads>
  writeFileSync(classFile, bytes);
  const jar = path.join(outDir, `cloud-firestore-emulator-events-${threads}.jar`);
  const manifest = path.join(work, "manifest.mf");
  writeFileSync(manifest, `Main-Class: ${firestoreMainClass}\nClass-Path: ${new URL(`file://${classJar}`).href}\n`);
  const create = spawnSync("jar", ["--create", "--file", jar, "--manifest", manifest, "-C", work, CLOUD_FIRESTORE_CLASS], { encoding: "utf8" });
  rmSync(work, { recursive: true, force: true });
  if (create.status !== 0) throw new SetupError(`Could not build ${jar}: ${create.stderr || create.error}`);
  return jar;
}

// Off unless FLEETFIRE_FIRESTORE_LEAN=1, which `npm run bench:load` sets by default (FLEETFIRE_FIRESTORE_LEAN=0 for the
// stock emulator; docs/benchmarks.md, "Load, 2026-12-07 morning"): a JFR profile
// of the load bench showed the emulator's own debugging aids among its costs: the rules-coverage tracker records
// every evaluated expression in one synchronized table, and the Emulator UI's request log serialises every
// rules-evaluated request to JSON under one lock. This compiles no-op replacements of those two classes
// (scripts/lib/emulator-lean/*.java, with the JDK's javac) into a jar ahead of `baseJar` on the class path. Rules
// coverage reports come back empty with it, so the test suite never sets it (a benchmark, like any, runs without
// coverage instrumentation).
const LEAN_SOURCES = path.join(repoRoot, "scripts", "lib", "emulator-lean");

export function withLeanEmulator(baseJar, classJar, outDir = fleetfireCacheDir) {
  mkdirSync(outDir, { recursive: true });
  const work = mkdtempSync(path.join(os.tmpdir(), "fleetfire-lean-"));
  const sources = readdirSync(LEAN_SOURCES).filter((n) => n.endsWith(".java")).map((n) => path.join(LEAN_SOURCES, n));
  const classes = path.join(work, "classes");
  const javac = spawnSync("javac", ["-proc:none", "--release", "11", "-nowarn", "-cp", classJar, "-d", classes, ...sources], { encoding: "utf8" });
  if (javac.status !== 0) throw new SetupError(`FLEETFIRE_FIRESTORE_LEAN needs the JDK's javac and an emulator these sources compile against (${classJar}): ${javac.stderr || javac.error}`);
  const jar = path.join(outDir, `${path.basename(baseJar, ".jar")}-lean.jar`);
  const manifest = path.join(work, "manifest.mf");
  writeFileSync(manifest, `Main-Class: ${firestoreMainClass}\nClass-Path: ${new URL(`file://${baseJar}`).href}\n`);
  const create = spawnSync("jar", ["--create", "--file", jar, "--manifest", manifest, "-C", classes, "."], { encoding: "utf8" });
  rmSync(work, { recursive: true, force: true });
  if (create.status !== 0) throw new SetupError(`Could not build ${jar}: ${create.stderr || create.error}`);
  return jar;
}

// firebase-tools chmods whatever a *_EMULATOR_BINARY_PATH names, so a read-only fallback folder is copied to a
// cache first. The storage rules runtime must sit beside the Firestore jar its manifest names.
function copyFallback(dir) {
  mkdirSync(fleetfireCacheDir, { recursive: true });
  const copied = {};
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".jar"))) {
    const from = path.join(dir, name);
    const to = path.join(fleetfireCacheDir, name);
    if (!existsSync(to) || statSync(to).size !== statSync(from).size) copyFileSync(from, to);
    copied[name] = to;
  }
  return copied;
}

/** Resolves the Firestore emulator jar and the Storage rules runtime, in the documented order. */
export function resolveEmulatorBinaries({
  fallbackDir = process.env.FLEETFIRE_EMULATOR_FALLBACK_DIR,
  cacheDir = firebaseCacheDir(),
  gcloudRoots = gcloudSdkRoots,
} = {}) {
  const found = { firestore: undefined, storage: undefined };
  const fallback = fallbackDir && existsSync(fallbackDir) ? fallbackDir : undefined;
  let fallbackCopies;
  const fromFallback = () => (fallbackCopies ??= copyFallback(fallback));

  if (process.env.FIRESTORE_EMULATOR_BINARY_PATH) {
    const file = process.env.FIRESTORE_EMULATOR_BINARY_PATH;
    if (!existsSync(file)) throw new SetupError(`FIRESTORE_EMULATOR_BINARY_PATH points at ${file}, which does not exist.`);
    found.firestore = { path: file, classJar: file, source: "FIRESTORE_EMULATOR_BINARY_PATH" };
  } else {
    const cached = newestJar(cacheDir, "cloud-firestore-emulator");
    if (cached) found.firestore = { path: cached, classJar: cached, source: "firebase-tools cache" };
  }
  if (!found.firestore) {
    for (const root of gcloudRoots()) {
      const jar = path.join(root, gcloudFirestoreJar);
      if (existsSync(jar)) {
        found.firestore = { path: wrapGcloudJar(jar), classJar: jar, source: `Google Cloud CLI (${jar}, wrapped with a Main-Class)` };
        break;
      }
    }
  }
  if (!found.firestore && fallback) {
    const jar = Object.entries(fromFallback()).find(([name]) => name.startsWith("cloud-firestore-emulator"));
    if (jar) found.firestore = { path: jar[1], classJar: jar[1], source: `fallback ${fallback} (copied to ${fleetfireCacheDir})` };
  }
  const eventThreads = Number(process.env.FLEETFIRE_FIRESTORE_EVENT_THREADS || 0);
  if (found.firestore && eventThreads) {
    found.firestore = { path: withEventThreads(found.firestore.classJar, eventThreads), classJar: found.firestore.classJar, source: `${found.firestore.source}, delivering trigger events on ${eventThreads} threads` };
  }
  if (found.firestore && process.env.FLEETFIRE_FIRESTORE_LEAN === "1") {
    found.firestore = { path: withLeanEmulator(found.firestore.path, found.firestore.classJar), classJar: found.firestore.classJar, source: `${found.firestore.source}, lean (no rules coverage, no Emulator UI request log)` };
  }

  if (process.env.STORAGE_EMULATOR_BINARY_PATH) {
    const file = process.env.STORAGE_EMULATOR_BINARY_PATH;
    if (!existsSync(file)) throw new SetupError(`STORAGE_EMULATOR_BINARY_PATH points at ${file}, which does not exist.`);
    found.storage = { path: file, source: "STORAGE_EMULATOR_BINARY_PATH" };
  } else {
    const cached = newestJar(cacheDir, "cloud-storage-rules-runtime");
    if (cached) found.storage = { path: cached, source: "firebase-tools cache" };
  }
  if (!found.storage && fallback) {
    const jar = Object.entries(fromFallback()).find(([name]) => name.startsWith("storage-rules-runtime"));
    if (jar) found.storage = { path: jar[1], source: `fallback ${fallback} (copied to ${fleetfireCacheDir})` };
  }
  return found;
}

export function uiAvailable() {
  if (process.env.FLEETFIRE_EMULATOR_UI === "0") return false;
  if (process.env.FLEETFIRE_EMULATOR_UI === "1") return true;
  const cacheDir = firebaseCacheDir();
  return existsSync(cacheDir) && readdirSync(cacheDir).some((name) => /^ui-v[\d.]+$/.test(name));
}

/**
 * The firebase.json in use. When the Emulator UI cannot be downloaded it is switched off, and with
 * FLEETFIRE_PORT_OFFSET set every emulator port is shifted, so two checkouts can run side by side. Either way a
 * generated copy beside firebase.json (git-ignored) is used; firebase.json itself stays the deployable truth.
 */
export function emulatorConfig({ ui = uiAvailable() } = {}) {
  const base = JSON.parse(readFileSync(path.join(repoRoot, "firebase.json"), "utf8"));
  const offset = Number(process.env.FLEETFIRE_PORT_OFFSET || 0);
  if (!offset && ui) return { configPath: path.join(repoRoot, "firebase.json"), emulators: base.emulators };
  for (const settings of Object.values(base.emulators)) {
    if (typeof settings !== "object") continue;
    if (settings.port) settings.port += offset;
    if (settings.websocketPort) settings.websocketPort += offset;
  }
  if (!ui) base.emulators.ui.enabled = false;
  const configPath = path.join(repoRoot, `.firebase.local-${offset}.json`);
  writeFileSync(configPath, JSON.stringify(base, null, 2));
  return { configPath, emulators: base.emulators };
}

function portFree(host, port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.once("listening", () => server.close(() => resolve(true)));
    server.listen(port, host);
  });
}

export async function checkPorts(emulators, names) {
  const busy = [];
  for (const name of names) {
    const settings = emulators[name];
    if (!settings?.port) continue;
    for (const port of [settings.port, settings.websocketPort].filter(Boolean)) {
      if (!(await portFree(settings.host ?? "127.0.0.1", port))) busy.push(`${name} (${port})`);
    }
  }
  if (busy.length) {
    throw new SetupError(
      `These emulator ports are already in use: ${busy.join(", ")}.\n` +
        "  Another emulator suite is probably running (stop it, or `lsof -i :PORT` to find the process),\n" +
        "  or set FLEETFIRE_PORT_OFFSET=100 to shift every port.",
    );
  }
}

const setupCommands = { firestore: "setup:emulators:firestore", storage: "setup:emulators:storage" };

function offlineInstructions(cacheDir) {
  return (
    "Looked in:\n" +
    "  1. $FIRESTORE_EMULATOR_BINARY_PATH / $STORAGE_EMULATOR_BINARY_PATH\n" +
    `  2. the firebase-tools cache (${cacheDir})\n` +
    "  3. a Google Cloud CLI install (component cloud-firestore-emulator)\n" +
    "  4. $FLEETFIRE_EMULATOR_FALLBACK_DIR\n" +
    "  Fix, on a machine without internet access: point FIRESTORE_EMULATOR_BINARY_PATH at a cloud-firestore-emulator jar\n" +
    "  and STORAGE_EMULATOR_BINARY_PATH at a storage rules runtime jar (copies are in ../shared/emulators/), or set\n" +
    "  FLEETFIRE_EMULATOR_FALLBACK_DIR=../shared/emulators. With internet access, `npx firebase setup:emulators:firestore`\n" +
    "  and `npx firebase setup:emulators:storage` fill the cache."
  );
}

/**
 * Runs firebase-tools' own `setup:emulators:<name>` into cacheDir. Never throws: returns whether it worked and
 * the tail of its output. Bounded by timeoutMs, so a network that drops packets cannot hang `npm test`.
 */
export function downloadEmulator(name, { firebase = firebaseBin(), cacheDir = firebaseCacheDir(), timeoutMs } = {}) {
  const run = spawnSync(firebase, [setupCommands[name]], {
    encoding: "utf8",
    timeout: timeoutMs,
    env: { ...process.env, FIREBASE_EMULATORS_PATH: cacheDir },
  });
  const output = `${run.stdout ?? ""}${run.stderr ?? ""}`.trim().split("\n").filter((line) => line.trim()).slice(-3).join("\n    ");
  if (run.error?.code === "ETIMEDOUT") return { ok: false, output: `gave up after ${timeoutMs / 1000} s. ${output}` };
  if (run.error) return { ok: false, output: String(run.error.message) };
  return { ok: run.status === 0, output };
}

/**
 * Resolves the emulator binaries; when one is missing, lets firebase-tools download it into its cache and
 * looks again. No download is tried when FLEETFIRE_EMULATOR_FALLBACK_DIR is set (the machine was provisioned for
 * offline use: CI) or FLEETFIRE_EMULATOR_DOWNLOAD=0. Throws the offline instructions only when the Firestore jar
 * (or, with requireStorage, the Storage runtime) is still missing.
 */
export function ensureEmulatorBinaries({
  requireStorage,
  fallbackDir = process.env.FLEETFIRE_EMULATOR_FALLBACK_DIR,
  cacheDir = firebaseCacheDir(),
  gcloudRoots = gcloudSdkRoots,
  firebase = firebaseBin(),
  download = !fallbackDir && process.env.FLEETFIRE_EMULATOR_DOWNLOAD !== "0",
  timeoutMs = Number(process.env.FLEETFIRE_EMULATOR_DOWNLOAD_TIMEOUT || 180) * 1000,
  log = say,
}) {
  const lookup = () => resolveEmulatorBinaries({ fallbackDir, cacheDir, gcloudRoots });
  let binaries = lookup();
  const failures = [];
  const missing = Object.keys(setupCommands).filter((name) => !binaries[name]);
  if (missing.length && download) {
    for (const name of missing) {
      log(`no ${name} emulator found: downloading it with \`firebase ${setupCommands[name]}\` (at most ${timeoutMs / 1000} s)…`);
      const result = downloadEmulator(name, { firebase, cacheDir, timeoutMs });
      if (!result.ok) {
        failures.push(`\`firebase ${setupCommands[name]}\` failed: ${result.output}`);
        break; // the next download would meet the same network
      }
    }
    binaries = lookup();
  }
  const tried = failures.length ? `\n  ${failures.join("\n  ")}\n  ` : "\n  ";
  const downloadNote = download ? "" : fallbackDir ? " (no download tried: FLEETFIRE_EMULATOR_FALLBACK_DIR is set)" : " (download off: FLEETFIRE_EMULATOR_DOWNLOAD=0)";
  if (!binaries.firestore) {
    throw new SetupError(`No Firestore emulator jar was found${downloadNote}.${tried}${offlineInstructions(cacheDir)}`);
  }
  if (!binaries.storage && requireStorage) {
    throw new SetupError(
      `No Cloud Storage rules runtime was found${downloadNote}, so the Storage emulator cannot start and the Storage tests cannot run.${tried}` +
        offlineInstructions(cacheDir),
    );
  }
  return binaries;
}

/**
 * The `--only` list. Never "extensions": firebase.json's extensions manifest is for `firebase deploy`, and
 * emulating it would download the extensions' sources, which offline machines cannot (docs/deploy.md).
 */
export function emulatorTargets({ storage, ui }) {
  return ["auth", "firestore", "functions", "tasks", "eventarc", ...(storage ? ["storage"] : []), ...(ui ? ["ui"] : [])];
}

/**
 * Everything needed to run `firebase emulators:start|exec`: the argument list and the environment.
 * requireStorage: true for tests (a missing Storage runtime is an error), false for `npm start` (a warning).
 */
export async function prepareEmulators({ requireStorage }) {
  const javaMajor = checkJava();
  const binaries = ensureEmulatorBinaries({ requireStorage });
  if (!binaries.storage) {
    console.warn("[fleetfire] WARNING: no Storage rules runtime found: starting WITHOUT the Storage emulator (chat files and photos will not work).");
  }
  const ui = uiAvailable();
  const only = emulatorTargets({ storage: Boolean(binaries.storage), ui });
  const { configPath, emulators } = emulatorConfig({ ui });
  await checkPorts(emulators, only);

  say(`Java ${javaMajor}`);
  say(`Firestore emulator: ${binaries.firestore.path}  [${binaries.firestore.source}]`);
  if (binaries.storage) say(`Storage rules runtime: ${binaries.storage.path}  [${binaries.storage.source}]`);
  say(`Emulator UI: ${only.includes("ui") ? "on" : "off (not downloaded; set FLEETFIRE_EMULATOR_UI=1 where it can be)"}`);

  // The Storage emulator keeps blobs under $TMPDIR/firebase/storage and wipes them on exit: give each suite
  // (each port offset) its own folder so that two suites on one machine cannot delete each other's files.
  const tmpdir = path.join(os.tmpdir(), `fleetfire-emulators-${Number(process.env.FLEETFIRE_PORT_OFFSET || 0)}`);
  mkdirSync(tmpdir, { recursive: true });
  // Test hooks the functions honour only in the emulator (functions/src/common/emulatorHooks.ts): fault injection
  // for the pipeline's fault tests, and one line per Firestore-triggered invocation for bench:invocations.
  const faultsDir = path.join(tmpdir, "faults");
  rmSync(faultsDir, { recursive: true, force: true });
  mkdirSync(faultsDir, { recursive: true });
  rmSync(path.join(tmpdir, "trigger-log.jsonl"), { force: true });
  const env = {
    ...process.env,
    TMPDIR: tmpdir,
    FIRESTORE_EMULATOR_BINARY_PATH: binaries.firestore.path,
    FLEETFIRE_FAULTS_DIR: process.env.FLEETFIRE_FAULTS_DIR || faultsDir,
    FLEETFIRE_TRIGGER_LOG: process.env.FLEETFIRE_TRIGGER_LOG || path.join(tmpdir, "trigger-log.jsonl"),
    // firebase-tools gives a new function worker 30 s to start; a loaded two-core machine (CI, or suites side by
    // side) can take longer, and the invocation then fails with "Failed to load function".
    FUNCTIONS_DISCOVERY_TIMEOUT: process.env.FUNCTIONS_DISCOVERY_TIMEOUT || "120",
    // The Functions emulator runs each concurrent invocation in its own worker process (a cold start each) and
    // allows 50 at once: a burst (50 riders quoting) then starts 50 Node processes on two cores and everything
    // stalls. A few per core keeps the workers warm and busy; the rest queue (firebase-tools WorkQueue).
    FUNCTIONS_EMULATOR_PARALLEL: process.env.FUNCTIONS_EMULATOR_PARALLEL || String(Math.max(4, 4 * os.availableParallelism())),
  };
  if (binaries.storage) env.STORAGE_EMULATOR_BINARY_PATH = binaries.storage.path;
  writeLocalSecrets();
  writeStripeEnvLocal(repoRoot);
  return { only, configPath, emulators, env, storage: Boolean(binaries.storage) };
}

// The Functions emulator reads secrets from functions/.secret.local. Only local test values go there; real
// secrets live in Secret Manager (`firebase functions:secrets:set`).
function writeLocalSecrets() {
  const file = path.join(repoRoot, "functions", ".secret.local");
  const values = {
    STRIPE_SECRET_KEY: "sk_test_fleetfire_local_emulator",
    STRIPE_WEBHOOK_SECRET: LOCAL_STRIPE_WEBHOOK_SECRET,
    STRIPE_CONNECT_WEBHOOK_SECRET: LOCAL_STRIPE_CONNECT_WEBHOOK_SECRET,
  };
  const text = Object.entries(values).map(([k, v]) => `${k}=${v}`).join("\n") + "\n";
  if (!existsSync(file) || readFileSync(file, "utf8") !== text) writeFileSync(file, text);
}

export function firebaseBin() {
  return path.join(repoRoot, "node_modules", ".bin", "firebase");
}

export function buildFunctions() {
  say("building functions (tsc)…");
  execFileSync("npm", ["--prefix", path.join(repoRoot, "functions"), "run", "build", "--silent"], { stdio: "inherit" });
}

export function reportSetupError(error) {
  if (error instanceof SetupError) {
    console.error(`\n[fleetfire] Setup problem:\n  ${error.message}\n`);
    process.exit(2);
  }
  throw error;
}
