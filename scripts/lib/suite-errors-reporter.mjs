// A vitest reporter that keeps what the JSON reporter drops: the errors of hooks (a failed beforeAll marks its
// suite's tests "skipped" with no message) and of whole files. `npm test` prints them in its summary, which is
// what CI shows at the end of its log.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const firstLines = (error) => String(error?.message ?? error).split("\n").slice(0, 4).join(" | ");

export default class SuiteErrorsReporter {
  onInit(vitest) {
    this.root = vitest.config.root;
  }

  onTestRunEnd(testModules, unhandledErrors) {
    const errors = [];
    for (const module of testModules) {
      const file = path.relative(this.root, module.moduleId);
      for (const error of module.errors()) errors.push(`${file}: ${firstLines(error)}`);
      for (const suite of module.children.allSuites()) {
        for (const error of suite.errors()) errors.push(`${file} > ${suite.fullName}: ${firstLines(error)}`);
      }
    }
    for (const error of unhandledErrors ?? []) errors.push(`unhandled: ${firstLines(error)}`);
    const out = path.join(this.root, "test-results", "suite-errors.json");
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(errors, null, 2));
  }
}
