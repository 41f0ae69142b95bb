// Generated files checked in: write them, or check that the checked-in copies are current (byte for byte).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** A generated file: its path relative to the repository root and its exact content. */
export interface GeneratedFile {
  path: string;
  content: string;
}

export interface StaleFile {
  path: string;
  problem: "missing" | "differs" | "extra";
}

function filesUnder(dir: string, ext: string): string[] {
  if (!existsSync(path.join(repoRoot, dir))) return [];
  return readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(ext))
    .map((f) => path.posix.join(dir, f.split(path.sep).join("/")))
    .sort();
}

/** Checked-in files that differ from `files`; `owned` = a folder whose `ext` files are all generated. */
export function staleFiles(files: GeneratedFile[], owned?: { dir: string; ext: string }): StaleFile[] {
  const stale: StaleFile[] = [];
  for (const file of files) {
    const full = path.join(repoRoot, file.path);
    if (!existsSync(full)) stale.push({ path: file.path, problem: "missing" });
    else if (readFileSync(full, "utf8") !== file.content) stale.push({ path: file.path, problem: "differs" });
  }
  if (owned) {
    const expected = new Set(files.map((f) => f.path));
    for (const extra of filesUnder(owned.dir, owned.ext)) if (!expected.has(extra)) stale.push({ path: extra, problem: "extra" });
  }
  return stale;
}

export function describeStale(stale: StaleFile[], fixCommand: string): string {
  return [`${stale.length} generated file(s) out of date: run ${fixCommand}`, ...stale.map((s) => `  ${s.problem.padEnd(8)}${s.path}${s.problem === "extra" ? " (not generated: delete it)" : ""}`)].join("\n");
}

export function writeGenerated(files: GeneratedFile[], owned?: { dir: string; ext: string }): void {
  for (const stale of staleFiles(files, owned)) {
    const full = path.join(repoRoot, stale.path);
    if (stale.problem === "extra") {
      rmSync(full);
      console.log(`deleted ${stale.path}`);
      continue;
    }
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, files.find((f) => f.path === stale.path)!.content);
    console.log(`wrote   ${stale.path}`);
  }
}

/** The CLI of a generator: `--check` exits 1 listing stale files; otherwise writes what changed. */
export function runGenerator(files: GeneratedFile[], options: { fixCommand: string; owned?: { dir: string; ext: string } }): void {
  if (process.argv.includes("--check")) {
    const stale = staleFiles(files, options.owned);
    if (stale.length > 0) {
      console.error(describeStale(stale, options.fixCommand));
      process.exit(1);
    }
    console.log(`${files.length} generated file(s) are current`);
    return;
  }
  writeGenerated(files, options.owned);
  console.log(`${files.length} generated file(s) up to date`);
}
