// Pure role decisions (no Firebase imports, unit-tested).
import { ROLES, type Role } from "../common/schema";

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** The role a profile document grants: its `role` field, rider when absent. Undefined when the value is invalid. */
export function roleOfProfile(profile: { role?: unknown } | undefined): Role | undefined {
  const value = profile?.role ?? "rider";
  return isRole(value) ? value : undefined;
}

/** The role a set of custom claims grants (absent = rider; an unknown value also counts as rider). */
export function roleOfClaims(claims: Record<string, unknown> | undefined): Role {
  const value = claims?.role;
  return isRole(value) ? value : "rider";
}

/**
 * The custom claims to set so that the claim says `role`, keeping every other claim; undefined when nothing
 * needs to change (so a redelivered event neither rewrites the claims nor revokes tokens again).
 */
export function claimsForRole(claims: Record<string, unknown> | undefined, role: Role): Record<string, unknown> | undefined {
  const current = claims ?? {};
  if (current.role === role) return undefined;
  return { ...current, role };
}

/** Whether a token's `auth_time` (seconds) is recent enough for a sensitive action such as deleting the account. */
export function isRecentSignIn(authTimeSeconds: unknown, nowMs: number, maxAgeSeconds: number): boolean {
  return typeof authTimeSeconds === "number" && nowMs / 1000 - authTimeSeconds <= maxAgeSeconds;
}
