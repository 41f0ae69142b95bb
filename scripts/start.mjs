// `npm start`: builds the functions, starts the Emulator Suite, loads the demo data and prints where
// everything is. Ctrl-C stops everything.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { buildFunctions, firebaseBin, prepareEmulators, projectId, repoRoot, reportSetupError } from "./lib/emulators.mjs";
import { startStripeTestServer, stripeWebhookUrl } from "./lib/stripe-test-server.mjs";
import { buildWeb, serveWeb } from "./lib/web.mjs";

const startedAt = Date.now();
let emulators;
try {
  buildFunctions();
  emulators = await prepareEmulators({ requireStorage: false });
} catch (error) {
  reportSetupError(error);
}

const child = spawn(
  firebaseBin(),
  ["emulators:start", "--config", emulators.configPath, "--only", emulators.only.join(","), "--project", projectId],
  { cwd: repoRoot, env: emulators.env, stdio: ["inherit", "pipe", "inherit"] },
);
let ready = false;
let stopping = false;
let stripeServer;
let webServer;
child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  if (!ready && chunk.toString().includes("All emulators ready")) {
    ready = true;
    void afterReady();
  }
});
child.on("exit", (code) => {
  if (!stopping && !ready) console.error("\n[fleetfire] the emulators exited before they were ready (see the messages above).");
  process.exit(stopping ? 0 : (code ?? 1));
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log("\n[fleetfire] stopping the emulators…");
    void stripeServer?.stop();
    void webServer?.stop();
    child.kill("SIGINT");
  });
}

async function afterReady() {
  const e = emulators.emulators;
  stripeServer = await startStripeTestServer({ repoRoot, webhookUrl: stripeWebhookUrl(e.functions, projectId) }).catch((error) => {
    console.error(`[fleetfire] ${error.message}: card payments will not work.`);
  });
  if (stripeServer) process.env.STRIPE_TEST_SERVER_URL = stripeServer.url;
  const env = {
    ...process.env,
    FIRESTORE_EMULATOR_HOST: `${e.firestore.host}:${e.firestore.port}`,
    FIREBASE_AUTH_EMULATOR_HOST: `${e.auth.host}:${e.auth.port}`,
  };
  const seeded = spawnSync(path.join(repoRoot, "node_modules", ".bin", "tsx"), ["scripts/seed.ts"], { cwd: repoRoot, env, stdio: "inherit" });
  if (seeded.status !== 0) console.error("[fleetfire] seeding failed; the emulators keep running.");
  try {
    buildWeb(e);
    webServer = await serveWeb(e);
  } catch (error) {
    console.error(`[fleetfire] the web client could not start: ${error.message}`);
  }
  const { users } = await import("./seed/data-summary.mjs").catch(() => ({ users: [] }));
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  const row = (name, settings, extra = "") => settings && emulators.only.includes(name) ? `  ${name.padEnd(10)} http://${settings.host}:${settings.port}${extra}` : undefined;
  console.log(
    [
      "",
      `fleetfire is running on the Emulator Suite (project ${projectId}), ready in ${seconds} s:`,
      row("firestore", e.firestore),
      row("auth", e.auth),
      row("functions", e.functions, `/${projectId}/europe-west1/<name>`),
      row("storage", e.storage),
      row("tasks", e.tasks),
      stripeServer ? `  stripe     ${stripeServer.url} (local Stripe test server)` : undefined,
      row("ui", e.ui),
      webServer ? `  web        ${webServer.url}  (reference client: rider, driver and ops views)` : undefined,
      `  hub        http://${e.hub.host}:${e.hub.port}/emulators`,
      "",
      "Demo users (phone sign-in: request a code, then read it at",
      `  http://${e.auth.host}:${e.auth.port}/emulator/v1/projects/${projectId}/verificationCodes):`,
      ...users.map((u) => `  ${u.role.padEnd(7)} ${u.displayName.padEnd(14)} ${u.phoneNumber ?? ""}${u.email ? `   or ${u.email} / ${u.password}` : ""}`),
      "",
      `Try (admin view, bypasses rules): curl -H "Authorization: Bearer owner" "http://${e.firestore.host}:${e.firestore.port}/v1/projects/${projectId}/databases/(default)/documents/vehicleCategories"`,
      "Ctrl-C stops everything.",
    ]
      .filter((line) => line !== undefined)
      .join("\n"),
  );
}
