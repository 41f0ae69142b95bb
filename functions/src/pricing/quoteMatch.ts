// Does a booking repeat its quote? Pure comparison (no Firebase), shared by checkQuoteForBooking and tests.
import type { LatLng, ServiceType } from "../common/schema";

export interface QuotedInputs {
  riderId: string;
  serviceType: ServiceType;
  categoryId: string;
  pickup: LatLng;
  dropoff: LatLng;
  stops: LatLng[];
  scheduledAt: { toMillis(): number } | null;
  parcelSizeClass: string | null;
  hours?: number | null;
  expiresAt: { toMillis(): number };
}

export interface BookedInputs extends Omit<QuotedInputs, "scheduledAt" | "parcelSizeClass" | "hours" | "expiresAt"> {
  scheduledAt: Date | null;
  parcelSizeClass?: string | null;
  hours?: number | null;
}

/** ~1 m: the booking must repeat the quoted coordinates, not re-geocode them. */
const SAME_POINT_DEGREES = 1e-5;
const samePoint = (a: LatLng, b: LatLng) => Math.abs(a.lat - b.lat) <= SAME_POINT_DEGREES && Math.abs(a.lng - b.lng) <= SAME_POINT_DEGREES;

/** Why a booking's inputs differ from its quote, or null when they match. */
export function quoteMismatch(quote: QuotedInputs, input: BookedInputs, nowMs: number): string | null {
  if (quote.riderId !== input.riderId) return "the quote belongs to another rider";
  if (quote.expiresAt.toMillis() <= nowMs) return "the quote has expired; ask for a new one";
  if (quote.serviceType !== input.serviceType) return "the service type differs from the quote";
  if (quote.categoryId !== input.categoryId) return "the vehicle category differs from the quote";
  if (!samePoint(quote.pickup, input.pickup)) return "the pickup differs from the quote";
  if (!samePoint(quote.dropoff, input.dropoff)) return "the dropoff differs from the quote";
  if (quote.stops.length !== input.stops.length || quote.stops.some((s, i) => !samePoint(s, input.stops[i]!))) {
    return "the stops differ from the quote";
  }
  const quotedAt = quote.scheduledAt?.toMillis() ?? null;
  const bookedAt = input.scheduledAt?.getTime() ?? null;
  if ((quotedAt === null) !== (bookedAt === null) || (quotedAt !== null && bookedAt !== null && Math.abs(quotedAt - bookedAt) >= 1000)) {
    return "the scheduled time differs from the quote";
  }
  if (quote.serviceType === "delivery" && input.parcelSizeClass != null && input.parcelSizeClass !== quote.parcelSizeClass) {
    return "the parcel size differs from the quote";
  }
  if ((quote.hours ?? null) !== (input.hours ?? null)) return "the hours booked differ from the quote";
  return null;
}

