// Emits dist/sw.js: the hand-written worker (worker.js) preceded by the list of built files to precache, so the
// app shell loads with no network at all (Playwright's offline mode blocks localhost too).
// Only what the entry loads statically is precached: chunks reached through a dynamic import() alone (the
// operator's console and its charts) are fetched when a page asks for them, so a rider's worker never
// downloads them; the worker keeps each one it serves for the next time offline.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { OutputBundle } from "rolldown";
import type { Plugin } from "vite";

type Meta = { importedCss?: Set<string>; importedAssets?: Set<string> };

/** The entry chunks, what they import statically, their CSS and assets; and every non-chunk asset not owned by a lazy chunk. */
export function staticFiles(bundle: OutputBundle): string[] {
  const keep = new Set<string>();
  const lazyOwned = new Set<string>();
  const visit = (name: string) => {
    const item = bundle[name];
    if (!item || keep.has(name)) return;
    keep.add(name);
    if (item.type !== "chunk") return;
    const meta = (item as unknown as { viteMetadata?: Meta }).viteMetadata;
    meta?.importedCss?.forEach((f) => keep.add(f));
    meta?.importedAssets?.forEach((f) => keep.add(f));
    item.imports.forEach(visit);
  };
  for (const item of Object.values(bundle)) if (item.type === "chunk" && item.isEntry) visit(item.fileName);
  for (const item of Object.values(bundle)) {
    if (item.type !== "chunk" || keep.has(item.fileName)) continue;
    const meta = (item as unknown as { viteMetadata?: Meta }).viteMetadata;
    meta?.importedCss?.forEach((f) => lazyOwned.add(f));
    meta?.importedAssets?.forEach((f) => lazyOwned.add(f));
  }
  for (const item of Object.values(bundle)) {
    if (item.type === "asset" && !lazyOwned.has(item.fileName) && !item.fileName.startsWith(".vite/")) keep.add(item.fileName);
  }
  return [...keep].sort();
}

export function serviceWorker(): Plugin {
  return {
    name: "fleetfire-service-worker",
    apply: "build",
    generateBundle(_options, bundle) {
      const files = ["/", "/index.html", ...staticFiles(bundle as OutputBundle).map((name) => `/${name}`)];
      const all = Object.keys(bundle).sort();
      const version = createHash("sha256").update(all.join("\n")).digest("hex").slice(0, 12);
      const worker = readFileSync(path.join(import.meta.dirname, "worker.js"), "utf8");
      this.emitFile({
        type: "asset",
        fileName: "sw.js",
        source: `const VERSION = ${JSON.stringify(version)};\nconst PRECACHE = ${JSON.stringify(files)};\n${worker}`,
      });
    },
  };
}
