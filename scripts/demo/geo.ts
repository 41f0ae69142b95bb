// Straight-line geometry for the simulated drives (good enough at city scale).
export interface Point {
  lat: number;
  lng: number;
}

export function metersBetween(a: Point, b: Point): number {
  const x = (((a.lat + b.lat) / 2) * Math.PI) / 180;
  const dy = (b.lat - a.lat) * 111_195;
  const dx = (b.lng - a.lng) * 111_195 * Math.cos(x);
  return Math.hypot(dx, dy);
}

/** The point a `fraction` (0–1) of the way from `from` to `to`. */
export function towards(from: Point, to: Point, fraction: number): Point {
  return { lat: from.lat + (to.lat - from.lat) * fraction, lng: from.lng + (to.lng - from.lng) * fraction };
}

/** Compass heading in degrees (0–360) from `a` to `b`. */
export function headingBetween(a: Point, b: Point): number {
  const degrees = (Math.atan2((b.lng - a.lng) * Math.cos((a.lat * Math.PI) / 180), b.lat - a.lat) * 180) / Math.PI;
  return Math.round((degrees + 360) % 360);
}

export const km = (meters: number) => `${(meters / 1000).toFixed(1)} km`;
export const euros = (minor: number | null | undefined, currency = "eur") =>
  typeof minor === "number" ? `${currency === "eur" ? "€" : `${currency.toUpperCase()} `}${(minor / 100).toFixed(2)}` : "—";
