// What integration tests use to play the Connect side of Stripe: the driver filling the onboarding form, the
// bank paying (or refusing) payouts, and inspecting an account's transfers, payouts and events.
import type Stripe from "stripe";
import { stripeTestServerUrl } from "./client.js";
import type { DeliveredEvent } from "./webhooks.js";

async function post(path: string, body: Record<string, string> = {}) {
  const response = await fetch(`${stripeTestServerUrl()}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(body).toString(),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<unknown>;
}

/** The driver completes (or half-completes) the Express onboarding form. */
export const completeOnboarding = (accountId: string, outcome: "complete" | "partial" = "complete") => post(`/_test/accounts/${accountId}/onboard`, { outcome });

/** The next `count` payouts of the account fail with `code`. */
export const failNextPayouts = (accountId: string, count = 1, code = "account_closed") => post(`/_test/accounts/${accountId}/fail_payouts`, { count: String(count), code });

/** The bank answers every pending payout of the account (paid, or failed while armed). */
export const settlePayouts = (accountId: string) => post(`/_test/accounts/${accountId}/settle_payouts`) as Promise<Stripe.Payout[]>;

export interface AccountOnStripe {
  account: Stripe.Account | null;
  transfers: Stripe.Transfer[];
  reversals: Stripe.TransferReversal[];
  payouts: Stripe.Payout[];
  balanceTransactions: Stripe.BalanceTransaction[];
  events: DeliveredEvent[];
}

export async function accountOnStripe(accountId: string): Promise<AccountOnStripe> {
  return (await (await fetch(`${stripeTestServerUrl()}/_test/accounts/${accountId}`)).json()) as AccountOnStripe;
}
