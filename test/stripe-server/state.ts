// The stateful part of the Stripe test server: customers, payment intents (manual and automatic capture),
// charges and refunds, with the behaviour of Stripe's test payment methods. Every state change that Stripe
// announces by webhook is reported through `emit`.
import { randomBytes } from "node:crypto";
import { asBool, asInt, asString, asStringMap, type FormObject } from "./form.js";

export class StripeApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message));
  }
}

const invalid = (message: string, param?: string, code = "parameter_invalid") =>
  new StripeApiError(400, { type: "invalid_request_error", code, message, ...(param ? { param } : {}) });
const missing = (kind: string, id: string) =>
  new StripeApiError(404, { type: "invalid_request_error", code: "resource_missing", message: `No such ${kind}: '${id}'`, param: "id" });

type Json = Record<string, unknown>;
export type Emit = (type: string, object: Json) => void;

interface CardBehaviour {
  outcome: "succeed" | "decline" | "authenticate";
  /** How a SetupIntent (saving the card) goes, when it differs from a payment's outcome. */
  setupOutcome?: "succeed" | "decline" | "authenticate";
  declineCode?: string;
  message?: string;
  brand: string;
  last4: string;
}

/** Stripe's test payment methods (https://docs.stripe.com/testing) that fleetfire's tests use. */
export const TEST_PAYMENT_METHODS: Record<string, CardBehaviour> = {
  pm_card_visa: { outcome: "succeed", brand: "visa", last4: "4242" },
  pm_card_mastercard: { outcome: "succeed", brand: "mastercard", last4: "4444" },
  pm_card_chargeDeclined: { outcome: "decline", declineCode: "generic_decline", message: "Your card was declined.", brand: "visa", last4: "0002" },
  pm_card_chargeDeclinedInsufficientFunds: { outcome: "decline", declineCode: "insufficient_funds", message: "Your card has insufficient funds.", brand: "visa", last4: "9995" },
  pm_card_authenticationRequired: { outcome: "authenticate", brand: "visa", last4: "3184" },
  // Saving the card succeeds, every later charge is declined (Stripe's 4000000000000341).
  pm_card_chargeCustomerFail: { outcome: "decline", setupOutcome: "succeed", declineCode: "generic_decline", message: "Your card was declined.", brand: "visa", last4: "0341" },
  // Saving the card asks for 3-D Secure; once saved, off-session charges succeed (Stripe's 4000002500003155).
  pm_card_authenticationRequiredOnSetup: { outcome: "succeed", setupOutcome: "authenticate", brand: "visa", last4: "3155" },
};

const now = () => Math.floor(Date.now() / 1000);
const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;

interface Intent extends Json {
  id: string;
  amount: number;
  amount_capturable: number;
  amount_received: number;
  status: string;
  capture_method: "manual" | "automatic";
  customer: string | null;
  payment_method: string | null;
  metadata: Record<string, string>;
  latest_charge: string | null;
}

interface Charge extends Json {
  id: string;
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  payment_intent: string;
}

export class StripeState {
  readonly customers = new Map<string, Json>();
  readonly intents = new Map<string, Intent>();
  readonly charges = new Map<string, Charge>();
  readonly refunds = new Map<string, Json>();
  /** Effects per intent, so tests can assert "exactly one capture" independently of retried requests. */
  readonly captures = new Map<string, number>();
  /** Intents whose bank declines every further increment (test route), as an issuer may. */
  readonly incrementsDeclined = new Set<string>();
  /** Payment methods saved on a customer (a succeeded SetupIntent, or a payment with setup_future_usage). */
  readonly attached = new Map<string, Set<string>>();

  constructor(private readonly emit: Emit) {}

  createCustomer(params: FormObject): Json {
    const customer = {
      id: newId("cus"),
      object: "customer",
      created: now(),
      email: asString(params.email) ?? null,
      name: asString(params.name) ?? null,
      metadata: asStringMap(params.metadata),
      livemode: false,
    };
    this.customers.set(customer.id, customer);
    return customer;
  }

  attach(customer: string, paymentMethod: string): void {
    const saved = this.attached.get(customer) ?? new Set<string>();
    saved.add(paymentMethod);
    this.attached.set(customer, saved);
  }

  listPaymentMethods(customer: string): Json {
    this.getCustomer(customer);
    const data = [...(this.attached.get(customer) ?? [])].map((id) => this.paymentMethod(id, customer));
    return { object: "list", url: `/v1/customers/${customer}/payment_methods`, has_more: false, data };
  }

  paymentMethod(id: string, customer: string | null = null): Json {
    const behaviour = this.checkPaymentMethod(id);
    return { id, object: "payment_method", type: "card", customer, card: { brand: behaviour.brand, last4: behaviour.last4 }, livemode: false };
  }

  getCustomer(id: string): Json {
    const customer = this.customers.get(id);
    if (!customer) throw missing("customer", id);
    return customer;
  }

  createIntent(params: FormObject): Json {
    const amount = asInt(params.amount);
    if (amount === undefined || amount < 1) throw invalid("Missing or invalid integer amount.", "amount", amount === undefined ? "parameter_missing" : "amount_too_small");
    const currency = asString(params.currency);
    if (!currency || !/^[a-z]{3}$/.test(currency)) throw invalid("Missing or invalid currency.", "currency");
    const customer = asString(params.customer) ?? null;
    if (customer && !this.customers.has(customer)) throw missing("customer", customer);
    const id = newId("pi");
    const intent: Intent = {
      id,
      object: "payment_intent",
      amount,
      amount_capturable: 0,
      amount_received: 0,
      currency,
      status: "requires_payment_method",
      capture_method: asString(params.capture_method) === "manual" ? "manual" : "automatic",
      client_secret: `${id}_secret_${randomBytes(8).toString("hex")}`,
      customer,
      payment_method: null,
      setup_future_usage: asString(params.setup_future_usage) ?? null,
      payment_method_options: { card: { request_incremental_authorization: cardOption(params, "request_incremental_authorization") ?? null } },
      description: asString(params.description) ?? null,
      metadata: asStringMap(params.metadata),
      last_payment_error: null,
      next_action: null,
      latest_charge: null,
      canceled_at: null,
      cancellation_reason: null,
      created: now(),
      livemode: false,
    };
    const paymentMethod = asString(params.payment_method);
    if (paymentMethod) this.checkPaymentMethod(paymentMethod), (intent.payment_method = paymentMethod);
    if (intent.payment_method) intent.status = "requires_confirmation";
    this.intents.set(id, intent);
    if (asBool(params.confirm)) return this.confirmIntent(id, params);
    return intent;
  }

  getIntent(id: string): Intent {
    const intent = this.intents.get(id);
    if (!intent) throw missing("payment_intent", id);
    return intent;
  }

  confirmIntent(id: string, params: FormObject): Json {
    const intent = this.getIntent(id);
    if (!["requires_payment_method", "requires_confirmation"].includes(intent.status)) throw this.unexpectedState(intent, "confirm");
    const paymentMethod = asString(params.payment_method) ?? intent.payment_method;
    if (!paymentMethod) throw invalid("You must provide a payment method to confirm this PaymentIntent.", "payment_method", "payment_intent_unexpected_state");
    const behaviour = this.checkPaymentMethod(paymentMethod);
    // As Stripe: an off-session payment needs a card saved on the customer (a SetupIntent or an earlier payment).
    if (asBool(params.off_session) && intent.customer && !this.attached.get(intent.customer)?.has(paymentMethod)) {
      throw invalid(`The provided PaymentMethod ${paymentMethod} is not attached to customer ${intent.customer}; save it first (SetupIntent).`, "payment_method");
    }
    intent.payment_method = paymentMethod;
    intent.last_payment_error = null;
    if (behaviour.outcome === "decline") return this.fail(intent, "card_declined", behaviour.message!, behaviour.declineCode);
    if (behaviour.outcome === "authenticate") {
      if (asBool(params.off_session)) {
        return this.fail(intent, "authentication_required", "This payment requires authentication, which is not possible off-session.", "authentication_required");
      }
      intent.status = "requires_action";
      intent.next_action = { type: "use_stripe_sdk", use_stripe_sdk: { type: "three_d_secure_redirect", stripe_js: "http://127.0.0.1/3ds" } };
      this.emit("payment_intent.requires_action", intent);
      return intent;
    }
    return this.authorise(intent);
  }

  /** Test-only: the rider completes (or fails) the 3-D Secure challenge. */
  authenticate(id: string, succeed: boolean): Json {
    const intent = this.getIntent(id);
    if (intent.status !== "requires_action") throw this.unexpectedState(intent, "authenticate");
    intent.next_action = null;
    if (!succeed) {
      return this.fail(intent, "payment_intent_authentication_failure", "The provided payment method has failed authentication.", undefined, false);
    }
    return this.authorise(intent);
  }

  captureIntent(id: string, params: FormObject): Json {
    const intent = this.getIntent(id);
    if (intent.status !== "requires_capture") throw this.unexpectedState(intent, "capture");
    const amount = asInt(params.amount_to_capture) ?? intent.amount_capturable;
    if (amount < 1 || amount > intent.amount_capturable) {
      throw invalid(`amount_to_capture must be between 1 and the capturable amount (${intent.amount_capturable}).`, "amount_to_capture", "amount_too_large");
    }
    this.captures.set(id, (this.captures.get(id) ?? 0) + 1);
    this.settle(intent, amount);
    return intent;
  }

  /**
   * POST /v1/payment_intents/:id/increment_authorization: raises an uncaptured hold to `amount` (the new total).
   * Only for an intent created with payment_method_options.card.request_incremental_authorization; a bank may
   * decline (402 card_declined), and the hold then stays as it was.
   */
  incrementAuthorization(id: string, params: FormObject): Json {
    const intent = this.getIntent(id);
    if (intent.status !== "requires_capture") throw this.unexpectedState(intent, "increment the authorization of");
    const requested = (intent.payment_method_options as { card?: { request_incremental_authorization?: string | null } }).card?.request_incremental_authorization;
    if (requested !== "if_available" && requested !== "required") {
      throw invalid("This PaymentIntent was not created with incremental authorization requested.", "amount", "incremental_authorization_not_available");
    }
    const amount = asInt(params.amount);
    if (amount === undefined || amount <= intent.amount) throw invalid(`amount must be greater than the current amount (${intent.amount}).`, "amount", "amount_too_small");
    if (this.incrementsDeclined.has(id)) {
      throw new StripeApiError(402, { type: "card_error", code: "card_declined", decline_code: "insufficient_funds", message: "The increment was declined.", payment_intent: structuredClone(intent) });
    }
    intent.amount = amount;
    intent.amount_capturable = amount;
    this.emit("payment_intent.amount_capturable_updated", intent);
    return intent;
  }

  cancelIntent(id: string, params: FormObject): Json {
    const intent = this.getIntent(id);
    if (["succeeded", "canceled", "processing"].includes(intent.status)) throw this.unexpectedState(intent, "cancel");
    intent.status = "canceled";
    intent.amount_capturable = 0;
    intent.next_action = null;
    intent.canceled_at = now();
    intent.cancellation_reason = asString(params.cancellation_reason) ?? "requested_by_customer";
    this.emit("payment_intent.canceled", intent);
    return intent;
  }

  createRefund(params: FormObject): Json {
    const intentId = asString(params.payment_intent);
    if (!intentId) throw invalid("Missing required param: payment_intent.", "payment_intent", "parameter_missing");
    const intent = this.getIntent(intentId);
    const charge = intent.latest_charge ? this.charges.get(intent.latest_charge) : undefined;
    if (!charge || intent.status !== "succeeded") throw invalid(`PaymentIntent ${intentId} has no successful charge to refund.`, "payment_intent", "charge_not_refundable");
    const remaining = charge.amount_captured - charge.amount_refunded;
    if (remaining <= 0) throw invalid(`Charge ${charge.id} has already been refunded.`, "payment_intent", "charge_already_refunded");
    const amount = asInt(params.amount) ?? remaining;
    if (amount < 1 || amount > remaining) {
      throw invalid(`Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`, "amount", "amount_too_large");
    }
    const refund = {
      id: newId("re"),
      object: "refund",
      amount,
      currency: intent.currency,
      charge: charge.id,
      payment_intent: intent.id,
      reason: asString(params.reason) ?? null,
      metadata: asStringMap(params.metadata),
      status: "succeeded",
      created: now(),
    };
    this.refunds.set(refund.id, refund);
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount_captured;
    this.emit("charge.refunded", { ...charge, metadata: intent.metadata });
    return refund;
  }

  getRefund(id: string): Json {
    const refund = this.refunds.get(id);
    if (!refund) throw missing("refund", id);
    return refund;
  }

  private authorise(intent: Intent): Json {
    if (intent.setup_future_usage && intent.customer && intent.payment_method) this.attach(intent.customer, intent.payment_method);
    if (intent.capture_method === "automatic") {
      this.settle(intent, intent.amount);
      return intent;
    }
    intent.status = "requires_capture";
    intent.amount_capturable = intent.amount;
    this.emit("payment_intent.amount_capturable_updated", intent);
    return intent;
  }

  private settle(intent: Intent, amount: number): void {
    const charge: Charge = {
      id: newId("ch"),
      object: "charge",
      amount: intent.amount,
      amount_captured: amount,
      amount_refunded: 0,
      captured: true,
      refunded: false,
      currency: intent.currency,
      payment_intent: intent.id,
      payment_method: intent.payment_method,
      customer: intent.customer,
      status: "succeeded",
      created: now(),
    };
    this.charges.set(charge.id, charge);
    intent.latest_charge = charge.id;
    intent.status = "succeeded";
    intent.amount_received = amount;
    intent.amount_capturable = 0;
    this.emit("payment_intent.succeeded", intent);
  }

  // A failed confirmation: the intent goes back to requires_payment_method and the API answers 402.
  private fail(intent: Intent, code: string, message: string, declineCode?: string, asError = true): Json {
    intent.status = "requires_payment_method";
    intent.next_action = null;
    intent.last_payment_error = { type: "card_error", code, message, ...(declineCode ? { decline_code: declineCode } : {}), payment_method: { id: intent.payment_method } };
    this.emit("payment_intent.payment_failed", intent);
    if (!asError) return intent;
    throw new StripeApiError(402, { type: "card_error", code, message, ...(declineCode ? { decline_code: declineCode } : {}), payment_intent: structuredClone(intent) });
  }

  checkPaymentMethod(id: string): CardBehaviour {
    const behaviour = TEST_PAYMENT_METHODS[id];
    if (!behaviour) throw missing("payment_method", id);
    return behaviour;
  }

  private unexpectedState(intent: Intent, action: string): StripeApiError {
    return new StripeApiError(400, {
      type: "invalid_request_error",
      code: "payment_intent_unexpected_state",
      message: `You cannot ${action} this PaymentIntent because it has a status of ${intent.status}.`,
      payment_intent: structuredClone(intent),
    });
  }
}

/** payment_method_options[card][<key>] as the form parser delivers it (nested objects). */
function cardOption(params: FormObject, key: string): string | undefined {
  const options = params.payment_method_options;
  const card = options && typeof options === "object" && !Array.isArray(options) ? (options as FormObject).card : undefined;
  return card && typeof card === "object" && !Array.isArray(card) ? asString((card as FormObject)[key]) : undefined;
}
