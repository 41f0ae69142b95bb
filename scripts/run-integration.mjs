// Runs inside `firebase emulators:exec`: the integration and rules tests, then the rules coverage summary
// (which needs the emulators still running).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { repoRoot, projectId } from "./lib/emulators.mjs";
import { printCoverage, rulesCoverage, writeCoverage } from "./lib/rules-coverage.mjs";

const extra = process.argv.slice(2);
const savedDir = path.join(repoRoot, "test-results", "rules-coverage-parts");
rmSync(savedDir, { recursive: true, force: true });
const vitest = spawnSync(
  path.join(repoRoot, "node_modules", ".bin", "vitest"),
  ["run", "--project", "integration", "--reporter=default", "--reporter=json", "--outputFile.json=test-results/integration.json", ...extra],
  { cwd: repoRoot, stdio: "inherit" },
);

const coverage = await rulesCoverage({
  host: process.env.FIRESTORE_EMULATOR_HOST,
  projects: [projectId, "demo-fleetfire-rules"],
  rulesText: readFileSync(path.join(repoRoot, "firestore.rules"), "utf8"),
  savedReports: existsSync(savedDir) ? readdirSync(savedDir).map((f) => JSON.parse(readFileSync(path.join(savedDir, f), "utf8"))) : [],
});
writeCoverage(coverage, path.join(repoRoot, "test-results", "rules-coverage.json"));
printCoverage(coverage);
process.exit(vitest.status ?? 1);
