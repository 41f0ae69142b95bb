// Rules coverage from the Firestore emulator's `:ruleCoverage` report: every expression node of
// firestore.rules with how often it was evaluated. Reports of several projects (the rules tests use their own
// project) are merged by source position.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

async function fetchReport(host, project) {
  const response = await fetch(`http://${host}/emulator/v1/projects/${project}:ruleCoverage`);
  if (!response.ok) return undefined;
  return response.json();
}

/**
 * Merges coverage reports: those of the live `projects`, plus `savedReports` (JSON files written by the rules
 * tests: loading rules into a project resets its coverage, so each rules test file saves its own report).
 */
export async function rulesCoverage({ host, projects, rulesText, savedReports = [] }) {
  const expressions = new Map();
  const lines = rulesText.split("\n");
  const reports = [...savedReports];
  for (const project of projects) reports.push(await fetchReport(host, project));
  for (const report of reports) {
    const content = report?.rules?.files?.[0]?.content;
    if (!report?.report || content !== rulesText) continue; // a project with other (or no) rules loaded
    const walk = (node, parentKey) => {
      const { line, column, currentOffset, endOffset } = node.sourcePosition;
      const key = `${currentOffset}:${endOffset}:${line}:${column}`;
      const count = (node.values ?? []).reduce((sum, v) => sum + (v.count ?? 0), 0);
      // endOffset is inclusive in the emulator's report.
      // The report's end offsets are not reliable enough to cut an expression out; show its source line.
      const text = (lines[line - 1] ?? "").trim();
      const entry = expressions.get(key) ?? { line, column, text, count: 0, parentKey };
      entry.count += count;
      expressions.set(key, entry);
      for (const child of node.children ?? []) walk(child, key);
    };
    report.report.forEach((node) => walk(node, undefined));
  }
  const all = [...expressions.values()].sort((a, b) => a.line - b.line || a.column - b.column);
  const uncovered = all.filter((e) => e.count === 0);
  // List only the outermost never-evaluated expressions: their sub-expressions add nothing to read.
  const outermost = uncovered.filter((e) => !e.parentKey || expressions.get(e.parentKey).count > 0);
  return {
    expressions: all.length,
    evaluated: all.length - uncovered.length,
    uncovered: outermost.map((e) => `L${e.line}:${e.column} ${e.text.replace(/\s+/g, " ").slice(0, 120)}`),
  };
}

export function writeCoverage(result, file) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
}

export function printCoverage(result, { maxLines = 40 } = {}) {
  const share = result.expressions ? ((100 * result.evaluated) / result.expressions).toFixed(1) : "0.0";
  console.log(`\nfirestore.rules coverage: ${result.evaluated}/${result.expressions} expressions evaluated (${share} %)`);
  if (result.uncovered.length) {
    console.log("never evaluated:");
    for (const line of result.uncovered.slice(0, maxLines)) console.log(`  ${line}`);
    if (result.uncovered.length > maxLines) console.log(`  … and ${result.uncovered.length - maxLines} more (test-results/rules-coverage.json)`);
  }
}
