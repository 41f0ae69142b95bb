// The reference web client (web/): a production build with the emulator addresses baked in, served by
// `vite preview`. Used by `npm start` and the browser tests.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { repoRoot } from "./emulators.mjs";

const viteBin = path.join(repoRoot, "node_modules", ".bin", "vite");
const viteConfig = path.join(repoRoot, "web", "vite.config.ts");

/** The web app's port: 5173 shifted by FLEETFIRE_PORT_OFFSET, like every emulator port. */
export function webPort() {
  return 5173 + Number(process.env.FLEETFIRE_PORT_OFFSET || 0);
}

/** `emulators`: {auth, firestore, functions, storage} → {host, port}, as the emulator hub lists them. */
function webEnv(emulators) {
  const pick = Object.fromEntries(
    ["auth", "firestore", "functions", "storage"].filter((name) => emulators[name]).map((name) => [name, { host: emulators[name].host, port: emulators[name].port }]),
  );
  // A production build even when called from Vitest (NODE_ENV=test would make import.meta.env.PROD false).
  // Under the emulators the page confirms card payments on the local Stripe test server (Stripe.js's part).
  const stripe = process.env.STRIPE_TEST_SERVER_URL ?? "";
  return { ...process.env, NODE_ENV: "production", FLEETFIRE_WEB_EMULATORS: JSON.stringify(pick), FLEETFIRE_WEB_STRIPE: stripe, VITE_CONFIG_NATIVE_IGNORE_WARNING: "true" };
}

export function buildWeb(emulators, { quiet = true } = {}) {
  const result = spawnSync(viteBin, ["build", "--config", viteConfig, ...(quiet ? ["--logLevel", "warn"] : [])], {
    cwd: repoRoot,
    env: webEnv(emulators),
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
}

/** Serves web/dist on 127.0.0.1:`port`; resolves once it answers. Returns {url, stop()}. */
export async function serveWeb(emulators, { port = webPort(), timeoutMs = 30_000 } = {}) {
  const child = spawn(viteBin, ["preview", "--config", viteConfig, "--port", String(port), "--strictPort", "--host", "127.0.0.1"], {
    cwd: repoRoot,
    env: webEnv(emulators),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite preview exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`vite preview did not answer on ${url} within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
