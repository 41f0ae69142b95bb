// Which notifications a booking audit-trail event (bookings/{id}/events/{eventId}) causes, for whom, and with
// which idempotency key. Pure code: the service loads names and receipt numbers and passes them in.
//
// Keys: facts that happen once per booking and that two event types can both report (the driver assignment,
// a cancellation, a payment failure, the receipt) use a key naming the fact, so whichever event arrives first
// notifies and the other is a no-op; everything else uses the event id.
import type { BookingEvent } from "../common/bookingEvents";
import type { NotificationEvent } from "./notify";

export interface PlannedNotification {
  userId: string;
  event: NotificationEvent;
  key: string;
}

export interface EventContext {
  driverName?: string;
  receiptNumber?: string;
}

type EventInput = Pick<BookingEvent, "type" | "bookingId" | "riderId" | "driverId" | "status" | "previousStatus" | "actor" | "data">;

const stringList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string" && v.length > 0) : [];

const str = (value: unknown): string | undefined => (typeof value === "string" && value ? value : undefined);

export function formatMoney(amountMinor: number, currency: string): string {
  try {
    return new Intl.NumberFormat("en-GB", { style: "currency", currency: currency.toUpperCase() }).format(amountMinor / 100);
  } catch {
    return `${(amountMinor / 100).toFixed(2)} ${currency.toUpperCase()}`;
  }
}

export function notificationsForBookingEvent(eventId: string, e: EventInput, context: EventContext = {}): PlannedNotification[] {
  const data = e.data ?? {};
  const base = { bookingId: e.bookingId };
  const driverId = str(data.driverId) ?? str(e.driverId ?? undefined);
  const byEvent = `bookingEvent:${eventId}`;
  const trip = (userId: string, template: string, key: string, extra: Record<string, string> = {}): PlannedNotification => ({
    userId,
    key,
    event: { template, category: "trip", data: { ...base, ...extra } },
  });
  const named: Record<string, string> = context.driverName ? { driverName: context.driverName } : {};

  const assigned = (): PlannedNotification[] =>
    driverId ? [trip(e.riderId, "driver_assigned", `booking:${e.bookingId}:assigned:${driverId}`, { driverId, ...named })] : [];

  const paymentFailed = (): PlannedNotification[] => [
    {
      userId: e.riderId,
      key: `booking:${e.bookingId}:payment_failed`,
      event: { template: "payment_failed", category: "payment", transactional: true, data: { ...base } },
    },
  ];

  const cancelled = (): PlannedNotification[] => {
    const by = str(data.by) ?? (e.actor === e.riderId ? "rider" : driverId && e.actor === driverId ? "driver" : "server");
    const cancelledBy = by === "rider" || by === "driver" ? by : "service";
    const recipients = by === "rider" ? [driverId] : by === "driver" ? [e.riderId] : [e.riderId, driverId];
    return recipients
      .filter((uid): uid is string => !!uid)
      .map((uid) => trip(uid, "booking_cancelled", `booking:${e.bookingId}:cancelled`, { cancelledBy }));
  };

  switch (e.type) {
    case "offer_sent": {
      const round = data.round === undefined ? "" : String(data.round);
      return stringList(data.driverIds).map((uid) => trip(uid, "offer_received", byEvent, round ? { round } : {}));
    }
    case "driver_assigned":
      return assigned();
    case "hire_extended":
      return driverId ? [trip(driverId, "hire_extended", byEvent, { hours: String(data.hours ?? "") })] : [];
    case "trip_changed":
      return driverId ? [trip(driverId, "trip_changed", byEvent, { routeVersion: String(data.routeVersion ?? "") })] : [];
    case "cancelled":
      return cancelled();
    case "payment": {
      const status = str(data.paymentStatus);
      if (status === "failed") return paymentFailed();
      if (status === "captured") {
        const amount =
          typeof data.amountMinor === "number" && str(data.currency) ? formatMoney(data.amountMinor, data.currency as string) : undefined;
        return [
          {
            userId: e.riderId,
            key: `booking:${e.bookingId}:receipt`,
            event: {
              template: "receipt",
              category: "payment",
              transactional: true,
              data: { ...base, ...(amount ? { amount } : {}), ...(context.receiptNumber ? { receiptNumber: context.receiptNumber } : {}) },
            },
          },
        ];
      }
      return [];
    }
    case "status_changed":
      if (e.previousStatus === e.status) return [];
      switch (e.status) {
        case "accepted":
          return assigned();
        case "arrived":
          return [trip(e.riderId, "driver_arrived", byEvent, named)];
        case "in_progress":
          return [trip(e.riderId, "trip_started", byEvent)];
        case "completed":
          return [trip(e.riderId, "trip_completed", byEvent)];
        case "no_drivers":
          return [trip(e.riderId, "no_drivers", byEvent)];
        case "cancelled":
          return cancelled();
        case "payment_failed":
          return paymentFailed();
        default:
          return [];
      }
    default:
      return [];
  }
}
