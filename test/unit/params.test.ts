// Every param the functions define must have a value in functions/.env: the Functions emulator (and a
// non-interactive deploy) gives a param without one no value at all, whatever its declared default.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const functionsDir = path.resolve(import.meta.dirname, "..", "..", "functions");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? sourceFiles(file) : file.endsWith(".ts") ? [file] : [];
  });
}

describe("functions params", () => {
  const declared = sourceFiles(path.join(functionsDir, "src")).flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/define(?:String|Int|Float|Boolean|List)\(\s*"([A-Z0-9_]+)"/g)].map((m) => m[1]!),
  );
  const envKeys = new Set(
    readFileSync(path.join(functionsDir, ".env"), "utf8")
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith("#"))
      .map((line) => line.split("=")[0]!),
  );

  it("finds the params (the scan itself works)", () => {
    expect(declared).toContain("MAX_INSTANCES");
  });

  it("has a value in functions/.env for every declared param", () => {
    expect(declared.filter((name) => !envKeys.has(name))).toEqual([]);
  });
});
