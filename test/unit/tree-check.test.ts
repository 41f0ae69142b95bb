// `npm test`'s last check: the files a run changed in the work tree, from two `git status` snapshots.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error -- plain ESM script without type declarations
import { changedBetween, treeState } from "../../scripts/lib/tree-check.mjs";

let repo: string;
const git = (...args: string[]) => execFileSync("git", ["-c", "user.email=t@example.test", "-c", "user.name=t", ...args], { cwd: repo, stdio: "pipe" });

function freshRepo(): void {
  repo = mkdtempSync(path.join(os.tmpdir(), "fleetfire-tree-"));
  git("init", "-q");
  writeFileSync(path.join(repo, ".gitignore"), "ignored/\n");
  writeFileSync(path.join(repo, "shot.png"), "v1");
  writeFileSync(path.join(repo, "edited.ts"), "v1");
  writeFileSync(path.join(repo, "gone.ts"), "v1");
  git("add", "-A");
  git("commit", "-qm", "init");
}

afterEach(() => rmSync(repo, { recursive: true, force: true }));

describe("work tree check", () => {
  it("lists tracked files the run rewrote or deleted and files it created, not ignored ones", () => {
    freshRepo();
    const before = treeState(repo);
    writeFileSync(path.join(repo, "shot.png"), "v2");
    unlinkSync(path.join(repo, "gone.ts"));
    writeFileSync(path.join(repo, "stray.json"), "{}");
    execFileSync("mkdir", ["-p", path.join(repo, "ignored")]);
    writeFileSync(path.join(repo, "ignored", "report.json"), "{}");
    expect(changedBetween(before, treeState(repo))).toEqual(["gone.ts", "shot.png", "stray.json"]);
  });

  it("ignores files that were already dirty before the run and stayed as they were, but not ones the run changed again", () => {
    freshRepo();
    writeFileSync(path.join(repo, "edited.ts"), "work in progress");
    writeFileSync(path.join(repo, "shot.png"), "v2");
    const before = treeState(repo);
    expect(before.size).toBe(2);
    writeFileSync(path.join(repo, "shot.png"), "v3");
    expect(changedBetween(before, treeState(repo))).toEqual(["shot.png"]);
  });

  it("reports nothing for a run that wrote only ignored paths", () => {
    freshRepo();
    const before = treeState(repo);
    execFileSync("mkdir", ["-p", path.join(repo, "ignored")]);
    writeFileSync(path.join(repo, "ignored", "latest.png"), "x");
    expect(changedBetween(before, treeState(repo))).toEqual([]);
  });

  it("is silent outside a git checkout (a source tarball)", () => {
    repo = mkdtempSync(path.join(os.tmpdir(), "fleetfire-notgit-"));
    expect(treeState(repo)).toBeUndefined();
  });
});
