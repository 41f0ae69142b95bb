// The words of every notification, per locale. `{name}` is replaced by data.name; `{name|fallback}` uses the
// fallback when the value is missing. English is complete and the fallback for every other locale; a locale
// may translate only some templates. Pure code (no Firebase imports).

export const TEMPLATE_NAMES = [
  "offer_received",
  "driver_assigned",
  "driver_arrived",
  "trip_started",
  "trip_completed",
  "booking_cancelled",
  "no_drivers",
  "payment_failed",
  "receipt",
  "chat_message",
  "trip_changed",
  "hire_extended",
  "sos_raised",
  "payout_paid",
  "payout_failed",
] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

interface Template {
  title: string;
  body: string;
}

const en: Record<TemplateName, Template> = {
  offer_received: {
    title: "New trip request",
    body: "A rider near you needs a trip. Open the app to accept before the offer expires.",
  },
  driver_assigned: {
    title: "Your driver is on the way",
    body: "{driverName|Your driver} accepted your booking and is heading to the pickup point.",
  },
  driver_arrived: {
    title: "Your driver has arrived",
    body: "{driverName|Your driver} is waiting at the pickup point.",
  },
  trip_started: { title: "Trip started", body: "Your trip has started. Have a good ride!" },
  trip_completed: { title: "Trip completed", body: "You have arrived. Thank you for travelling with fleetfire." },
  booking_cancelled: {
    title: "Booking cancelled",
    body: "Your booking was cancelled by the {cancelledBy|service}.",
  },
  no_drivers: {
    title: "No drivers available",
    body: "We could not find a driver for your booking. Please try again in a few minutes.",
  },
  payment_failed: {
    title: "Payment failed",
    body: "We could not take the payment for your booking. Please check your payment method in the app.",
  },
  receipt: {
    title: "Your receipt {receiptNumber}",
    body: "Thank you for your trip. Amount paid: {amount|see the app}.",
  },
  chat_message: { title: "{senderName|New message}", body: "{preview|Sent you a message.}" },
  trip_changed: { title: "The trip has changed", body: "The rider changed the destination or stops. Open the app for the new route." },
  hire_extended: { title: "The hire was extended", body: "The rider extended the hire to {hours|more} hours." },
  sos_raised: {
    title: "SOS: {raiserRole|a user} needs help",
    body: "An alarm was raised during trip {bookingId}. Open incident {incidentId} in the ops console now.",
  },
  payout_paid: { title: "Payout sent", body: "{amount} is on its way to your bank account." },
  payout_failed: {
    title: "Payout failed",
    body: "Your payout of {amount} could not be paid ({reason|bank refused}). We will try again; check your bank details in the app.",
  },
};

const pt: Partial<Record<TemplateName, Template>> = {
  driver_assigned: {
    title: "O seu motorista está a caminho",
    body: "{driverName|O seu motorista} aceitou a reserva e está a caminho do ponto de recolha.",
  },
  driver_arrived: { title: "O seu motorista chegou", body: "{driverName|O seu motorista} está à sua espera." },
  trip_started: { title: "Viagem iniciada", body: "A sua viagem começou. Boa viagem!" },
  trip_completed: { title: "Viagem concluída", body: "Chegou ao destino. Obrigado por viajar com a fleetfire." },
};

/** Locales by language subtag; add a table here to add a language. */
const LOCALES: Record<string, Partial<Record<TemplateName, Template>>> = { en, pt };

export function isTemplateName(name: string): name is TemplateName {
  return (TEMPLATE_NAMES as readonly string[]).includes(name);
}

function fill(text: string, data: Record<string, string>): string {
  return text
    .replace(/\{(\w+)(?:\|([^}]*))?\}/g, (_match, key: string, fallback?: string) => {
      const value = data[key];
      return value !== undefined && value !== "" ? value : (fallback ?? "");
    })
    .replace(/\s+/g, " ")
    .trim();
}

/** Title and body of `template` in `locale` (e.g. "pt-PT" → pt, else en). Unknown templates throw. */
export function render(template: string, data: Record<string, string>, locale?: string): Template {
  if (!isTemplateName(template)) throw new Error(`Unknown notification template "${template}"`);
  const language = (locale ?? "en").toLowerCase().split(/[-_]/)[0] ?? "en";
  const chosen = LOCALES[language]?.[template] ?? en[template];
  return { title: fill(chosen.title, data), body: fill(chosen.body, data) };
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/** The `message` of a "Trigger Email from Firestore" document. */
export function emailMessage(rendered: Template): { subject: string; text: string; html: string } {
  return {
    subject: rendered.title,
    text: `${rendered.body}\n\n— fleetfire`,
    html: `<h2>${escapeHtml(rendered.title)}</h2><p>${escapeHtml(rendered.body)}</p><p>— fleetfire</p>`,
  };
}

/** An SMS body: one line, at most 320 characters (two segments). */
export function smsBody(rendered: Template): string {
  const text = `fleetfire: ${rendered.title}. ${rendered.body}`;
  return text.length <= 320 ? text : `${text.slice(0, 319)}…`;
}

/** Templates the user is waiting for right now: quiet hours do not hold them back (docs/notifications.md). */
export const TIME_SENSITIVE_TEMPLATES: ReadonlySet<string> = new Set([
  "offer_received",
  "driver_assigned",
  "driver_arrived",
  "trip_started",
  "no_drivers",
  "booking_cancelled",
  "trip_changed",
  "hire_extended",
  "sos_raised",
]);
