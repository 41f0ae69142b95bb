// A small Stripe-compatible HTTP server for tests on machines without internet. The real stripe SDK reaches
// it through its host/port/protocol options. It is stateful (customers, payment intents, refunds), honours
// Idempotency-Key like Stripe (same key + same request → the first answer; same key + other parameters → 400),
// sends signed webhooks, and counts calls per endpoint. Test-only endpoints live under /_test/.
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { parseForm, type FormObject } from "./form.js";
import { connectRoutes, ConnectState, type RouteContext } from "./connect.js";
import { SetupIntents } from "./setupIntents.js";
import { StripeApiError, StripeState, type Emit } from "./state.js";
import { WebhookSender } from "./webhooks.js";

export interface StripeTestServerOptions {
  port: number;
  host?: string;
  webhookUrl?: string;
  webhookSecret: string;
  /** How long after an event its webhook is sent at the earliest (webhooks.ts); 0 by default. */
  webhookDelayMs?: number;
}

const API_VERSION = "2026-10-28.endive";

interface StoredAnswer {
  fingerprint: string;
  status: number;
  body: unknown;
}

export function createStripeTestServer(options: StripeTestServerOptions) {
  const webhooks = new WebhookSender(options.webhookUrl, options.webhookSecret, 6, options.webhookDelayMs ?? 0);
  const emit: Emit = (type, object) => {
    const snapshot = structuredClone(object);
    const intentId = object.object === "payment_intent" ? String(object.id) : typeof object.payment_intent === "string" ? object.payment_intent : null;
    const metadata = (object.metadata ?? {}) as Record<string, string>;
    webhooks.send(
      { id: `evt_${randomBytes(12).toString("hex")}`, object: "event", api_version: API_VERSION, created: Math.floor(Date.now() / 1000), livemode: false, pending_webhooks: 1, type, data: { object: snapshot }, request: { id: null, idempotency_key: null } },
      intentId,
      metadata.bookingId ?? null,
    );
  };
  const state = new StripeState(emit);
  const setupIntents = new SetupIntents(state, emit);
  // Connect (connect.ts): its events carry the connected account, and are held/filtered by that account id.
  const connect = new ConnectState(state, (type, object, account) => {
    webhooks.send(
      { id: `evt_${randomBytes(12).toString("hex")}`, object: "event", api_version: API_VERSION, created: Math.floor(Date.now() / 1000), livemode: false, pending_webhooks: 1, type, ...(account ? { account } : {}), data: { object: structuredClone(object) }, request: { id: null, idempotency_key: null } },
      null,
      account,
    );
  });
  const idempotent = new Map<string, StoredAnswer>();
  const inflight = new Map<string, Promise<void>>();
  const calls = new Map<string, number>();

  type Route = { method: string; pattern: RegExp; name: string; run: (match: RegExpMatchArray, params: FormObject, ctx: RouteContext) => unknown };
  const routes: Route[] = [
    { method: "POST", pattern: /^\/v1\/customers$/, name: "POST /v1/customers", run: (_, p) => state.createCustomer(p) },
    { method: "GET", pattern: /^\/v1\/customers\/([^/]+)$/, name: "GET /v1/customers/:id", run: (m) => state.getCustomer(m[1]!) },
    { method: "POST", pattern: /^\/v1\/payment_intents$/, name: "POST /v1/payment_intents", run: (_, p) => state.createIntent(p) },
    { method: "GET", pattern: /^\/v1\/payment_intents\/([^/]+)$/, name: "GET /v1/payment_intents/:id", run: (m) => state.getIntent(m[1]!) },
    { method: "POST", pattern: /^\/v1\/payment_intents\/([^/]+)\/confirm$/, name: "POST /v1/payment_intents/:id/confirm", run: (m, p) => state.confirmIntent(m[1]!, p) },
    { method: "POST", pattern: /^\/v1\/payment_intents\/([^/]+)\/capture$/, name: "POST /v1/payment_intents/:id/capture", run: (m, p) => state.captureIntent(m[1]!, p) },
    {
      method: "POST",
      pattern: /^\/v1\/payment_intents\/([^/]+)\/increment_authorization$/,
      name: "POST /v1/payment_intents/:id/increment_authorization",
      run: (m, p) => state.incrementAuthorization(m[1]!, p),
    },
    { method: "POST", pattern: /^\/v1\/payment_intents\/([^/]+)\/cancel$/, name: "POST /v1/payment_intents/:id/cancel", run: (m, p) => state.cancelIntent(m[1]!, p) },
    { method: "GET", pattern: /^\/v1\/customers\/([^/]+)\/payment_methods$/, name: "GET /v1/customers/:id/payment_methods", run: (m) => state.listPaymentMethods(m[1]!) },
    { method: "GET", pattern: /^\/v1\/payment_methods\/([^/]+)$/, name: "GET /v1/payment_methods/:id", run: (m) => state.paymentMethod(m[1]!) },
    { method: "POST", pattern: /^\/v1\/setup_intents$/, name: "POST /v1/setup_intents", run: (_, p) => setupIntents.create(p) },
    { method: "GET", pattern: /^\/v1\/setup_intents\/([^/]+)$/, name: "GET /v1/setup_intents/:id", run: (m) => setupIntents.get(m[1]!) },
    { method: "POST", pattern: /^\/v1\/setup_intents\/([^/]+)\/confirm$/, name: "POST /v1/setup_intents/:id/confirm", run: (m, p) => setupIntents.confirm(m[1]!, p) },
    { method: "POST", pattern: /^\/v1\/setup_intents\/([^/]+)\/cancel$/, name: "POST /v1/setup_intents/:id/cancel", run: (m, p) => setupIntents.cancel(m[1]!, p) },
    { method: "POST", pattern: /^\/v1\/refunds$/, name: "POST /v1/refunds", run: (_, p) => state.createRefund(p) },
    { method: "GET", pattern: /^\/v1\/refunds\/([^/]+)$/, name: "GET /v1/refunds/:id", run: (m) => state.getRefund(m[1]!) },
  ];

  const testRoutes: Route[] = [
    { method: "GET", pattern: /^\/_test\/health$/, name: "health", run: () => ({ ok: true }) },
    { method: "GET", pattern: /^\/_test\/calls$/, name: "calls", run: () => Object.fromEntries(calls) },
    {
      method: "GET",
      pattern: /^\/_test\/customers\/([^/]+)$/,
      name: "customers of a uid",
      run: (m) => [...state.customers.values()].filter((c) => (c.metadata as Record<string, string>).uid === m[1]),
    },
    {
      method: "GET",
      pattern: /^\/_test\/bookings\/([^/]+)$/,
      name: "booking",
      run: (m) => {
        const intents = [...state.intents.values()].filter((i) => i.metadata.bookingId === m[1]);
        return {
          intents: intents.map((i) => ({ ...i, captures: state.captures.get(i.id) ?? 0 })),
          setupIntents: [...setupIntents.intents.values()].filter((i) => i.metadata.bookingId === m[1]),
          refunds: [...state.refunds.values()].filter((r) => intents.some((i) => i.id === r.payment_intent)),
          events: webhooks.events.filter((e) => e.bookingId === m[1]),
        };
      },
    },
    {
      method: "POST",
      pattern: /^\/_test\/payment_intents\/([^/]+)\/decline_increments$/,
      name: "decline increments",
      run: (m) => (state.getIntent(m[1]!), state.incrementsDeclined.add(m[1]!), { ok: true }),
    },
    { method: "POST", pattern: /^\/_test\/payment_intents\/([^/]+)\/authenticate$/, name: "authenticate", run: (m, p) => state.authenticate(m[1]!, p.outcome !== "fail") },
    { method: "POST", pattern: /^\/_test\/setup_intents\/([^/]+)\/authenticate$/, name: "authenticate setup", run: (m, p) => setupIntents.authenticate(m[1]!, p.outcome !== "fail") },
    {
      method: "POST",
      pattern: /^\/_test\/webhooks\/hold$/,
      name: "hold",
      run: (_, p) => {
        const bookingId = String(p.bookingId ?? "");
        if (p.hold === "false") webhooks.held.delete(bookingId);
        else webhooks.held.add(bookingId);
        return { held: [...webhooks.held] };
      },
    },
    { method: "POST", pattern: /^\/_test\/webhooks\/idle$/, name: "idle", run: async () => (await webhooks.idle(), { ok: true }) },
  ];
  const connected = connectRoutes(connect, state, webhooks, () => `http://${options.host ?? "127.0.0.1"}:${options.port}`);
  routes.push(...connected.routes);
  testRoutes.push(...connected.testRoutes);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A page (the web client under the emulators) calls it as Stripe.js would call Stripe: cross-origin.
    res.setHeader("access-control-allow-origin", "*");
    if (req.method === "OPTIONS") {
      res.writeHead(204, { "access-control-allow-methods": "GET, POST", "access-control-allow-headers": "authorization, content-type, idempotency-key, stripe-version" });
      res.end();
      return;
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    const body = await readBody(req);
    const params = parseForm(url.search.slice(1) + (body ? `&${body}` : ""));
    const ctx: RouteContext = { account: header(req, "stripe-account") };
    const test = testRoutes.find((r) => r.method === req.method && r.pattern.test(url.pathname));
    if (test) {
      return answer(res, 200, await runRoute(test, url.pathname, params, ctx));
    }
    const route = routes.find((r) => r.method === req.method && r.pattern.test(url.pathname));
    const name = route?.name ?? `${req.method} ${url.pathname}`;
    calls.set(name, (calls.get(name) ?? 0) + 1);
    // A publishable key may only confirm an intent whose client secret it presents, as with Stripe.js.
    const confirmsWithSecret =
      /^Bearer pk_test_\S+$/.test(req.headers.authorization ?? "") && route?.name === "POST /v1/payment_intents/:id/confirm" &&
      state.intents.get(url.pathname.split("/")[3] ?? "")?.client_secret === params.client_secret;
    if (!confirmsWithSecret && !/^Bearer (sk|rk)_test_\S+$/.test(req.headers.authorization ?? "")) {
      return answer(res, 401, { error: { type: "invalid_request_error", message: "Invalid API Key provided (the test server accepts sk_test_… keys)." } });
    }
    if (!route) return answer(res, 404, { error: { type: "invalid_request_error", code: "resource_missing", message: `Unrecognized request URL (${req.method}: ${url.pathname}).` } });

    const key = req.method === "POST" ? header(req, "idempotency-key") : undefined;
    const fingerprint = createHash("sha256").update(`${req.method} ${url.pathname} ${body}`).digest("hex");
    // A request racing another with the same key waits for the first one's answer (Stripe locks the key).
    if (key) while (inflight.has(key)) await inflight.get(key);
    if (key) {
      const stored = idempotent.get(key);
      if (stored) {
        if (stored.fingerprint !== fingerprint) {
          return answer(res, 400, { error: { type: "idempotency_error", message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.` } });
        }
        res.setHeader("idempotent-replayed", "true");
        return answer(res, stored.status, stored.body);
      }
    }
    let status = 200;
    let result: unknown;
    let release = () => {};
    if (key) inflight.set(key, new Promise<void>((resolve) => (release = () => (inflight.delete(key), resolve()))));
    try {
      result = await runRoute(route, url.pathname, params, ctx);
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw (release(), error);
      status = error.httpStatus;
      result = { error: error.body };
    }
    const snapshot = structuredClone(result);
    if (key) idempotent.set(key, { fingerprint, status, body: snapshot });
    release();
    answer(res, status, snapshot);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error("[stripe-test-server]", error);
      if (!res.headersSent) answer(res, 500, { error: { type: "api_error", message: String(error) } });
    });
  });

  return {
    server,
    state,
    setupIntents,
    connect,
    webhooks,
    listen: () => new Promise<void>((resolve) => server.listen(options.port, options.host ?? "127.0.0.1", resolve)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function runRoute(route: { pattern: RegExp; run: (m: RegExpMatchArray, p: FormObject, ctx: RouteContext) => unknown }, path: string, params: FormObject, ctx: RouteContext) {
  return route.run(path.match(route.pattern)!, params, ctx);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "request-id": `req_${randomBytes(8).toString("hex")}`, "stripe-version": API_VERSION });
  res.end(JSON.stringify(body));
}
