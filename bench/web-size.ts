// `npm run bench:web-size`: the JavaScript a page downloads on first load, gzipped, for the rider's view and the
// operator's console (budget 300 kB). Builds web/ (`npm run web:build`), serves it locally (vite preview) and
// fetches each file over HTTP as a browser would; sizes are gzip level 9 of the served bytes (kB = 1000 bytes).
//   rider view     : index.html's scripts (what every user loads before the role is known)
//   console        : + the console chunk (admins only, a dynamic import) and its static imports
//   console+charts : + the reports chunk (uPlot), fetched when the Reports tab first opens
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { benchResult } from "./result";
import { closureOf, kb, KB, scriptsOf, type Manifest } from "./webSizeLogic";
// @ts-expect-error: plain ESM script shared with `npm start`, no type declarations
import { serveWeb, webPort } from "../scripts/lib/web.mjs";

const BUDGET_KB = 300;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(repoRoot, "web", "dist");

const build = spawnSync("npm", ["run", "web:build", "--", "--logLevel", "warn"], { cwd: repoRoot, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
if (build.status !== 0) throw new Error("npm run web:build failed");

// Another port than `npm start`'s web server, so both can run.
const server: { url: string; stop(): Promise<void> } = await serveWeb({}, { port: webPort() + 40 });
try {
  const fetchBytes = async (urlPath: string) => {
    const response = await fetch(`${server.url}/${urlPath.replace(/^\//, "")}`);
    if (!response.ok) throw new Error(`${urlPath}: HTTP ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
  };
  const sizes = new Map<string, { raw: number; gzip: number }>();
  const sizeOf = async (file: string) => {
    if (!sizes.has(file)) {
      const bytes = await fetchBytes(file);
      sizes.set(file, { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
    }
    return sizes.get(file)!;
  };
  const total = async (files: string[]) => {
    let raw = 0;
    let gzip = 0;
    for (const f of new Set(files)) {
      const s = await sizeOf(f);
      raw += s.raw;
      gzip += s.gzip;
    }
    return { raw, gzip, files: [...new Set(files)] };
  };

  const html = (await fetchBytes("/")).toString("utf8");
  const manifest = JSON.parse(readFileSync(path.join(dist, ".vite", "manifest.json"), "utf8")) as Manifest;
  const riderFiles = scriptsOf(html).map((f) => f.replace(/^\//, ""));
  const consoleFiles = [...riderFiles, ...closureOf(manifest, "src/console/console.ts").js];
  const chartsFiles = [...consoleFiles, ...closureOf(manifest, "src/console/reports.ts").js];
  const rider = await total(riderFiles);
  const consoleLoad = await total(consoleFiles);
  const charts = await total(chartsFiles);

  console.log(`web client JavaScript on first load (built, served at ${server.url}; gzip -9; kB = 1000 bytes)`);
  console.log("page                              files    raw kB   gzip kB   budget");
  const line = (label: string, t: { raw: number; gzip: number; files: string[] }, budget = "") =>
    console.log(`${label.padEnd(33)} ${String(t.files.length).padStart(5)} ${kb(t.raw).toFixed(1).padStart(9)} ${kb(t.gzip).toFixed(1).padStart(9)}   ${budget}`);
  line("rider view (every user)", rider);
  line("operator console, first load", consoleLoad, `< ${BUDGET_KB} kB`);
  line("operator console + report charts", charts, `< ${BUDGET_KB} kB`);
  for (const [file, s] of sizes) console.log(`  ${file.padEnd(40)} ${kb(s.raw).toFixed(1).padStart(8)} kB raw ${kb(s.gzip).toFixed(1).padStart(7)} kB gzip`);
  const withinBudget = consoleLoad.gzip < BUDGET_KB * KB && charts.gzip < BUDGET_KB * KB;
  console.log(withinBudget ? "within the budget" : `OVER the ${BUDGET_KB} kB budget`);
  const json = benchResult({
    bench: "web-size",
    riderGzipKb: kb(rider.gzip),
    consoleGzipKb: kb(consoleLoad.gzip),
    consoleWithChartsGzipKb: kb(charts.gzip),
    riderRawKb: kb(rider.raw),
    consoleRawKb: kb(consoleLoad.raw),
    budgetKb: BUDGET_KB,
    withinBudget,
  });
  console.log(json);
  process.exitCode = withinBudget ? 0 : 1;
} finally {
  await server.stop();
}
