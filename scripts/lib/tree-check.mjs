// `npm test` must leave the work tree as it found it: a snapshot of `git status` (each listed file's content hash)
// before the run, another after, and the files the run changed, created or deleted. Files that were already
// dirty before the run count only if the run changed them again.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

function fingerprint(file) {
  if (!existsSync(file)) return "missing";
  if (statSync(file).isDirectory()) return "directory";
  return createHash("sha1").update(readFileSync(file)).digest("hex");
}

/** Map of path → `<status> <hash>` for every file git lists as changed or untracked; undefined outside a git checkout. */
export function treeState(dir) {
  const git = spawnSync("git", ["status", "--porcelain=v1", "-z", "--untracked-files=all"], { cwd: dir, encoding: "utf8" });
  if (git.status !== 0) return undefined;
  const entries = git.stdout.split("\0").filter(Boolean);
  const state = new Map();
  for (let i = 0; i < entries.length; i++) {
    const status = entries[i].slice(0, 2);
    const file = entries[i].slice(3);
    if (/[RC]/.test(status[0])) i++; // a rename's or copy's origin follows as a bare path
    state.set(file, `${status} ${fingerprint(path.join(dir, file))}`);
  }
  return state;
}

/** The paths whose state differs between two snapshots, sorted. */
export function changedBetween(before, after) {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((file) => before.get(file) !== after.get(file)).sort();
}
