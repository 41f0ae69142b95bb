// Callable nearbyCars: the rider's before-booking view of the cars near a pickup (count bucket + ETA minutes).
// Reads the available drivers of the category per grid cell (snapshotLogic.ts), never returns where they are.
import { HttpsError } from "firebase-functions/v2/https";
import { db } from "../common/firebase";
import { consumeAllowance, type RateLimit } from "../common/rateLimit";
import { validate } from "../common/validation";
import { rangeOf } from "./geocells";
import { loadSettings } from "./refs";
import { driverLocationSchema, nearbyCarsInputSchema, type NearbyCarsOutput } from "./schema";
import { countBucket, etaMinutes, SNAPSHOT_CELL_LIMIT, snapshotBlock } from "./snapshotLogic";

export const NEARBY_CARS_RATE_LIMIT: RateLimit = { max: 12, windowMs: 60_000 };

export async function nearbyCars(uid: string | undefined, data: unknown): Promise<NearbyCarsOutput> {
  const input = validate(nearbyCarsInputSchema, data ?? {});
  if (!uid) throw new HttpsError("unauthenticated", "Sign in to see the cars nearby");
  await consumeAllowance("nearbyCars", uid, NEARBY_CARS_RATE_LIMIT, "snapshots");

  const { activeAreas } = await import("../areas/service");
  const { tripAreaProblem } = await import("../areas/geometry");
  const [settings, areas] = await Promise.all([loadSettings(input.categoryId), activeAreas(input.serviceType)]);
  if (tripAreaProblem(areas, { pickup: input.pickup, dropoff: input.pickup }, input.serviceType)) {
    return { cars: "0", etaMinutes: null, inServiceArea: false };
  }

  const freshAfter = Date.now() - settings.freshnessSeconds * 1000;
  const { center, cells } = snapshotBlock(input.pickup);
  const available = db().collection("driverLocations").where("status", "==", "available").where("categoryId", "==", input.categoryId);
  const counts = new Map<string, number>();
  await Promise.all(
    cells.map(async (cell) => {
      const { start, end } = rangeOf(cell);
      const snapshot = await available.where("geohash", ">=", start).where("geohash", "<", end).orderBy("geohash").limit(SNAPSHOT_CELL_LIMIT).get();
      const fresh = snapshot.docs.filter((doc) => {
        const location = driverLocationSchema.safeParse(doc.data());
        return location.success && doc.id !== uid && (location.data.updatedAt?.toMillis() ?? 0) >= freshAfter;
      });
      counts.set(cell, fresh.length);
    }),
  );
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return { cars: countBucket(total), etaMinutes: etaMinutes(center, counts, settings.speedMetersPerSecond), inServiceArea: true };
}
