// Saved places' slots (pure: the web client imports it). The ids bound a rider's saved places to 10 (firestore.rules).
export const SAVED_PLACE_IDS = ["home", "work", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"] as const;
