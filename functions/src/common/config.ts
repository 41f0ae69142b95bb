// Every runtime setting of the functions, in one place. Values come from params: `functions/.env*` files for
// plain settings and Secret Manager (defineSecret) for secrets. Nothing secret is kept in the repository.
import { defineInt, defineSecret, defineString } from "firebase-functions/params";

export const REGION = "europe-west1";

export const maxInstances = defineInt("MAX_INSTANCES", {
  default: 20,
  description: "Upper bound of instances per function (cost guard).",
});

export const stripeSecretKey = defineSecret("STRIPE_SECRET_KEY");
export const stripeWebhookSecret = defineSecret("STRIPE_WEBHOOK_SECRET");
/** The signing secret of the Connect webhook endpoint (events of the drivers' accounts): a separate endpoint in Stripe. */
export const stripeConnectWebhookSecret = defineSecret("STRIPE_CONNECT_WEBHOOK_SECRET");
export const mapsApiKey = defineSecret("MAPS_API_KEY");

/** Where the Stripe SDK connects. Empty = api.stripe.com; the emulator points it at the local test server. */
export const stripeApiHost = defineString("STRIPE_API_HOST", { default: "" });
export const stripeApiPort = defineInt("STRIPE_API_PORT", { default: 443 });
export const stripeApiProtocol = defineString("STRIPE_API_PROTOCOL", { default: "https" });

/** Base URL of the Google Maps web services. Empty = Google; tests serve recorded responses locally. */
export const mapsBaseUrl = defineString("MAPS_BASE_URL", { default: "" });

/** The zone used for business days in reports and for "hour of day" in pricing. */
export const businessTimeZone = defineString("BUSINESS_TIME_ZONE", { default: "Europe/Lisbon" });

export const isEmulator = (): boolean => process.env.FUNCTIONS_EMULATOR === "true";
