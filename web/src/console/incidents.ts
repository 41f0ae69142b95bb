// HOOK for open incidents (SOS), kept apart on purpose: the `incidents` collection is being added in parallel
// (issue 23's sibling work). Until it exists, or while the rules deny it, this listener reports nothing and
// the board shows no incident row. Assumed shape, read defensively: incidents/{id} {status: "open" | …,
// bookingId?, kind? | type?, createdAt?}. Adjust only this file when the collection lands.
import { collection, limit, query, where, type Firestore, type Query } from "firebase/firestore";
import { watchQuery, type Stop } from "../live";
import type { TimestampLike } from "./time";

export interface OpenIncident {
  id: string;
  bookingId: string | null;
  kind: string;
  createdAt: TimestampLike | null;
}

export const openIncidentsQuery = (db: Firestore): Query => query(collection(db, "incidents"), where("status", "==", "open"), limit(50));

export function watchOpenIncidents(db: Firestore, onChange: (incidents: OpenIncident[]) => void): Stop {
  return watchQuery(
    openIncidentsQuery(db),
    (snap) =>
      onChange(
        snap.docs.map((d) => ({
          id: d.id,
          bookingId: typeof d.get("bookingId") === "string" ? d.get("bookingId") : null,
          kind: String(d.get("kind") ?? d.get("type") ?? "incident"),
          createdAt: d.get("createdAt") ?? null,
        })),
      ),
    // No collection or no rule yet: nothing to show (the listener retries quietly).
    () => onChange([]),
    60_000,
  );
}
