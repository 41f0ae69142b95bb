// Notification preferences: which channels a category uses for one user, and whether "now" is inside the
// user's quiet hours. Pure code (no Firebase imports) so unit tests load it instantly.
import type { NotificationCategory } from "../common/schema";

export const CHANNELS = ["push", "email", "sms"] as const;
export type Channel = (typeof CHANNELS)[number];

export type ChannelPrefs = Record<Channel, boolean>;

export interface QuietHours {
  /** Local wall-clock "HH:MM" in `tz`; a window with start > end spans midnight; start == end is no window. */
  start: string;
  end: string;
  /** IANA time zone, e.g. "Europe/Lisbon". */
  tz: string;
}

export interface NotificationPrefs {
  trip: ChannelPrefs;
  chat: ChannelPrefs;
  payment: ChannelPrefs;
  marketing: ChannelPrefs;
  quietHours: QuietHours | null;
}

/** Used for every category, channel or field a user has not set (docs/notifications.md "Defaults"). */
export const DEFAULT_PREFS: NotificationPrefs = {
  trip: { push: true, email: false, sms: false },
  chat: { push: true, email: false, sms: false },
  payment: { push: true, email: true, sms: false },
  marketing: { push: false, email: false, sms: false },
  quietHours: null,
};

/** What quiet hours do to push and SMS of a category; e-mail and the inbox are never held back. */
export type QuietHoursPolicy = "defer" | "drop";
export const QUIET_HOURS_POLICY: Record<NotificationCategory, QuietHoursPolicy> = {
  trip: "defer",
  chat: "drop",
  payment: "defer",
  marketing: "drop",
};

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function isQuietHours(value: unknown): value is QuietHours {
  if (typeof value !== "object" || value === null) return false;
  const q = value as Record<string, unknown>;
  return (
    typeof q.start === "string" && HH_MM.test(q.start) &&
    typeof q.end === "string" && HH_MM.test(q.end) &&
    typeof q.tz === "string" && isValidTimeZone(q.tz)
  );
}

/**
 * Merges what the user stored over the defaults, field by field. Anything malformed (written by an old app
 * or in the console) falls back to the default instead of failing the notification.
 */
export function resolvePrefs(stored: unknown): NotificationPrefs {
  const source = typeof stored === "object" && stored !== null ? (stored as Record<string, unknown>) : {};
  const category = (name: NotificationCategory): ChannelPrefs => {
    const given = source[name];
    const map = typeof given === "object" && given !== null ? (given as Record<string, unknown>) : {};
    const pick = (channel: Channel) =>
      typeof map[channel] === "boolean" ? (map[channel] as boolean) : DEFAULT_PREFS[name][channel];
    return { push: pick("push"), email: pick("email"), sms: pick("sms") };
  };
  return {
    trip: category("trip"),
    chat: category("chat"),
    payment: category("payment"),
    marketing: category("marketing"),
    quietHours: isQuietHours(source.quietHours) ? source.quietHours : null,
  };
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Minutes since local midnight of `now` in `tz`. */
export function localMinutes(now: Date, tz: string): number {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone: tz, hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
    .formatToParts(now);
  const hour = Number(parts.find((p) => p.type === "hour")?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === "minute")?.value ?? 0);
  return hour * 60 + minute;
}

export function inQuietHours(now: Date, quiet: QuietHours | null): boolean {
  if (!quiet) return false;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return false;
  const local = localMinutes(now, quiet.tz);
  return start < end ? local >= start && local < end : local >= start || local < end;
}

/**
 * The instant quiet hours end (the next local `end` after `now`). First estimated as an offset from the local
 * wall clock, then corrected when the clocks change in between (that night is 23 or 25 hours long): the
 * result is the first candidate that lies after `now` and outside the quiet window. When the clocks go forward
 * over every minute outside the window (quiet 02:00–01:00 on the night 01:00 does not exist), no candidate is
 * outside it: quiet hours then end at the end time moved forward by the jump, not a day later.
 */
export function quietHoursEnd(now: Date, quiet: QuietHours): Date {
  const endMinutes = minutesOf(quiet.end);
  const local = localMinutes(now, quiet.tz);
  const wait = (endMinutes - local + 1440) % 1440 || 1440;
  const startOfMinute = Math.floor(now.getTime() / 60_000) * 60_000;
  const estimate = startOfMinute + wait * 60_000;
  let drift = (endMinutes - localMinutes(new Date(estimate), quiet.tz) + 1440) % 1440;
  if (drift > 720) drift -= 1440;
  const candidates = [estimate + drift * 60_000, estimate, estimate + 60 * 60_000].filter((t) => t > now.getTime());
  return new Date(candidates.find((t) => !inQuietHours(new Date(t + 1000), quiet)) ?? estimate);
}

export type Delivery = "now" | "deferred";

export interface ChannelPlan {
  push?: Delivery;
  email?: Delivery;
  sms?: Delivery;
}

export interface PlanInput {
  category: NotificationCategory;
  transactional: boolean;
  /** Quiet hours do not hold back messages the user is waiting for right now (e.g. "your driver arrived"). */
  timeSensitive: boolean;
  /** An alarm: push (and SMS when there is a number) go now, whatever the preferences and quiet hours say. */
  emergency?: boolean;
  hasEmail: boolean;
  hasPhone: boolean;
}

/**
 * Which channels get the message and when. E-mail goes only to users with an address, SMS only to users with
 * a phone number. A transactional message the user switched off everywhere still goes by e-mail (or push
 * when there is no address): receipts and payment failures cannot be switched off entirely.
 */
export function planChannels(prefs: NotificationPrefs, input: PlanInput, now: Date): ChannelPlan {
  const wanted = prefs[input.category];
  if (input.emergency) {
    const alarm: ChannelPlan = { push: "now" };
    if (input.hasPhone) alarm.sms = "now";
    if (wanted.email && input.hasEmail) alarm.email = "now";
    return alarm;
  }
  let push = wanted.push;
  let email = wanted.email && input.hasEmail;
  const sms = wanted.sms && input.hasPhone;
  if (input.transactional && !push && !email && !sms) {
    if (input.hasEmail) email = true;
    else push = true;
  }
  const quiet = !input.timeSensitive && inQuietHours(now, prefs.quietHours);
  const interruptive: Delivery | undefined = quiet
    ? QUIET_HOURS_POLICY[input.category] === "defer" ? "deferred" : undefined
    : "now";
  const plan: ChannelPlan = {};
  if (push && interruptive) plan.push = interruptive;
  if (sms && interruptive) plan.sms = interruptive;
  if (email) plan.email = "now";
  return plan;
}
