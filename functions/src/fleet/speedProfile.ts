// The city's hourly speed profile (admin setting citySpeedProfiles/{city}, edited in the console): how fast
// traffic moves in each local hour relative to the hour the travel matrix was measured in. The plan trigger
// times routes with it (time-dependent travel, routing/vrptw/travel.ts). Pure apart from the settings read.
import { z } from "zod";
import { MIN_SPEED_MULTIPLIER } from "../routing/vrptw/travel";

export const DEFAULT_CITY = "lisbon";

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** citySpeedProfiles/{city}: `hourly[h]` multiplies the free-flow speed in local hour h (0.5 = half speed). */
export const citySpeedProfileSchema = z.strictObject({
  hourly: z.array(z.number().min(MIN_SPEED_MULTIPLIER).max(10)).length(24),
  timeZone: z.string().max(64).refine(isTimeZone, "must be an IANA time zone, e.g. Europe/Lisbon"),
});
export type CitySpeedProfile = z.infer<typeof citySpeedProfileSchema>;

/** No document (or an invalid one): the same speed all day, i.e. the matrix's static times. */
export const FLAT_SPEED_PROFILE: CitySpeedProfile = { hourly: Array.from({ length: 24 }, () => 1), timeZone: "Europe/Lisbon" };

export const isFlat = (profile: CitySpeedProfile) => profile.hourly.every((m) => m === profile.hourly[0]);

/** Seconds into the local day (in `timeZone`) of the instant `epochMs`. */
export function secondsIntoLocalDay(epochMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" })
    .formatToParts(new Date(epochMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return (get("hour") % 24) * 3600 + get("minute") * 60 + get("second") + (epochMs % 1000) / 1000;
}
