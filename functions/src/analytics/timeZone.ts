import { businessTimeZone } from "../common/config";

/** The business time zone (param BUSINESS_TIME_ZONE); Europe/Lisbon when unset, e.g. in tests calling services. */
export function timeZone(): string {
  return businessTimeZone.value() || "Europe/Lisbon";
}
