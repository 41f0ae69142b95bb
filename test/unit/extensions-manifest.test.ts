// The extensions manifest (firebase.json "extensions" + extensions/<instance>.env) that `firebase deploy`
// installs: every instance pins a version whose required params are all set, secrets are Secret Manager
// references only, and the queues the extensions read are the ones the functions write.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { paths } from "../../functions/src/notifications/service";

const root = path.resolve(__dirname, "..", "..");
const manifest: Record<string, string> = JSON.parse(readFileSync(path.join(root, "firebase.json"), "utf8")).extensions;

interface ExtensionSpec {
  /** `required: true` params of the version's extension.yaml, plus the ones fleetfire's use needs (noted). */
  required: string[];
  /** Every param the version declares (a typo in a .env file would otherwise be ignored silently). */
  known: string[];
  /** Params of `type: secret`. */
  secrets: string[];
}

// From each pinned version's extension.yaml (firebase/extensions, twilio-labs/twilio-firebase-extensions).
const SPECS: Record<string, ExtensionSpec> = {
  "firebase/firestore-send-email@0.2.0": {
    // + SMTP_CONNECTION_URI and SMTP_PASSWORD: optional in the spec, but AUTH_TYPE=UsernamePassword needs them.
    required: ["DATABASE", "DATABASE_REGION", "AUTH_TYPE", "MAIL_COLLECTION", "DEFAULT_FROM", "TTL_EXPIRE_TYPE", "TTL_EXPIRE_VALUE", "SMTP_CONNECTION_URI", "SMTP_PASSWORD"],
    known: [
      "DATABASE", "DATABASE_REGION", "AUTH_TYPE", "SMTP_CONNECTION_URI", "SMTP_PASSWORD", "HOST", "OAUTH_PORT", "OAUTH_SECURE", "CLIENT_ID",
      "CLIENT_SECRET", "REFRESH_TOKEN", "USER", "MAIL_COLLECTION", "DEFAULT_FROM", "DEFAULT_REPLY_TO", "USERS_COLLECTION",
      "TEMPLATES_COLLECTION", "TTL_EXPIRE_TYPE", "TTL_EXPIRE_VALUE", "TLS_OPTIONS",
    ],
    secrets: ["SMTP_PASSWORD", "CLIENT_ID", "CLIENT_SECRET", "REFRESH_TOKEN"],
  },
  "twilio/send-message@0.3.4": {
    // + TWILIO_PHONE_NUMBER: optional in the spec (a Messaging Service can replace it), but a sender is needed.
    required: ["LOCATION", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "MESSAGE_COLLECTION", "TWILIO_PHONE_NUMBER"],
    known: ["LOCATION", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_PHONE_NUMBER", "TWILIO_MESSAGING_SERVICE_SID", "MESSAGE_COLLECTION"],
    secrets: ["TWILIO_AUTH_TOKEN"],
  },
  "firebase/firestore-bigquery-export@0.1.58": {
    required: ["DATASET_LOCATION", "BIGQUERY_PROJECT_ID", "COLLECTION_PATH", "DATASET_ID", "TABLE_ID", "VIEW_TYPE", "USE_NEW_SNAPSHOT_QUERY_SYNTAX"],
    known: [
      "DATASET_LOCATION", "BIGQUERY_PROJECT_ID", "COLLECTION_PATH", "WILDCARD_IDS", "DATASET_ID", "TABLE_ID", "TABLE_PARTITIONING",
      "TIME_PARTITIONING_FIELD", "TIME_PARTITIONING_FIRESTORE_FIELD", "TIME_PARTITIONING_FIELD_TYPE", "CLUSTERING",
      "MAX_DISPATCHES_PER_SECOND", "VIEW_TYPE", "MAX_STALENESS", "REFRESH_INTERVAL_MINUTES", "BACKUP_COLLECTION", "TRANSFORM_FUNCTION",
      "USE_NEW_SNAPSHOT_QUERY_SYNTAX", "EXCLUDE_OLD_DATA", "KMS_KEY_NAME", "MAX_ENQUEUE_ATTEMPTS",
    ],
    secrets: [],
  },
};

/** Values the operator sets in extensions/<instance>.env.<projectId|alias> (docs/deploy.md, step 6). */
const PER_PROJECT = "SET_PER_PROJECT";
const SYSTEM_PARAM = /^firebaseextensions\.[a-zA-Z0-9.]*\//;
const SECRET_REFERENCE = /^projects\/\$\{param:PROJECT_NUMBER\}\/secrets\/ext-[a-z0-9-]+-[A-Z0-9_]+\/versions\/(latest|\d+)$/;

function parseEnv(file: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.trim() || line.trimStart().startsWith("#")) continue;
    const eq = line.indexOf("=");
    expect(eq, `${path.basename(file)}: "${line}" is not KEY=VALUE`).toBeGreaterThan(0);
    const key = line.slice(0, eq).trim();
    expect(params.has(key), `${path.basename(file)}: ${key} set twice`).toBe(false);
    params.set(key, line.slice(eq + 1).trim());
  }
  return params;
}

const instances = Object.entries(manifest).map(([instanceId, ref]) => ({
  instanceId,
  ref,
  spec: SPECS[ref],
  params: parseEnv(path.join(root, "extensions", `${instanceId}.env`)),
}));

describe("extensions manifest", () => {
  it("declares mail, SMS and one BigQuery export per analysed collection, each pinned to a version these tests know", () => {
    expect(Object.keys(manifest).sort()).toEqual(["bigquery-export-bookings", "bigquery-export-payments", "firestore-send-email", "twilio-send-message"]);
    for (const { instanceId, ref, spec } of instances) {
      expect(ref, instanceId).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+@\d+\.\d+\.\d+$/);
      expect(spec, `${instanceId}: ${ref} has no entry in SPECS (read its extension.yaml and add its params)`).toBeDefined();
    }
  });

  it("has an .env file for every instance and none for an instance it does not declare", () => {
    const files = readdirSync(path.join(root, "extensions")).filter((name) => /\.env(\.|$)/.test(name));
    for (const file of files) expect(Object.keys(manifest), file).toContain(file.split(".env")[0]);
  });

  it.each(instances.map((i) => [i.instanceId, i] as const))("%s: every required param is set, and only params the version declares", (_, { params, spec }) => {
    for (const name of spec!.required) expect(params.get(name) ?? "", `${name} is required`).not.toBe("");
    for (const name of params.keys()) if (!SYSTEM_PARAM.test(name)) expect(spec!.known, `${name} is not a param of this version`).toContain(name);
  });

  it("sets secret params only as Secret Manager references, and every other value is no credential", () => {
    for (const { instanceId, params, spec } of instances) {
      for (const [name, value] of params) {
        if (spec!.secrets.includes(name)) expect(value, `${instanceId}: ${name}`).toMatch(SECRET_REFERENCE);
        else expect(value, `${instanceId}: ${name} looks like a secret reference but the param is not a secret`).not.toMatch(/\/secrets\//);
      }
      // A password inside the SMTP URI would bypass the secret param.
      const uri = params.get("SMTP_CONNECTION_URI");
      if (uri && uri !== PER_PROJECT) expect(uri, `${instanceId}: SMTP_CONNECTION_URI carries a password`).not.toMatch(/^smtps?:\/\/[^@/]*:[^@/]*@/);
    }
  });

  it("keeps credentials out of every file under extensions/ (per-project files included)", () => {
    const credential = [
      /smtps?:\/\/[^\s@/]*:[^\s@/]+@/, // user:password@ in a URI
      /(^|[^a-zA-Z0-9])[a-f0-9]{32}([^a-zA-Z0-9]|$)/, // a Twilio auth token's shape
      /\b(sk|rk)_(live|test)_[A-Za-z0-9]+/, // Stripe keys
      /\bwhsec_[A-Za-z0-9]+/,
      /AIza[0-9A-Za-z_-]{35}/, // Google API key
      /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
    ];
    for (const name of readdirSync(path.join(root, "extensions"))) {
      const text = readFileSync(path.join(root, "extensions", name), "utf8");
      for (const pattern of credential) expect(text, `extensions/${name} matches ${pattern}`).not.toMatch(pattern);
    }
  });

  it("points the mail and SMS extensions at the collections the functions write", () => {
    const byRef = (prefix: string) => instances.find((i) => i.ref.startsWith(prefix))!.params;
    expect(byRef("firebase/firestore-send-email@").get("MAIL_COLLECTION")).toBe(paths.mail("x").split("/")[0]);
    expect(byRef("twilio/send-message@").get("MESSAGE_COLLECTION")).toBe(paths.sms("x").split("/")[0]);
  });

  it("exports bookings and payments to distinct tables of one dataset (the queries in docs/analytics.md)", () => {
    const exports = instances.filter((i) => i.ref.startsWith("firebase/firestore-bigquery-export@")).map((i) => i.params);
    expect(exports.map((p) => p.get("COLLECTION_PATH")).sort()).toEqual(["bookings", "payments"]);
    expect(exports.map((p) => p.get("TABLE_ID")).sort()).toEqual(["bookings", "payments"]);
    expect(new Set(exports.map((p) => p.get("DATASET_ID")))).toEqual(new Set(["fleetfire_export"]));
    const analytics = readFileSync(path.join(root, "docs", "analytics.md"), "utf8");
    for (const table of ["fleetfire_export.bookings_raw_latest", "fleetfire_export.payments_raw_latest", "fleetfire_export.bookings_raw_changelog"]) {
      expect(analytics).toContain(table);
    }
  });

  it("lists every per-project value in docs/deploy.md", () => {
    const deploy = readFileSync(path.join(root, "docs", "deploy.md"), "utf8");
    for (const { instanceId, params } of instances) {
      for (const [name, value] of params) if (value === PER_PROJECT) expect(deploy, `${instanceId}: ${name}`).toContain(name);
    }
  });
});
