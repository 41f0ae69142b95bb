// Runs a command with the Emulator Suite available: against already-running emulators (`npm start`) when
// FIRESTORE_EMULATOR_HOST is set, otherwise under `firebase emulators:exec` (started and stopped here).
// Used by the benchmarks:  node scripts/with-emulators.mjs tsx bench/dispatch.ts --drivers 10000
import { spawnSync } from "node:child_process";
import { buildFunctions, firebaseBin, prepareEmulators, projectId, repoRoot, reportSetupError } from "./lib/emulators.mjs";
import { startStripeTestServer, stripeWebhookUrl } from "./lib/stripe-test-server.mjs";

const command = process.argv.slice(2);
if (!command.length) {
  console.error("usage: node scripts/with-emulators.mjs <command> [args…]");
  process.exit(2);
}
const quoted = command.map((a) => (/[\s"'$]/.test(a) ? `'${a.replace(/'/g, "'\\''")}'` : a)).join(" ");

try {
  if (process.env.FIRESTORE_EMULATOR_HOST) {
    const run = spawnSync(command[0], command.slice(1), { cwd: repoRoot, stdio: "inherit", shell: false });
    process.exit(run.status ?? 1);
  }
  buildFunctions();
  const emulators = await prepareEmulators({ requireStorage: false });
  const stripeServer = await startStripeTestServer({ repoRoot, webhookUrl: stripeWebhookUrl(emulators.emulators.functions, projectId) });
  const run = spawnSync(
    firebaseBin(),
    ["emulators:exec", "--config", emulators.configPath, "--only", emulators.only.join(","), "--project", projectId, quoted],
    { cwd: repoRoot, env: { ...emulators.env, PATH: `${repoRoot}/node_modules/.bin:${process.env.PATH}` }, stdio: "inherit" },
  );
  await stripeServer.stop();
  process.exit(run.status ?? 1);
} catch (error) {
  reportSetupError(error);
}
