// Stripe Connect on the test server: Express accounts (onboarding completed through a test endpoint), account
// links, transfers (with source_transaction) and their reversals, payouts on connected accounts (paid, or failed
// on purpose), and balance transactions for the platform and each account. Requests made "as" a connected account
// carry the Stripe-Account header (ctx.account), as with the real API.
// Events about a connected account carry `account` (Connect events) and are held/filtered by the account id
// (POST /_test/webhooks/hold with bookingId=acct_…), so a test can deliver them in an order of its choice.
import { randomBytes } from "node:crypto";
import { asInt, asString, asStringMap, type FormObject } from "./form.js";
import { StripeApiError, type StripeState } from "./state.js";
import type { WebhookSender } from "./webhooks.js";

type Json = Record<string, unknown>;
export interface RouteContext {
  /** The Stripe-Account header: the connected account the request acts on. */
  account?: string;
}
export interface ConnectRoute {
  method: string;
  pattern: RegExp;
  name: string;
  run: (match: RegExpMatchArray, params: FormObject, ctx: RouteContext) => unknown;
}

const now = () => Math.floor(Date.now() / 1000);
const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;
const invalid = (message: string, param?: string, code = "parameter_invalid") =>
  new StripeApiError(400, { type: "invalid_request_error", code, message, ...(param ? { param } : {}) });
const missing = (kind: string, id: string) =>
  new StripeApiError(404, { type: "invalid_request_error", code: "resource_missing", message: `No such ${kind}: '${id}'`, param: "id" });

/** What an Express account still needs before it can take transfers and payouts (a realistic subset). */
export const ONBOARDING_REQUIREMENTS = ["business_profile.url", "external_account", "individual.dob.day", "individual.id_number", "tos_acceptance.date"];

interface Account extends Json {
  id: string;
  charges_enabled: boolean;
  payouts_enabled: boolean;
  details_submitted: boolean;
  metadata: Record<string, string>;
  requirements: { currently_due: string[]; eventually_due: string[]; past_due: string[]; disabled_reason: string | null };
  capabilities: Record<string, string>;
}

interface Transfer extends Json {
  id: string;
  amount: number;
  amount_reversed: number;
  destination: string;
  reversed: boolean;
  metadata: Record<string, string>;
}

interface Payout extends Json {
  id: string;
  amount: number;
  status: "pending" | "paid" | "failed";
  metadata: Record<string, string>;
}

interface BalanceTransaction extends Json {
  id: string;
  amount: number;
  type: string;
  source: string;
}

export class ConnectState {
  readonly accounts = new Map<string, Account>();
  readonly transfers = new Map<string, Transfer>();
  readonly reversals = new Map<string, Json>();
  /** Payouts per account, in creation order. */
  readonly payouts = new Map<string, Payout[]>();
  /** Balance transactions per account ("platform" for the platform's own). */
  readonly balance = new Map<string, BalanceTransaction[]>();
  /** Test switch: the next N payouts of an account fail with this code. */
  readonly failNextPayouts = new Map<string, { count: number; code: string }>();

  constructor(
    private readonly payments: StripeState,
    private readonly emit: (type: string, object: Json, account: string | null) => void,
  ) {}

  createAccount(params: FormObject): Account {
    const type = asString(params.type) ?? "express";
    if (type !== "express") throw invalid("The test server only creates Express accounts.", "type");
    const account: Account = {
      id: newId("acct"),
      object: "account",
      type,
      country: asString(params.country) ?? "PT",
      email: asString(params.email) ?? null,
      default_currency: "eur",
      created: now(),
      charges_enabled: false,
      payouts_enabled: false,
      details_submitted: false,
      metadata: asStringMap(params.metadata),
      capabilities: { card_payments: "inactive", transfers: "inactive" },
      requirements: { currently_due: [...ONBOARDING_REQUIREMENTS], eventually_due: [...ONBOARDING_REQUIREMENTS], past_due: [], disabled_reason: "requirements.past_due" },
      settings: { payouts: { schedule: { interval: "manual" } } },
    };
    this.accounts.set(account.id, account);
    return account;
  }

  getAccount(id: string): Account {
    const account = this.accounts.get(id);
    if (!account) throw missing("account", id);
    return account;
  }

  updateAccount(id: string, params: FormObject): Account {
    const account = this.getAccount(id);
    if (params.metadata) account.metadata = { ...account.metadata, ...asStringMap(params.metadata) };
    this.emit("account.updated", account, account.id);
    return account;
  }

  createAccountLink(params: FormObject, baseUrl: string): Json {
    const accountId = asString(params.account);
    if (!accountId) throw invalid("Missing required param: account.", "account", "parameter_missing");
    this.getAccount(accountId);
    for (const field of ["refresh_url", "return_url"]) if (!asString(params[field])) throw invalid(`Missing required param: ${field}.`, field, "parameter_missing");
    const type = asString(params.type);
    if (type !== "account_onboarding" && type !== "account_update") throw invalid("type must be account_onboarding or account_update.", "type");
    return { object: "account_link", created: now(), expires_at: now() + 300, url: `${baseUrl}/_test/onboarding/${accountId}?return_url=${encodeURIComponent(asString(params.return_url)!)}` };
  }

  /** Test-only: the driver fills the onboarding form (`complete`), or leaves some of it (`partial`). */
  onboard(id: string, outcome: "complete" | "partial"): Account {
    const account = this.getAccount(id);
    account.details_submitted = true;
    if (outcome === "complete") {
      account.requirements = { currently_due: [], eventually_due: [], past_due: [], disabled_reason: null };
      account.capabilities = { card_payments: "active", transfers: "active" };
      account.charges_enabled = true;
      account.payouts_enabled = true;
    } else {
      account.requirements = { currently_due: ["individual.id_number"], eventually_due: ["individual.id_number"], past_due: [], disabled_reason: "requirements.pending_verification" };
    }
    this.emit("account.updated", account, account.id);
    return account;
  }

  createTransfer(params: FormObject): Transfer {
    const amount = asInt(params.amount);
    if (amount === undefined || amount < 1) throw invalid("Missing or invalid integer amount.", "amount");
    const currency = asString(params.currency);
    if (!currency) throw invalid("Missing required param: currency.", "currency", "parameter_missing");
    const destination = asString(params.destination) ?? "";
    const account = this.getAccount(destination);
    if (account.capabilities.transfers !== "active") {
      throw invalid(`Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments`, "destination", "insufficient_capabilities_for_transfer");
    }
    const sourceTransaction = asString(params.source_transaction) ?? null;
    if (sourceTransaction) {
      const charge = this.payments.charges.get(sourceTransaction);
      if (!charge) throw missing("charge", sourceTransaction);
      const already = [...this.transfers.values()].filter((t) => t.source_transaction === sourceTransaction).reduce((sum, t) => sum + t.amount - t.amount_reversed, 0);
      if (amount + already > charge.amount_captured - charge.amount_refunded) {
        throw invalid(`Insufficient funds on the source transaction ${sourceTransaction} for a transfer of ${amount}.`, "amount", "balance_insufficient");
      }
    }
    const transfer: Transfer = {
      id: newId("tr"),
      object: "transfer",
      amount,
      amount_reversed: 0,
      currency,
      destination,
      source_transaction: sourceTransaction,
      transfer_group: asString(params.transfer_group) ?? null,
      description: asString(params.description) ?? null,
      metadata: asStringMap(params.metadata),
      reversed: false,
      created: now(),
      livemode: false,
    };
    this.transfers.set(transfer.id, transfer);
    this.record("platform", -amount, "transfer", transfer.id);
    this.record(destination, amount, "transfer", transfer.id);
    this.emit("transfer.created", transfer, destination);
    return transfer;
  }

  getTransfer(id: string): Transfer {
    const transfer = this.transfers.get(id);
    if (!transfer) throw missing("transfer", id);
    return transfer;
  }

  createReversal(transferId: string, params: FormObject): Json {
    const transfer = this.getTransfer(transferId);
    const remaining = transfer.amount - transfer.amount_reversed;
    const amount = asInt(params.amount) ?? remaining;
    if (amount < 1 || amount > remaining) throw invalid(`Reversal amount (${amount}) must be between 1 and what remains of the transfer (${remaining}).`, "amount", "amount_too_large");
    const reversal = { id: newId("trr"), object: "transfer_reversal", amount, currency: transfer.currency, transfer: transfer.id, metadata: asStringMap(params.metadata), created: now() };
    this.reversals.set(reversal.id, reversal);
    transfer.amount_reversed += amount;
    transfer.reversed = transfer.amount_reversed === transfer.amount;
    this.record("platform", amount, "transfer_refund", reversal.id);
    this.record(transfer.destination, -amount, "transfer_refund", reversal.id);
    this.emit("transfer.reversed", transfer, transfer.destination);
    return reversal;
  }

  listReversals(transferId: string): Json {
    this.getTransfer(transferId);
    return list([...this.reversals.values()].filter((r) => r.transfer === transferId), `/v1/transfers/${transferId}/reversals`);
  }

  createPayout(params: FormObject, ctx: RouteContext): Payout {
    if (!ctx.account) throw invalid("The test server only pays out connected accounts (send the Stripe-Account header).", "destination");
    const account = this.getAccount(ctx.account);
    if (!account.payouts_enabled) throw invalid("Payouts are not enabled on this account.", undefined, "payouts_not_allowed");
    const amount = asInt(params.amount);
    if (amount === undefined || amount < 1) throw invalid("Missing or invalid integer amount.", "amount");
    const available = this.available(account.id);
    if (amount > available) throw invalid(`You have insufficient funds in your Stripe account for this payout (available ${available}).`, "amount", "balance_insufficient");
    const method = asString(params.method) === "instant" ? "instant" : "standard";
    const payout: Payout = {
      id: newId("po"),
      object: "payout",
      amount,
      currency: asString(params.currency) ?? "eur",
      method,
      status: "pending",
      arrival_date: now() + (method === "instant" ? 0 : 2 * 86_400),
      failure_code: null,
      failure_message: null,
      description: asString(params.description) ?? null,
      metadata: asStringMap(params.metadata),
      created: now(),
      livemode: false,
    };
    this.payouts.set(account.id, [...(this.payouts.get(account.id) ?? []), payout]);
    this.record(account.id, -amount, "payout", payout.id);
    this.emit("payout.created", payout, account.id);
    return payout;
  }

  getPayout(id: string, ctx: RouteContext): Payout {
    const payout = (ctx.account ? this.payouts.get(ctx.account) ?? [] : [...this.payouts.values()].flat()).find((p) => p.id === id);
    if (!payout) throw missing("payout", id);
    return payout;
  }

  /** Test-only: the bank answers every pending payout of the account (paid, or failed while a failure is armed). */
  settlePayouts(accountId: string): Payout[] {
    const pending = (this.payouts.get(accountId) ?? []).filter((p) => p.status === "pending");
    for (const payout of pending) {
      const failure = this.failNextPayouts.get(accountId);
      if (failure && failure.count > 0) {
        failure.count -= 1;
        payout.status = "failed";
        payout.failure_code = failure.code;
        payout.failure_message = "The bank account has been closed.";
        this.record(accountId, payout.amount, "payout_failure", payout.id);
        this.emit("payout.failed", payout, accountId);
      } else {
        payout.status = "paid";
        this.emit("payout.paid", payout, accountId);
      }
    }
    return pending;
  }

  listBalanceTransactions(ctx: RouteContext): Json {
    if (ctx.account) this.getAccount(ctx.account);
    return list(this.balanceOf(ctx.account ?? "platform"), "/v1/balance_transactions");
  }

  retrieveBalance(ctx: RouteContext): Json {
    const account = ctx.account ?? "platform";
    return { object: "balance", livemode: false, available: [{ amount: this.balanceOf(account).reduce((s, t) => s + t.amount, 0), currency: "eur" }], pending: [] };
  }

  /** The platform's own balance also shows its charges and refunds (read from the payment state). */
  private balanceOf(account: string): BalanceTransaction[] {
    const own = this.balance.get(account) ?? [];
    if (account !== "platform") return own;
    const charges = [...this.payments.charges.values()].map((c) => ({ id: `txn_${c.id}`, object: "balance_transaction", amount: c.amount_captured, currency: "eur", type: "charge", source: c.id, created: c.created }) as BalanceTransaction);
    const refunds = [...this.payments.refunds.values()].map((r) => ({ id: `txn_${String(r.id)}`, object: "balance_transaction", amount: -Number(r.amount), currency: "eur", type: "refund", source: String(r.id), created: r.created }) as BalanceTransaction);
    return [...charges, ...refunds, ...own];
  }

  private available(account: string): number {
    return this.balanceOf(account).reduce((sum, t) => sum + t.amount, 0);
  }

  private record(account: string, amount: number, type: string, source: string): void {
    const txn: BalanceTransaction = { id: newId("txn"), object: "balance_transaction", amount, currency: "eur", type, source, status: "available", created: now() };
    this.balance.set(account, [...(this.balance.get(account) ?? []), txn]);
  }
}

function list(data: Json[], url: string): Json {
  return { object: "list", data, has_more: false, url };
}

/** The Connect routes, and the test-only ones (under /_test/). */
export function connectRoutes(connect: ConnectState, payments: StripeState, webhooks: WebhookSender, baseUrl: () => string): { routes: ConnectRoute[]; testRoutes: ConnectRoute[] } {
  const routes: ConnectRoute[] = [
    { method: "POST", pattern: /^\/v1\/accounts$/, name: "POST /v1/accounts", run: (_, p) => connect.createAccount(p) },
    { method: "GET", pattern: /^\/v1\/accounts\/([^/]+)$/, name: "GET /v1/accounts/:id", run: (m) => connect.getAccount(m[1]!) },
    { method: "POST", pattern: /^\/v1\/accounts\/([^/]+)$/, name: "POST /v1/accounts/:id", run: (m, p) => connect.updateAccount(m[1]!, p) },
    { method: "POST", pattern: /^\/v1\/account_links$/, name: "POST /v1/account_links", run: (_, p) => connect.createAccountLink(p, baseUrl()) },
    { method: "POST", pattern: /^\/v1\/transfers$/, name: "POST /v1/transfers", run: (_, p) => connect.createTransfer(p) },
    { method: "GET", pattern: /^\/v1\/transfers\/([^/]+)$/, name: "GET /v1/transfers/:id", run: (m) => connect.getTransfer(m[1]!) },
    { method: "POST", pattern: /^\/v1\/transfers\/([^/]+)\/reversals$/, name: "POST /v1/transfers/:id/reversals", run: (m, p) => connect.createReversal(m[1]!, p) },
    { method: "GET", pattern: /^\/v1\/transfers\/([^/]+)\/reversals$/, name: "GET /v1/transfers/:id/reversals", run: (m) => connect.listReversals(m[1]!) },
    { method: "POST", pattern: /^\/v1\/payouts$/, name: "POST /v1/payouts", run: (_, p, ctx) => connect.createPayout(p, ctx) },
    { method: "GET", pattern: /^\/v1\/payouts\/([^/]+)$/, name: "GET /v1/payouts/:id", run: (m, _, ctx) => connect.getPayout(m[1]!, ctx) },
    { method: "GET", pattern: /^\/v1\/balance_transactions$/, name: "GET /v1/balance_transactions", run: (_, __, ctx) => connect.listBalanceTransactions(ctx) },
    { method: "GET", pattern: /^\/v1\/balance$/, name: "GET /v1/balance", run: (_, __, ctx) => connect.retrieveBalance(ctx) },
    {
      method: "GET",
      pattern: /^\/v1\/refunds$/,
      name: "GET /v1/refunds",
      run: (_, p) => {
        const intent = asString(p.payment_intent);
        return list([...payments.refunds.values()].filter((r) => !intent || r.payment_intent === intent), "/v1/refunds");
      },
    },
  ];
  const testRoutes: ConnectRoute[] = [
    { method: "POST", pattern: /^\/_test\/accounts\/([^/]+)\/onboard$/, name: "onboard", run: (m, p) => connect.onboard(m[1]!, p.outcome === "partial" ? "partial" : "complete") },
    {
      method: "POST",
      pattern: /^\/_test\/accounts\/([^/]+)\/fail_payouts$/,
      name: "fail payouts",
      run: (m, p) => {
        connect.getAccount(m[1]!);
        connect.failNextPayouts.set(m[1]!, { count: asInt(p.count) ?? 1, code: asString(p.code) ?? "account_closed" });
        return { ok: true };
      },
    },
    { method: "POST", pattern: /^\/_test\/accounts\/([^/]+)\/settle_payouts$/, name: "settle payouts", run: (m) => connect.settlePayouts(m[1]!) },
    {
      method: "GET",
      pattern: /^\/_test\/accounts\/([^/]+)$/,
      name: "account state",
      run: (m) => {
        const id = m[1]!;
        const transfers = [...connect.transfers.values()].filter((t) => t.destination === id);
        return {
          account: connect.accounts.get(id) ?? null,
          transfers,
          reversals: [...connect.reversals.values()].filter((r) => transfers.some((t) => t.id === r.transfer)),
          payouts: connect.payouts.get(id) ?? [],
          balanceTransactions: connect.balance.get(id) ?? [],
          events: webhooks.events.filter((e) => e.bookingId === id),
        };
      },
    },
  ];
  return { routes, testRoutes };
}
