// One trip of the day, from the quote to the ratings, each step a line of progress. The rider and driver
// apps do what their users do; the Admin SDK only reads the final state for the summary.
import { doc, getDoc, serverTimestamp, updateDoc, type DocumentData } from "firebase/firestore";
import { ref as storageRef, uploadBytes } from "firebase/storage";
import { anonymousClient } from "../../test/helpers/clients";
import { deliveryCodeSmsPath } from "../../functions/src/bookings/deliveryProof";
import { PIN_MAX_ATTEMPTS } from "../../functions/src/bookings/policy";
import { adminDb, waitFor } from "../../test/helpers/admin";
import type { DriverApp, TrackPoint } from "./driverApp";
import { euros, km, metersBetween, type Point } from "./geo";
import { sleep, type Pace } from "./pace";
import type { Say } from "./progress";
import { rateTrip, seesChat, sendChat, type RiderApp, type TripRequest } from "./riderApp";

export interface TripSpec {
  n: number;
  riderId: string;
  request: Omit<TripRequest, "scheduledAt">;
  /** Pickup lead-time + pace.scheduledStartInSeconds ahead: it waits as `scheduled`, then is dispatched. */
  scheduled?: boolean;
  places: { pickup: string; dropoff: string; stops?: string[] };
  chat: { driver: string; rider: string };
  /** On board, the rider changes the destination (re-priced by the server, confirmed by the rider). */
  change?: { dropoff: Point; name: string };
  /** hourly only: on board, the rider extends the hire to this many hours in all. */
  extendTo?: number;
  /** Once assigned, the rider shares the trip with a contact who has no account. */
  share?: boolean;
  /** After rating, the rider tips the driver this much from the receipt. */
  tipMinor?: number;
}

/** A tip as the demo saw it end: tips/{bookingId}, the driver's ledger entry and its transfer. */
export interface TipOutcome {
  amountMinor: number;
  status: string | null;
  receiptNumber: string | null;
  /** earnings/{driver}/entries/tip-{bookingId}.amountMinor */
  entryMinor: number | null;
  /** earnings/{driver}/transfers/tip-{bookingId}.status */
  transfer: string | null;
}

export interface TripOutcome {
  label: string;
  trip: string;
  /** As in the table, e.g. "scheduled ride". */
  service: string;
  serviceType: string;
  paymentMethod: string;
  bookingId: string | null;
  status: string;
  driver: string | null;
  fareMinor: number | null;
  currency: string;
  paymentStatus: string | null;
  receiptNumber: string | null;
  notifications: number;
  chatMessages: number;
  ratings: number;
  tip: TipOutcome | null;
  ok: boolean;
  problem: string | null;
}

export interface TripContext {
  pace: Pace;
  leadMinutes: number;
  riders: Map<string, RiderApp>;
  drivers: Map<string, DriverApp>;
  /** Tells the driver apps that offers for this booking belong to the demo, and where to report them. */
  register(bookingId: string, say: Say): void;
  unregister(bookingId: string): void;
  /** Resolves once a first booking of the run has been confirmed (the booking triggers are warm). */
  firstConfirmation: Promise<void>;
  confirmed(): void;
  forTrip(label: string): Say;
}

/** "ride", "delivery", "scheduled ride", "ride multi-stop". */
export function serviceOf(spec: TripSpec): string {
  return `${spec.scheduled ? "scheduled " : ""}${spec.request.serviceType}${spec.request.stops.length ? " multi-stop" : ""}`;
}

export function tripLabel(spec: TripSpec): string {
  return `trip ${spec.n} ${serviceOf(spec)}/${spec.request.paymentMethod}`;
}

const clock = (date: Date) => date.toLocaleTimeString("en-GB", { timeZone: "Europe/Lisbon" });
const firstName = (name: string) => name.split(" ")[0]!;

/** A recorded path along the legs, with fix times spread over the route's duration (the demo's clock runs fast). */
/** The path as the app recorded it while driving: fixes spread over the trip's real time, startedAt → now. */
function recordedPath(path: Point[], startedAtMs: number): TrackPoint[] {
  const points: Point[] = [path[0]!];
  path.slice(1).forEach((to, leg) => {
    const from = path[leg]!;
    for (let i = 1; i <= 10; i++) points.push({ lat: from.lat + ((to.lat - from.lat) * i) / 10, lng: from.lng + ((to.lng - from.lng) * i) / 10 });
  });
  const step = Math.max(1, Math.floor((Date.now() - startedAtMs) / (points.length - 1)));
  return points.map((p, i) => ({ ...p, t: startedAtMs + i * step }));
}

export async function runTrip(spec: TripSpec, ctx: TripContext): Promise<TripOutcome> {
  const label = tripLabel(spec);
  const say = ctx.forTrip(label);
  const { request, places, pace } = { ...spec, pace: ctx.pace };
  const rider = ctx.riders.get(spec.riderId)!;
  let bookingId: string | null = null;
  let driver: DriverApp | undefined;
  let problem: string | null = null;
  const pause = () => sleep(pace.pauseMs);
  try {
    // Later in the morning: the scheduled ride is booked once the first bookings are confirmed, so that a cold
    // confirmation trigger cannot delay it past its dispatch start (it would then be dispatched at once).
    if (spec.scheduled) await Promise.race([ctx.firstConfirmation, sleep(90_000)]);
    // A scheduled pickup just past the lead time. On a loaded machine the quote or the confirmation may take
    // longer than that margin: the booking is then dispatched at once (correctly) instead of waiting as
    // `scheduled`. The rider then cancels it (free while searching) and books again twice as far ahead.
    let booking: DocumentData | undefined;
    let id = "";
    for (let attempt = 1; !booking; attempt++) {
      const margin = pace.scheduledStartInSeconds * attempt;
      const pickupAt = () => (spec.scheduled ? new Date(Date.now() + (ctx.leadMinutes * 60 + margin) * 1000) : undefined);
      let scheduledAt = pickupAt();
      let trip: TripRequest = { ...request, ...(scheduledAt ? { scheduledAt } : {}) };
      let quote = await rider.quote(trip);
      if (scheduledAt && scheduledAt.getTime() - ctx.leadMinutes * 60_000 - Date.now() < margin * 500) {
        scheduledAt = pickupAt()!;
        trip = { ...request, scheduledAt };
        quote = await rider.quote(trip);
      }
      const via = places.stops?.length ? ` via ${places.stops.join(", ")}` : "";
      say(`${rider.name} asks for a quote, ${places.pickup} → ${places.dropoff}${via} (${request.categoryId}${scheduledAt ? `, pickup at ${clock(scheduledAt)}` : ""}): ${euros(quote.amountMinor, quote.currency)} for ${km(quote.distanceMeters)}`);
      bookingId = id = await rider.book(trip, quote.quoteId);
      ctx.register(id, say);
      say(`booked (bookings/${id}), paying by ${request.paymentMethod}`);
      const confirmed = await rider.until(id, (b) => b.status !== "requested", "the booking to be confirmed");
      ctx.confirmed();
      if (!spec.scheduled || confirmed.status === "scheduled" || attempt === 3) {
        booking = confirmed;
        break;
      }
      ctx.unregister(id);
      await rider.cancel(id, "booked_by_mistake");
      say(`confirmed only after its ${margin} s margin, so dispatched at once (${confirmed.status}): ${firstName(rider.name)} cancels it (free) and books again further ahead`);
      for (const app of ctx.drivers.values()) app.releaseIf(id);
    }

    if (spec.scheduled) {
      if (booking.status !== "scheduled") throw new Error(`expected the booking to be scheduled, it is ${booking.status}`);
      const startAt = new Date(booking.scheduledAt.toMillis() - ctx.leadMinutes * 60_000);
      say(`scheduled: dispatch starts ${ctx.leadMinutes} min before the pickup, at ${clock(startAt)} (a Cloud Task)`);
      booking = await rider.until(id, (b) => b.status !== "scheduled", "the scheduled start", 240_000);
      say(`lead time reached: the Cloud Task moved the booking to ${booking.status}`);
    }
    if (request.paymentMethod === "card") {
      const intentId = await rider.payByCard(id);
      say(`card confirmed on Stripe (${intentId}): authorised`);
    }
    booking = await rider.until(id, (b) => b.status !== "awaiting_payment", "the card authorisation");
    if (booking.status === "searching") say("searching for a driver");
    booking = await rider.until(id, (b) => b.status === "accepted" && !!b.driverSummary, "a driver", 180_000);
    driver = ctx.drivers.get(booking.driverId);
    if (!driver) throw new Error(`assigned to ${booking.driverId}, who is not a demo driver`);
    // The rider's app shows tracking's ETA once computed; until then the estimate dispatch made for the offer.
    const eta: number | undefined = (await waitFor(() => rider.booking(id), (b) => typeof b?.eta?.pickupSeconds === "number", { timeoutMs: 3_000, intervalMs: 500 }).catch(() => booking))?.eta?.pickupSeconds ?? driver.offerEtaSeconds(id);
    const car = booking.driverSummary.vehicle;
    say(`assigned to ${booking.driverSummary.displayName}${car ? `, ${car.color} ${car.make} ${car.model} ${car.plate}` : ""} (eta ${typeof eta === "number" ? `${Math.max(1, Math.round(eta / 60))} min` : "pending"})`);
    const shared = spec.share ? await shareWithContact(rider, id, say) : undefined;
    await pause();

    // The trip chat opens on assignment.
    const chatRef = doc(driver.user.db, "chats", id);
    await waitFor(async () => (await getDoc(chatRef).catch(() => undefined))?.get("participants") as string[] | undefined, (p) => !!p?.includes(rider.uid), { timeoutMs: 30_000, intervalMs: 400, what: "the trip chat" });
    await sendChat(driver.user, id, spec.chat.driver);
    await seesChat(rider.user, id, spec.chat.driver);
    say(`chat ${firstName(driver.name)} → ${firstName(rider.name)}: "${spec.chat.driver}"`);
    await sendChat(rider.user, id, spec.chat.rider);
    await seesChat(driver.user, id, spec.chat.rider);
    say(`chat ${firstName(rider.name)} → ${firstName(driver.name)}: "${spec.chat.rider}"`);

    const distance = driver.distanceTo(request.pickup);
    const steps = (await driver.driveTo(request.pickup)).length;
    await driver.setStatus(id, "arrived");
    await rider.until(id, (b) => b.status === "arrived", "arrived");
    say(`${driver.name} drove ${km(distance)} in ${steps} position reports and arrived at ${places.pickup} (${Math.round(driver.distanceTo(request.pickup))} m from the pickup)`);
    await pause();

    const pin = await rider.readPin(id);
    say(`${firstName(rider.name)} reads the boarding PIN (only the rider can) and tells ${firstName(driver.name)}: ${pin}`);
    await driver.startWithPin(id, pin);
    booking = await rider.until(id, (b) => b.status === "in_progress", "the trip to start");
    const startedAtMs = Date.now();
    say(`started with the PIN (guess ${String(booking.pinAttempts ?? "?")} of ${PIN_MAX_ATTEMPTS}, counted by the rules): in_progress`);
    let dropoff = request.dropoff;
    let dropoffName = places.dropoff;
    if (spec.change) {
      const changed = await rider.changeDestination(id, spec.change.dropoff, request.stops);
      dropoff = spec.change.dropoff;
      dropoffName = spec.change.name;
      say(`${firstName(rider.name)} changes the destination to ${spec.change.name}: new price ${euros(changed.estimateMinor, changed.currency)} (was ${euros(changed.previousEstimateMinor, changed.currency)}), confirmed${changed.hold ? `; card hold ${changed.hold}` : ""}; ${firstName(driver.name)} sees the new route`);
    }
    if (spec.extendTo) {
      const extended = await rider.extendHire(id, spec.extendTo);
      say(`${firstName(rider.name)} extends the hire to ${extended.hours} h: ${euros(extended.estimateMinor, extended.currency)} (hold ${extended.hold})`);
    }

    const order: number[] = booking.route?.stopOrder?.length === request.stops.length ? booking.route.stopOrder : request.stops.map((_, i) => i);
    const path: Point[] = [request.pickup];
    for (const [k, index] of order.entries()) {
      await driver.driveTo(request.stops[index]!);
      path.push(request.stops[index]!);
      say(`stop ${k + 1} of ${order.length}: ${places.stops?.[index] ?? `stop ${index + 1}`} (the optimiser's order: ${order.map((i) => i + 1).join(", ")})`);
      await pause();
    }
    await driver.driveTo(dropoff);
    path.push(dropoff);
    await driver.uploadTrack(id, recordedPath(path, startedAtMs));
    const handedTo = booking.proofRequired ? await proveDelivery(driver, request, id, booking.proofRequired, say) : undefined;
    await driver.setStatus(id, "completed", handedTo ? { receivedBy: handedTo } : {});
    booking = await rider.until(id, (b) => b.status === "completed" && typeof b.fare?.finalMinor === "number", "the final fare");
    driver.release();
    if (shared) await shared.endsWithTheTrip();
    say(`completed at ${dropoffName} (${Math.round(metersBetween(driver.position, dropoff))} m from the drop-off): final fare ${euros(booking.fare.finalMinor, booking.fare.currency)}`);

    if (request.paymentMethod === "cash") {
      await driver.user.call("confirmCashCollected", { bookingId: id });
      say(`${driver.name} collects ${euros(booking.fare.finalMinor, booking.fare.currency)} in cash and confirms it`);
    }
    const receipt = await waitFor(async () => (await adminDb().doc(`receipts/${id}`).get()).data(), Boolean, { timeoutMs: 60_000, intervalMs: 500, what: "the receipt" });
    const payment = (await adminDb().doc(`payments/${id}`).get()).data();
    say(`payment ${payment?.status ?? "?"} (${euros(payment?.amountCapturedMinor, payment?.currency)}), receipt ${receipt!.number} issued`);

    await rateTrip(rider.user, id, 5, `Thanks, ${firstName(driver.name)}!`);
    await rateTrip(driver.user, id, 5, "Pleasant trip");
    say(`rated: ${firstName(rider.name)} gives ${firstName(driver.name)} ★★★★★, ${firstName(driver.name)} gives ${firstName(rider.name)} ★★★★★`);
    // The rider's inbox records the trip's end (notifications react to the audit trail).
    await waitFor(() => inboxTemplates(rider.uid, id), (t) => t.includes("trip_completed"), { timeoutMs: 30_000, intervalMs: 500, what: "the trip_completed notification" });
    if (spec.tipMinor) await tipFromReceipt(rider, driver, id, spec.tipMinor, say);
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
    driver?.release();
    say(`FAILED: ${problem}`);
  }
  return outcomeOf(spec, label, bookingId, driver, problem);
}

/** The rider tips from the receipt; the whole tip reaches the driver's ledger and their Stripe account. */
async function tipFromReceipt(rider: RiderApp, driver: DriverApp, bookingId: string, amountMinor: number, say: Say): Promise<void> {
  const tip = await rider.tip(bookingId, amountMinor);
  if (tip.status !== "succeeded") throw new Error(`the tip ended ${tip.status}`);
  say(`${firstName(rider.name)} tips ${firstName(driver.name)} ${euros(tip.amountMinor, tip.currency)} from the receipt: charged off-session on the trip's card, tip receipt ${tip.receiptNumberText}`);
  const entry = `earnings/${driver.uid}/entries/tip-${bookingId}`;
  await waitFor(async () => (await adminDb().doc(entry).get()).get("amountMinor"), (minor) => minor === amountMinor, { timeoutMs: 60_000, intervalMs: 500, what: "the tip in the driver's ledger" });
  const record = await waitFor(async () => (await adminDb().doc(`earnings/${driver.uid}/transfers/tip-${bookingId}`).get()).data(), (d) => d?.status === "transferred" || d?.status === "netted", {
    timeoutMs: 60_000,
    intervalMs: 500,
    what: "the tip's transfer",
  });
  // A cash commission the driver still owes is netted first (the ledger keeps the whole tip either way).
  const sent = record!.status === "transferred" ? `is transferred to the Stripe account (${record!.transferId}, ${euros(record!.amountMinor)})` : "settles a cash commission the driver owed";
  say(`the tip reaches ${firstName(driver.name)}'s ledger in full (${euros(amountMinor, tip.currency)}) and ${sent}`);
}

async function tipOf(spec: TripSpec, bookingId: string | null, driverId: string | undefined): Promise<TipOutcome | null> {
  if (!spec.tipMinor || !bookingId) return null;
  const db = adminDb();
  const tip = (await db.doc(`tips/${bookingId}`).get()).data();
  const receipt = (await db.doc(`receipts/tip-${bookingId}`).get()).data();
  const entry = driverId ? (await db.doc(`earnings/${driverId}/entries/tip-${bookingId}`).get()).data() : undefined;
  const transfer = driverId ? (await db.doc(`earnings/${driverId}/transfers/tip-${bookingId}`).get()).data() : undefined;
  return {
    amountMinor: spec.tipMinor,
    status: tip?.status ?? null,
    receiptNumber: receipt?.number === undefined ? null : String(receipt.number),
    entryMinor: typeof entry?.amountMinor === "number" ? entry.amountMinor : null,
    transfer: transfer?.status ?? null,
  };
}

async function inboxTemplates(uid: string, bookingId: string): Promise<string[]> {
  const snap = await adminDb().collection(`users/${uid}/notifications`).where("data.bookingId", "==", bookingId).get();
  return snap.docs.map((d) => d.get("template") as string);
}

/** The final state, read with the Admin SDK (as an admin would in the console). */
async function outcomeOf(spec: TripSpec, label: string, bookingId: string | null, driver: DriverApp | undefined, problem: string | null): Promise<TripOutcome> {
  const db = adminDb();
  const read = async (path: string): Promise<DocumentData | undefined> => (bookingId ? (await db.doc(path).get()).data() : undefined);
  const booking = await read(`bookings/${bookingId}`);
  const payment = await read(`payments/${bookingId}`);
  const receipt = await read(`receipts/${bookingId}`);
  const participants = [spec.riderId, booking?.driverId].filter((uid): uid is string => typeof uid === "string");
  const notifications = bookingId ? (await Promise.all(participants.map((uid) => inboxTemplates(uid, bookingId)))).flat().length : 0;
  const chatMessages = bookingId ? (await db.collection(`chats/${bookingId}/messages`).count().get()).data().count : 0;
  const ratings = bookingId ? (await db.collection(`bookings/${bookingId}/ratings`).count().get()).data().count : 0;
  const outcome: TripOutcome = {
    label,
    trip: `trip ${spec.n}`,
    service: serviceOf(spec),
    serviceType: spec.request.serviceType,
    paymentMethod: spec.request.paymentMethod,
    bookingId,
    status: booking?.status ?? "not booked",
    driver: driver?.name ?? null,
    fareMinor: typeof booking?.fare?.finalMinor === "number" ? booking.fare.finalMinor : null,
    currency: booking?.fare?.currency ?? "eur",
    paymentStatus: payment?.status ?? booking?.payment?.status ?? null,
    receiptNumber: receipt?.number === undefined ? null : String(receipt.number),
    notifications,
    chatMessages,
    ratings,
    tip: await tipOf(spec, bookingId, booking?.driverId),
    ok: false,
    problem,
  };
  const tipped = !outcome.tip || (outcome.tip.status === "succeeded" && outcome.tip.entryMinor === outcome.tip.amountMinor && (outcome.tip.transfer === "transferred" || outcome.tip.transfer === "netted"));
  const expected = tipped && outcome.status === "completed" && outcome.fareMinor !== null && outcome.paymentStatus === "captured" && outcome.receiptNumber !== null && outcome.ratings === 2 && outcome.chatMessages >= 2 && outcome.notifications > 0;
  outcome.ok = expected && !problem;
  if (!outcome.ok && !outcome.problem) outcome.problem = "not in the expected final state (completed, captured, receipt, 2 ratings, chat, notifications, the tip paid)";
  return outcome;
}

/** A small JPEG (header, JFIF marker, end): what the server's upload check accepts as a photo. */
const DOOR_PHOTO = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0xff, 0xd9]);

/**
 * At the door, what the parcel class asks (bookings.proofRequired): a photo (uploaded, verified by the server),
 * the recipient's code (texted to the recipient at pickup; the recipient reads it out), the name of who took it.
 */
async function proveDelivery(driver: DriverApp, request: TripSpec["request"], id: string, required: { photo?: boolean; recipientCode?: boolean; recipientName?: boolean }, say: Say): Promise<string | undefined> {
  if (required.photo) {
    await uploadBytes(storageRef(driver.user.storage, `deliveries/${id}/door.jpg`), DOOR_PHOTO, { contentType: "image/jpeg" });
    await waitFor(async () => (await getDoc(doc(driver.user.db, "bookings", id))).get("proof.photo"), Boolean, { timeoutMs: 60_000, intervalMs: 500, what: "the photo verified" });
    say(`${driver.name} photographs the parcel at the door: the server checks the upload is a real image`);
  }
  if (required.recipientCode && request.recipient) {
    // This delivery's SMS (one per booking): the recipient also has the texts of earlier runs' parcels.
    const sms = await waitFor(
      async () => (await adminDb().doc(deliveryCodeSmsPath(id)).get()).data(),
      (m) => m?.to === request.recipient!.phoneNumber && /\d{6}/.test(String(m?.body)),
      { timeoutMs: 60_000, intervalMs: 500, what: "the recipient's code SMS" },
    );
    const code = /(\d{6})/.exec(String(sms!.body))![1]!;
    await updateDoc(doc(driver.user.db, "bookings", id), { deliveryCodeAttempt: code, deliveryCodeAttempts: 1, deliveryCodeAttemptAt: serverTimestamp() });
    await waitFor(async () => (await getDoc(doc(driver.user.db, "bookings", id))).get("proof.code"), Boolean, { timeoutMs: 60_000, intervalMs: 500, what: "the code verified" });
    say(`${firstName(request.recipient.name)} reads out the code texted at pickup; ${firstName(driver.name)} enters it: verified (1 of the 5 guesses)`);
  }
  return required.recipientName ? request.recipient?.name ?? "the recipient" : undefined;
}

/** The rider shares the trip; a contact without an account opens the link and follows it until the trip ends. */
async function shareWithContact(rider: RiderApp, bookingId: string, say: Say): Promise<{ endsWithTheTrip(): Promise<void> }> {
  const { token } = await rider.user.call<unknown, { token: string }>("createTripShare", { bookingId });
  const contact = await anonymousClient();
  const view = await waitFor(async () => (await getDoc(doc(contact.db, "tripShares", token))).data(), (v) => !!v?.driver, { timeoutMs: 60_000, intervalMs: 500, what: "the shared view" });
  say(`${firstName(rider.name)} shares the trip; a contact with no account opens the link: ${view!.driver.firstName}, ${view!.driver.vehicle} ${view!.driver.plate}, ${view!.status}`);
  return {
    endsWithTheTrip: async () => {
      await waitFor(async () => (await getDoc(doc(contact.db, "tripShares", token))).exists(), (exists) => !exists, { timeoutMs: 60_000, intervalMs: 500, what: "the shared view to end" });
      say("the trip ended: the shared link shows nothing any more");
      await contact.close();
    },
  };
}
