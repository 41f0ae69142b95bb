// The project's Stripe test server (test/stripe-server/) as a child process of the launchers, and the
// functions/.env.local that points the Stripe SDK inside the Functions emulator at it.
import { spawn } from "node:child_process";
import { readFileSync, existsSync, writeFileSync } from "node:fs";
import path from "node:path";

export const STRIPE_TEST_BASE_PORT = 12111;
export const LOCAL_STRIPE_WEBHOOK_SECRET = "whsec_fleetfire_local_emulator";
/** The emulator's Connect endpoint secret (the test server signs with the platform's; tests sign with this one). */
export const LOCAL_STRIPE_CONNECT_WEBHOOK_SECRET = "whsec_fleetfire_local_connect";

export function stripeTestServerPort() {
  return STRIPE_TEST_BASE_PORT + Number(process.env.FLEETFIRE_PORT_OFFSET || 0);
}

/**
 * Writes functions/.env.local (generated, git-ignored; the emulator reads it after .env, deploys never do): the
 * emulator's functions call the local Stripe server, and the ETA refresh chains of bookings that tests leave
 * `accepted` end after a minute (the emulators wait for running chains at shutdown); a shared trip's position is
 * refreshed every 3 s, for at most 5 minutes after the assignment.
 */
export function writeStripeEnvLocal(repoRoot) {
  const file = path.join(repoRoot, "functions", ".env.local");
  const text = ["STRIPE_API_HOST=127.0.0.1", `STRIPE_API_PORT=${stripeTestServerPort()}`, "STRIPE_API_PROTOCOL=http", "ETA_REFRESH_MAX_MINUTES=1", "SHARE_REFRESH_SECONDS=3", "SHARE_REFRESH_MAX_MINUTES=5"].join("\n") + "\n";
  if (!existsSync(file) || readFileSync(file, "utf8") !== text) writeFileSync(file, text);
}

export function stripeWebhookUrl(functions, projectId) {
  return `http://${functions.host}:${functions.port}/${projectId}/europe-west1/stripeWebhook`;
}

/**
 * Starts the server; resolves once it answers, with {url, stop()}. `webhookUrl` is where it sends events.
 */
export async function startStripeTestServer({ repoRoot, webhookUrl }) {
  const port = stripeTestServerPort();
  const child = spawn(path.join(repoRoot, "node_modules", ".bin", "tsx"), ["test/stripe-server/main.ts"], {
    cwd: repoRoot,
    env: { ...process.env, STRIPE_TEST_SERVER_PORT: String(port), STRIPE_TEST_WEBHOOK_URL: webhookUrl ?? "", STRIPE_WEBHOOK_SECRET: LOCAL_STRIPE_WEBHOOK_SECRET },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the Stripe test server exited (code ${child.exitCode}); is port ${port} in use?`);
    try {
      if ((await fetch(`${url}/_test/health`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`the Stripe test server did not start on port ${port}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
