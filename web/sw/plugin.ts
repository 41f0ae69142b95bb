// Emits dist/sw.js: the hand-written worker (worker.js) preceded by the list of built files to precache, so the
// app shell loads with no network at all (Playwright's offline mode blocks localhost too).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Plugin } from "vite";

export function serviceWorker(): Plugin {
  return {
    name: "fleetfire-service-worker",
    apply: "build",
    generateBundle(_options, bundle) {
      const files = ["/", "/index.html", ...Object.keys(bundle).map((name) => `/${name}`)];
      const version = createHash("sha256").update(files.join("\n")).digest("hex").slice(0, 12);
      const worker = readFileSync(path.join(import.meta.dirname, "worker.js"), "utf8");
      this.emitFile({
        type: "asset",
        fileName: "sw.js",
        source: `const VERSION = ${JSON.stringify(version)};\nconst PRECACHE = ${JSON.stringify(files)};\n${worker}`,
      });
    },
  };
}
