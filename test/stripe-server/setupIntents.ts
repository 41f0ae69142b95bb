// SetupIntents of the Stripe test server: saving a card on a customer for later off-session payments. A
// succeeded SetupIntent attaches its payment method to the customer (StripeState.attach), which is what an
// off-session PaymentIntent then requires. Outcomes follow the test payment methods' `setupOutcome`.
import { randomBytes } from "node:crypto";
import { asBool, asString, asStringMap, type FormObject } from "./form.js";
import { StripeApiError, type Emit, type StripeState } from "./state.js";

type Json = Record<string, unknown>;

interface SetupIntent extends Json {
  id: string;
  status: string;
  customer: string | null;
  payment_method: string | null;
  metadata: Record<string, string>;
}

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;

export class SetupIntents {
  readonly intents = new Map<string, SetupIntent>();

  constructor(
    private readonly state: StripeState,
    private readonly emit: Emit,
  ) {}

  create(params: FormObject): Json {
    const customer = asString(params.customer) ?? null;
    if (customer) this.state.getCustomer(customer);
    const id = newId("seti");
    const intent: SetupIntent = {
      id,
      object: "setup_intent",
      status: "requires_payment_method",
      client_secret: `${id}_secret_${randomBytes(8).toString("hex")}`,
      customer,
      payment_method: null,
      usage: asString(params.usage) ?? "off_session",
      description: asString(params.description) ?? null,
      metadata: asStringMap(params.metadata),
      last_setup_error: null,
      next_action: null,
      created: Math.floor(Date.now() / 1000),
      livemode: false,
    };
    const paymentMethod = asString(params.payment_method);
    if (paymentMethod) this.state.checkPaymentMethod(paymentMethod), (intent.payment_method = paymentMethod), (intent.status = "requires_confirmation");
    this.intents.set(id, intent);
    return asBool(params.confirm) ? this.confirm(id, params) : intent;
  }

  get(id: string): SetupIntent {
    const intent = this.intents.get(id);
    if (!intent) throw new StripeApiError(404, { type: "invalid_request_error", code: "resource_missing", message: `No such setupintent: '${id}'`, param: "intent" });
    return intent;
  }

  confirm(id: string, params: FormObject): Json {
    const intent = this.get(id);
    if (!["requires_payment_method", "requires_confirmation"].includes(intent.status)) throw this.unexpectedState(intent, "confirm");
    const paymentMethod = asString(params.payment_method) ?? intent.payment_method;
    if (!paymentMethod) throw new StripeApiError(400, { type: "invalid_request_error", code: "setup_intent_unexpected_state", message: "You must provide a payment method to confirm this SetupIntent.", param: "payment_method" });
    const behaviour = this.state.checkPaymentMethod(paymentMethod);
    intent.payment_method = paymentMethod;
    intent.last_setup_error = null;
    const outcome = behaviour.setupOutcome ?? behaviour.outcome;
    if (outcome === "decline") return this.fail(intent, "card_declined", behaviour.message ?? "Your card was declined.", behaviour.declineCode);
    if (outcome === "authenticate") {
      intent.status = "requires_action";
      intent.next_action = { type: "use_stripe_sdk", use_stripe_sdk: { type: "three_d_secure_redirect", stripe_js: "http://127.0.0.1/3ds" } };
      this.emit("setup_intent.requires_action", intent);
      return intent;
    }
    return this.succeed(intent);
  }

  /** Test-only: the rider completes (or fails) the 3-D Secure challenge of saving the card. */
  authenticate(id: string, succeed: boolean): Json {
    const intent = this.get(id);
    if (intent.status !== "requires_action") throw this.unexpectedState(intent, "authenticate");
    intent.next_action = null;
    if (!succeed) return this.fail(intent, "setup_intent_authentication_failure", "The provided payment method has failed authentication.", undefined, false);
    return this.succeed(intent);
  }

  cancel(id: string, params: FormObject): Json {
    const intent = this.get(id);
    if (["succeeded", "canceled"].includes(intent.status)) throw this.unexpectedState(intent, "cancel");
    intent.status = "canceled";
    intent.next_action = null;
    intent.cancellation_reason = asString(params.cancellation_reason) ?? "requested_by_customer";
    this.emit("setup_intent.canceled", intent);
    return intent;
  }

  private succeed(intent: SetupIntent): Json {
    intent.status = "succeeded";
    intent.next_action = null;
    if (intent.customer && intent.payment_method) this.state.attach(intent.customer, intent.payment_method);
    this.emit("setup_intent.succeeded", intent);
    return intent;
  }

  private fail(intent: SetupIntent, code: string, message: string, declineCode?: string, asError = true): Json {
    intent.status = "requires_payment_method";
    intent.next_action = null;
    intent.last_setup_error = { type: "card_error", code, message, ...(declineCode ? { decline_code: declineCode } : {}), payment_method: { id: intent.payment_method } };
    this.emit("setup_intent.setup_failed", intent);
    if (!asError) return intent;
    throw new StripeApiError(402, { type: "card_error", code, message, ...(declineCode ? { decline_code: declineCode } : {}), setup_intent: structuredClone(intent) });
  }

  private unexpectedState(intent: SetupIntent, action: string): StripeApiError {
    return new StripeApiError(400, {
      type: "invalid_request_error",
      code: "setup_intent_unexpected_state",
      message: `You cannot ${action} this SetupIntent because it has a status of ${intent.status}.`,
      setup_intent: structuredClone(intent),
    });
  }
}
