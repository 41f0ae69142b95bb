// The bookings the board and the map share: in flight, and unserved in the last 24 hours; one pair of
// listeners for both tabs.
import type { Firestore, QuerySnapshot } from "firebase/firestore";
import { watchQuery, type Stop } from "../live";
import type { BoardBooking } from "./boardLogic";
import { consoleQueries } from "./queries";

export class BookingsFeed {
  private inFlight: BoardBooking[] = [];
  private unserved: BoardBooking[] = [];
  private listeners = new Set<(bookings: BoardBooking[]) => void>();
  private stops: Stop[];

  constructor(db: Firestore) {
    const rows = (snap: QuerySnapshot): BoardBooking[] => snap.docs.map((d) => ({ id: d.id, ...(d.data({ serverTimestamps: "estimate" }) as Omit<BoardBooking, "id">) }));
    this.stops = [
      watchQuery(consoleQueries.inFlight(db), (snap) => {
        this.inFlight = rows(snap);
        this.emit();
      }),
      watchQuery(consoleQueries.unserved(db, Date.now()), (snap) => {
        this.unserved = rows(snap);
        this.emit();
      }),
    ];
  }

  get all(): BoardBooking[] {
    return [...this.inFlight, ...this.unserved];
  }

  subscribe(listener: (bookings: BoardBooking[]) => void): Stop {
    this.listeners.add(listener);
    listener(this.all);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    const all = this.all;
    this.listeners.forEach((l) => l(all));
  }

  stop(): void {
    this.stops.forEach((s) => s());
    this.listeners.clear();
  }
}
