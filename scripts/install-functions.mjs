// Root `npm install` / `npm ci` also installs functions/, which keeps its own lockfile because it is
// deployed on its own. `npm ci` at the root means a reproducible install, so functions/ gets `npm ci` too.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const functionsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "functions");
const rootCommand = process.env.npm_command ?? "install";
const useCi = (rootCommand === "ci" || process.env.CI === "true") && existsSync(path.join(functionsDir, "package-lock.json"));
const args = [useCi ? "ci" : "install", "--no-audit", "--no-fund"];
console.log(`[fleetfire] npm ${args.join(" ")} in functions/`);
const result = spawnSync("npm", args, { cwd: functionsDir, stdio: "inherit", shell: process.platform === "win32" });
process.exit(result.status ?? 1);
