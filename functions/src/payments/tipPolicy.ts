// Pure rules of tips and of saving a card for a far-ahead booking (no Firebase, no Stripe imports).
import { describeFailure } from "./paymentState";

export interface TipSettings {
  /** Hours after the trip's completion during which a tip is accepted. */
  windowHours: number;
  /** Largest tip in minor units, whatever the fare. */
  maxMinor: number;
  /** Largest tip as a percentage of the trip's final fare. */
  maxPercentOfFare: number;
}

export const DEFAULT_TIP_SETTINGS: TipSettings = { windowHours: 24, maxMinor: 5_000, maxPercentOfFare: 100 };

/** Stripe's smallest charge in EUR (0.50): a smaller tip could not be charged at all. */
export const MIN_TIP_MINOR = 50;

/** The largest tip for a fare: the admin's absolute cap and the percentage of the fare, whichever is lower. */
export function tipCapMinor(fareMinor: number, settings: Pick<TipSettings, "maxMinor" | "maxPercentOfFare">): number {
  const byFare = Math.floor((Math.max(0, fareMinor) * settings.maxPercentOfFare) / 100);
  return Math.max(0, Math.min(settings.maxMinor, byFare));
}

/** Open from the completion (inclusive) for `windowHours`; a completion in the future (clock skew) counts as now. */
export function tipWindowOpen(completedAtMs: number, nowMs: number, windowHours: number): boolean {
  return nowMs - completedAtMs <= windowHours * 3_600_000;
}

export type TipCheck =
  | { ok: true; maxMinor: number }
  | { ok: false; code: "failed-precondition"; reason: "no_completion_time" | "window_closed"; message: string }
  | { ok: false; code: "invalid-argument"; reason: "below_minimum" | "above_cap"; message: string; minMinor: number; maxMinor: number };

/** Whether a rider's tip of `amountMinor` on a completed trip is acceptable now. */
export function checkTip(input: { amountMinor: number; fareMinor: number; completedAtMs: number | undefined; nowMs: number; settings: TipSettings }): TipCheck {
  const { amountMinor, settings } = input;
  if (input.completedAtMs === undefined) return { ok: false, code: "failed-precondition", reason: "no_completion_time", message: "The trip has no completion time yet." };
  if (!tipWindowOpen(input.completedAtMs, input.nowMs, settings.windowHours)) {
    return { ok: false, code: "failed-precondition", reason: "window_closed", message: `Tips are accepted for ${settings.windowHours} h after the trip.` };
  }
  const maxMinor = tipCapMinor(input.fareMinor, settings);
  if (amountMinor < MIN_TIP_MINOR) return { ok: false, code: "invalid-argument", reason: "below_minimum", message: `must be at least ${MIN_TIP_MINOR}`, minMinor: MIN_TIP_MINOR, maxMinor };
  if (amountMinor > maxMinor) return { ok: false, code: "invalid-argument", reason: "above_cap", message: `must be at most ${maxMinor}`, minMinor: MIN_TIP_MINOR, maxMinor };
  return { ok: true, maxMinor };
}

export const TIP_STATUSES = ["pending", "requires_action", "succeeded"] as const;
export type TipStatus = (typeof TIP_STATUSES)[number];

export interface TipState {
  status: TipStatus;
  intentId: string | null;
  failureReason: string | null;
}

/** What a Stripe answer or event says about a tip's intent. */
export interface TipObservation {
  status: TipStatus;
  intentId?: string;
  failureReason?: string;
}

/** What a tip PaymentIntent's state means: charged, or waiting for the app (with why the last attempt failed). */
export function observeTipIntent(intent: { id: string; status: string; last_payment_error?: { code?: string | null; decline_code?: string | null; message?: string | null } | null }): TipObservation {
  if (intent.status === "succeeded") return { status: "succeeded", intentId: intent.id };
  return { status: "requires_action", intentId: intent.id, ...(intent.last_payment_error ? { failureReason: describeFailure(intent.last_payment_error) } : {}) };
}

/** Forward only: a stale `requires_action` never undoes `succeeded`; the failure reason describes the current attempt. */
export function mergeTip(current: TipState, observed: TipObservation): { next: TipState; changed: boolean } {
  const rank = (s: TipStatus) => TIP_STATUSES.indexOf(s);
  const status = rank(observed.status) > rank(current.status) ? observed.status : current.status;
  const failureReason = status === "succeeded" ? null : observed.status === status && observed.failureReason ? observed.failureReason : current.failureReason;
  const next: TipState = { status, intentId: current.intentId ?? observed.intentId ?? null, failureReason };
  return { next, changed: next.status !== current.status || next.intentId !== current.intentId || next.failureReason !== current.failureReason };
}

/** Whether a scheduled card booking saves its card now and is authorised off-session later. */
export function needsSavedCard(scheduledAtMs: number, nowMs: number, aheadHours: number): boolean {
  return scheduledAtMs - nowMs > aheadHours * 3_600_000;
}

export const SETUP_STATUSES = ["requires_action", "failed", "succeeded"] as const;
export type SetupStatus = (typeof SETUP_STATUSES)[number];

/** A SetupIntent's Stripe status in fleetfire's terms (the rider still has to act, it failed, the card is saved). */
export function setupStatusOf(intent: { status: string; last_setup_error?: unknown }): SetupStatus {
  if (intent.status === "succeeded") return "succeeded";
  if (intent.status === "requires_payment_method" && intent.last_setup_error) return "failed";
  return "requires_action";
}

/** Forward only, as payments: requires_action < failed < succeeded (a retried setup may still succeed). */
export function laterSetupStatus(current: SetupStatus | undefined, observed: SetupStatus): SetupStatus {
  if (!current) return observed;
  return SETUP_STATUSES.indexOf(observed) > SETUP_STATUSES.indexOf(current) ? observed : current;
}
