// The reference web client. Emulator addresses are baked in at build time: from FLEETFIRE_WEB_EMULATORS (JSON,
// what the emulator hub announces: the tests and `npm start` pass it) or else from firebase.json shifted by
// FLEETFIRE_PORT_OFFSET, as scripts/lib/emulators.mjs shifts them.
import { readFileSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "vite";
import { serviceWorker } from "./sw/plugin.ts";

const webRoot = import.meta.dirname;
const repoRoot = path.resolve(webRoot, "..");

type Endpoint = { host: string; port: number };

function emulatorEndpoints(): Record<string, Endpoint> {
  if (process.env.FLEETFIRE_WEB_EMULATORS) return JSON.parse(process.env.FLEETFIRE_WEB_EMULATORS);
  const offset = Number(process.env.FLEETFIRE_PORT_OFFSET || 0);
  const emulators = JSON.parse(readFileSync(path.join(repoRoot, "firebase.json"), "utf8")).emulators as Record<string, Endpoint>;
  const pick = (name: string) => ({ host: emulators[name]!.host, port: emulators[name]!.port + offset });
  return { auth: pick("auth"), firestore: pick("firestore"), functions: pick("functions"), storage: pick("storage") };
}

const projectId: string = JSON.parse(readFileSync(path.join(repoRoot, ".firebaserc"), "utf8")).projects.default;
const offset = Number(process.env.FLEETFIRE_PORT_OFFSET || 0);

export default defineConfig({
  root: webRoot,
  // Not node_modules/.vite: node_modules may be shared between checkouts.
  cacheDir: path.join(webRoot, ".vite"),
  define: {
    __FLEETFIRE__: JSON.stringify({ projectId, region: "europe-west1", emulators: emulatorEndpoints(), stripeTestServer: process.env.FLEETFIRE_WEB_STRIPE || null }),
  },
  // manifest: which chunks each entry and dynamic import loads (bench/web-size.ts reads it).
  build: { outDir: path.join(webRoot, "dist"), emptyOutDir: true, chunkSizeWarningLimit: 2000, manifest: true },
  server: { host: "127.0.0.1", port: 5173 + offset, strictPort: true, fs: { allow: [repoRoot] } },
  preview: { host: "127.0.0.1", port: 5173 + offset, strictPort: true },
  plugins: [serviceWorker()],
});
