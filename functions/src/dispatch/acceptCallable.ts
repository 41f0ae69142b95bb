// Callable acceptOffer({bookingId}): the driver's accept, answered in the same round trip (docs/dispatch.md).
// Validation first, then the caller's role and offer; the transaction (answers.ts) decides assigned or taken.
import { HttpsError, type CallableRequest } from "firebase-functions/v2/https";
import { validate } from "../common/validation";
import { acceptOffer as accept } from "./answers";
import { offerRef } from "./refs";
import { acceptOfferInputSchema, type AcceptOfferOutput } from "./schema";

type Request = Pick<CallableRequest, "auth" | "data">;

export async function acceptOffer(request: Request): Promise<AcceptOfferOutput> {
  const input = validate(acceptOfferInputSchema, request.data);
  if (!request.auth) throw new HttpsError("unauthenticated", "Sign in first.");
  if (request.auth.token.role !== "driver") throw new HttpsError("permission-denied", "Only drivers accept offers.");
  const uid = request.auth.uid;
  if (!(await offerRef(input.bookingId, uid).get()).exists) {
    throw new HttpsError("not-found", `No offer of booking ${input.bookingId} for you.`, { issues: [{ path: "bookingId", message: "has no offer for the caller" }] });
  }
  const outcome = await accept(input.bookingId, uid, "callable");
  if (outcome === "assigned" || outcome === "taken" || outcome === "expired" || outcome === "unavailable") return { outcome };
  return { outcome: "taken" };
}
