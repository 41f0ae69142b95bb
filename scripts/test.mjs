// `npm test`: builds the functions, runs the unit tests (no emulator), then the integration and rules tests
// under `firebase emulators:exec`, and ends with one summary. Flags: --only unit|integration, and anything
// after `--` goes to vitest (e.g. a file filter); --update-screenshots refreshes the committed screenshots.
// The run must leave the work tree as it found it: files it changed are listed and fail it.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { buildFunctions, firebaseBin, prepareEmulators, projectId, repoRoot, reportSetupError } from "./lib/emulators.mjs";
import { changedBetween, treeState } from "./lib/tree-check.mjs";

const args = process.argv.slice(2);
const onlyIndex = args.indexOf("--only");
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;
const dashDash = args.indexOf("--");
const vitestArgs = dashDash >= 0 ? args.slice(dashDash + 1) : [];
const ownArgs = dashDash >= 0 ? args.slice(0, dashDash) : args;
const updateScreenshots = ownArgs.includes("--update-screenshots");
const treeBefore = treeState(repoRoot);
const results = path.join(repoRoot, "test-results");
const vitestBin = path.join(repoRoot, "node_modules", ".bin", "vitest");

const suiteErrorsFile = path.join(results, "suite-errors.json");

function summaryOf(file) {
  if (!existsSync(file)) return undefined;
  const report = JSON.parse(readFileSync(file, "utf8"));
  const suiteErrors = existsSync(suiteErrorsFile) ? JSON.parse(readFileSync(suiteErrorsFile, "utf8")) : [];
  // A file that failed to load has no assertion results: count it as a failure too.
  const brokenFiles = (report.testResults ?? []).filter((file) => file.status === "failed" && (file.assertionResults ?? []).length === 0).length;
  // What went wrong, for the summary: CI shows only the tail of the log, after the emulators' own output.
  const problems = [...suiteErrors];
  for (const result of report.testResults ?? []) {
    const file = path.relative(repoRoot, result.name);
    if (result.status === "failed" && result.message) problems.push(`${file}: ${result.message.split("\n").slice(0, 3).join(" | ")}`);
    for (const test of result.assertionResults ?? []) {
      if (test.status === "passed") continue;
      const why = (test.failureMessages ?? [])[0]?.split("\n")[0] ?? "";
      problems.push(`${test.status} ${file} > ${[...(test.ancestorTitles ?? []), test.title].join(" > ")}${why ? `: ${why}` : ""}`);
    }
  }
  return { passed: report.numPassedTests, failed: report.numFailedTests + brokenFiles, skipped: report.numPendingTests + report.numTodoTests, brokenFiles, problems };
}

const phases = [];
try {
  buildFunctions();
  for (const file of ["unit.json", "integration.json"]) rmSync(path.join(results, file), { force: true });

  if (only !== "integration") {
    console.log("\n=== unit tests ===");
    rmSync(suiteErrorsFile, { force: true });
    const unit = spawnSync(vitestBin, ["run", "--project", "unit", "--reporter=default", "--reporter=json", "--outputFile.json=test-results/unit.json", "--reporter=./scripts/lib/suite-errors-reporter.mjs", ...vitestArgs], { cwd: repoRoot, stdio: "inherit" });
    phases.push({ name: "unit", status: unit.status, summary: summaryOf(path.join(results, "unit.json")) });
  }
  if (only !== "unit") {
    console.log("\n=== integration and rules tests (Emulator Suite) ===");
    rmSync(suiteErrorsFile, { force: true });
    const emulators = await prepareEmulators({ requireStorage: true });
    if (updateScreenshots) emulators.env.FLEETFIRE_UPDATE_SCREENSHOTS = "1";
    const command = ["node", "scripts/run-integration.mjs", ...vitestArgs].map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(" ");
    const exec = spawnSync(
      firebaseBin(),
      ["emulators:exec", "--config", emulators.configPath, "--only", emulators.only.join(","), "--project", projectId, command],
      { cwd: repoRoot, env: emulators.env, stdio: "inherit" },
    );
    phases.push({ name: "integration", status: exec.status, summary: summaryOf(path.join(results, "integration.json")) });
  }
} catch (error) {
  reportSetupError(error);
}

let passed = 0;
let failed = 0;
let skipped = 0;
console.log("\n=== summary ===");
for (const phase of phases) {
  const s = phase.summary;
  if (s) {
    passed += s.passed;
    failed += s.failed;
    skipped += s.skipped;
  }
  const ok = phase.status === 0;
  if (!s || (!ok && s.failed === 0)) failed += 1; // a phase that crashed before reporting counts as a failure
  console.log(`${phase.name.padEnd(12)} ${ok ? "ok  " : "FAIL"}  ${s ? `${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped${s.brokenFiles ? ` (${s.brokenFiles} files failed to load)` : ""}` : "no report (crashed before running tests)"}`);
  for (const line of (s?.problems ?? []).slice(0, 30)) console.log(`  ${line.slice(0, 400)}`);
}
if (skipped > 0) {
  console.log(`${skipped} skipped test(s): a skipped test is a defect here.`);
  failed += skipped;
}
const treeAfter = treeState(repoRoot);
const dirtied = treeBefore && treeAfter ? changedBetween(treeBefore, treeAfter) : [];
// --update-screenshots is asked to rewrite the committed screenshots.
const unexpected = dirtied.filter((file) => !(updateScreenshots && file.startsWith("test-results/screenshots/")));
if (unexpected.length) {
  console.log(`work tree: FAIL  the run changed ${unexpected.length} file(s) git tracks or would add (tests must write only ignored paths):`);
  for (const file of unexpected) console.log(`  ${file}`);
  console.log("  (if you edited these yourself while the tests ran, run again)");
} else if (treeBefore) {
  console.log(`work tree: ok    ${updateScreenshots && dirtied.length ? `only the screenshots changed (${dirtied.length})` : "as the run found it"}`);
}
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && unexpected.length === 0 && phases.every((p) => p.status === 0) ? 0 : 1);
