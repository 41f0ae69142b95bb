// The rider's hourly hire line: the clock (hireClock.ts) and "+1 hour" (callable extendHire, the new total).
import type { DocumentData } from "firebase/firestore";
import { errorText, h, money } from "./dom";
import { call } from "./firebase";
import { hireClock } from "./hireClock";
import { MAX_HIRE_HOURS } from "../../functions/src/pricing/engine";

const EXTENDABLE = new Set(["scheduled", "accepted", "arrived", "in_progress"]);

/**
 * The outcome line of each booking's extension, kept across renders: the booking's own snapshot (the new hours)
 * usually re-renders the panel before extendHire's answer arrives, and the answer must land in the panel shown.
 */
const messages = new Map<string, HTMLElement>();

/** The rider's hire line: the clock, and "+1 hour" while it can be extended. */
export function hirePanel(bookingId: string, b: DocumentData): HTMLElement {
  let message = messages.get(bookingId);
  if (!message) {
    message = h("span", { class: "muted", "data-testid": "hire-message" });
    messages.set(bookingId, message);
  }
  const extend = async () => {
    try {
      const result = await call<unknown, { hours: number; estimateMinor: number; currency: string }>("extendHire", { bookingId, hours: (b.hours as number) + 1 });
      message.textContent = ` Extended to ${result.hours} h: ${money(result.estimateMinor, result.currency)}`;
    } catch (error) {
      message.textContent = ` Not extended: ${errorText(error)}`;
    }
  };
  const canExtend = EXTENDABLE.has(b.status) && typeof b.hours === "number" && b.hours < MAX_HIRE_HOURS;
  return h(
    "p",
    { "data-testid": "hire" },
    "Hire: ",
    h("strong", { "data-testid": "hire-clock", "data-hours": String(b.hours ?? "") }, hireClock(b, Date.now())),
    canExtend ? h("button", { type: "button", "data-testid": "hire-extend", onclick: () => void extend() }, "+1 hour") : null,
    message,
  );
}
