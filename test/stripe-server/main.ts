// Entry point: `tsx test/stripe-server/main.ts`. Settings from the environment:
//   STRIPE_TEST_SERVER_PORT (default 12111), STRIPE_TEST_WEBHOOK_URL (no webhooks when unset),
//   STRIPE_WEBHOOK_SECRET (the secret the functions verify with), STRIPE_TEST_WEBHOOK_DELAY_MS (default 300: the
//   earliest a webhook follows its event, as Stripe's do; see webhooks.ts).
import { createStripeTestServer } from "./server.js";

const port = Number(process.env.STRIPE_TEST_SERVER_PORT ?? 12111);
const webhookUrl = process.env.STRIPE_TEST_WEBHOOK_URL || undefined;
const webhookSecret = process.env.STRIPE_WEBHOOK_SECRET ?? "whsec_fleetfire_local_emulator";

const webhookDelayMs = Number(process.env.STRIPE_TEST_WEBHOOK_DELAY_MS ?? 300);

const stripe = createStripeTestServer({ port, webhookUrl, webhookSecret, webhookDelayMs });
await stripe.listen();
console.log(`[stripe-test-server] listening on http://127.0.0.1:${port}${webhookUrl ? `, webhooks to ${webhookUrl}` : ", webhooks off"}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stripe.close().then(() => process.exit(0)));
