// What the driver's earnings panel says about payout onboarding (pure: unit-tested without a browser).
export type AccountLine = { ready: boolean; currentlyDue: string[]; pastDue: string[] } | null;

/** What onboarding still needs, in words (pure). */
export function onboardingLine(account: AccountLine): string {
  if (!account) return "Payouts are not set up yet: your earnings wait until they are.";
  if (account.ready) return "Payouts are set up.";
  const due = [...account.pastDue, ...account.currentlyDue];
  return due.length ? `Payouts need: ${[...new Set(due)].join(", ").replace(/_/g, " ")}.` : "Stripe is checking your details.";
}
