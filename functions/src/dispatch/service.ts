// Dispatch rounds: a booking entering `searching` starts an attempt; each round offers the booking to the best
// drivers not yet asked and sets a Cloud Task for when the offers expire; rounds run out into `no_drivers`.
// Every step re-checks the job state inside a transaction, so replays and concurrent timers change nothing.
import type { Transaction } from "firebase-admin/firestore";
import { db, fieldValue, timestamp } from "../common/firebase";
import { processOnce } from "../common/idempotency";
import * as logger from "../common/logger";
import { attemptExclusions, roundExclusions } from "./eligibility";
import { findCandidates, verifyShortlist, type ServesTrip } from "./matching";
import { isAnswerInFlight, nextStep } from "./ranking";
import { bookingForDispatchSchema, dispatchJobSchema, type BookingForDispatch, type DispatchJob, type RoundTimer } from "./schema";
import { writeAuditEvent } from "../common/auditTrail";
import { writeTransition } from "../bookings/transition";
import { bookingRef, createOffer, jobRef, loadSettings, offersOf, pendingOffersIn, resolveOffer } from "./refs";
import { enqueueRoundTimer } from "./tasks";

export interface StatusSnapshot {
  status?: unknown;
  driverId?: unknown;
}

export type WriteOutcome = "started" | "stopped" | "ignored" | "duplicate";

function parseBooking(data: unknown): BookingForDispatch | null {
  const parsed = bookingForDispatchSchema.safeParse(data);
  return parsed.success ? parsed.data : null;
}

function parseJob(data: unknown): DispatchJob | null {
  if (data === undefined) return null;
  return dispatchJobSchema.parse(data);
}

/** Entry point of the bookings/{bookingId} write trigger. */
export async function handleBookingWrite(
  bookingId: string,
  eventId: string,
  before: StatusSnapshot | null,
  after: StatusSnapshot | null,
): Promise<WriteOutcome> {
  const entered = after?.status === "searching" && before?.status !== "searching";
  const left = before?.status === "searching" && after?.status !== "searching";
  if (entered) {
    const cancelledBy = before?.status === "accepted" && typeof before.driverId === "string" ? before.driverId : null;
    const outcome = await processOnce("dispatch-start", eventId, (tx) => claimAttempt(tx, bookingId, cancelledBy), `bookings/${bookingId}`);
    if (!outcome.processed) {
      await resumeIfStalled(bookingId);
      return "duplicate";
    }
    if (!outcome.result) return "ignored";
    await startFirstRound(bookingId, outcome.result.attempt);
    return "started";
  }
  if (left) {
    const outcome = await processOnce("dispatch-stop", eventId, (tx) => stopJob(tx, bookingId, String(after?.status ?? "deleted")));
    return outcome.processed ? "stopped" : "duplicate";
  }
  return "ignored";
}

async function claimAttempt(tx: Transaction, bookingId: string, cancelledBy: string | null): Promise<{ attempt: number } | null> {
  const [bookingSnap, jobSnap] = await tx.getAll(bookingRef(bookingId), jobRef(bookingId));
  const booking = parseBooking(bookingSnap!.data());
  if (!booking) {
    logger.warn("booking unusable for dispatch", { bookingId });
    return null;
  }
  if (booking.status !== "searching") return null;
  const job = parseJob(jobSnap!.data());
  if (job?.status === "searching") return null; // an attempt is already running
  const attempt = (job?.attempt ?? 0) + 1;
  const excluded = attemptExclusions({ jobExcluded: job?.excluded, previousDriverIds: booking.previousDriverIds, cancelledBy });
  tx.set(jobRef(bookingId), {
    bookingId,
    status: "searching",
    attempt,
    round: 0,
    offeredTo: [],
    excluded,
    startedAt: fieldValue().serverTimestamp(),
    roundExpiresAt: null,
    driverId: null,
    lastMatch: null,
    updatedAt: fieldValue().serverTimestamp(),
  });
  return { attempt };
}

/**
 * Round 1 runs in the round-timer task queue, not in the booking trigger: matching reads tens of queries, and the
 * trigger of a document path is one queue (the emulator delivers its events one at a time), so the search for one
 * booking must not hold up the confirmation and completion of the others. The task id makes it once per attempt.
 */
async function startFirstRound(bookingId: string, attempt: number): Promise<void> {
  await enqueueRoundTimer({ bookingId, attempt, round: 0, dueAtMillis: Date.now() });
}

/** A replayed start finds the attempt claimed; if the crash came before round 1 was queued, it queues it now. */
async function resumeIfStalled(bookingId: string): Promise<void> {
  const job = parseJob((await jobRef(bookingId).get()).data());
  if (job?.status === "searching" && job.round === 0) await startFirstRound(bookingId, job.attempt);
}

async function stopJob(tx: Transaction, bookingId: string, newStatus: string): Promise<void> {
  const jobSnap = await tx.get(jobRef(bookingId));
  const job = parseJob(jobSnap.data());
  if (job?.status !== "searching") return; // assigned or no_drivers by dispatch itself
  const pending = await pendingOffersIn(tx, bookingId, job.offeredTo);
  for (const offer of pending) {
    resolveOffer(tx, offer.ref, { status: "expired", reason: `booking_${newStatus}` });
  }
  tx.update(jobRef(bookingId), { status: "stopped", updatedAt: fieldValue().serverTimestamp() });
}

const stillRunning = (job: DispatchJob | null, attempt: number, round: number): job is DispatchJob =>
  job !== null && job.status === "searching" && job.attempt === attempt && job.round === round;

/**
 * Runs round `fromRound + 1` of `attempt`, unless the job moved on meanwhile. Matching runs outside the
 * transaction (queries are not locked); the transaction then claims the round, so two callers cannot both
 * send offers for it.
 */
export async function runRound(bookingId: string, attempt: number, fromRound: number): Promise<void> {
  const [jobSnap, bookingSnap] = await db().getAll(jobRef(bookingId), bookingRef(bookingId));
  const job = parseJob(jobSnap!.data());
  const booking = parseBooking(bookingSnap!.data());
  if (!stillRunning(job, attempt, fromRound) || booking?.status !== "searching") return;

  const settings = await loadSettings(booking.categoryId);
  if (nextStep(fromRound, job.startedAt.toMillis(), Date.now(), settings) === "no_drivers") {
    await finishNoDrivers(bookingId, attempt, fromRound);
    return;
  }
  const servesTrip = await tripAreaFilter(booking);
  const match = await findCandidates({
    pickup: booking.pickup,
    categoryId: booking.categoryId,
    exclude: roundExclusions(job, booking.riderId),
    settings,
    servesTrip,
  });
  const { chosen, reads } = await verifyShortlist(match.ranked, settings.offersPerRound, booking.categoryId, servesTrip);
  const round = fromRound + 1;
  const expiresAt = timestamp().fromMillis(Date.now() + settings.offerTtlSeconds * 1000);

  const committed = await db().runTransaction(async (tx) => {
    const [j, b] = await tx.getAll(jobRef(bookingId), bookingRef(bookingId));
    const current = parseJob(j!.data());
    if (!stillRunning(current, attempt, fromRound) || parseBooking(b!.data())?.status !== "searching") return false;
    const driverIds = chosen.map((c) => c.driverId);
    for (const candidate of chosen) {
      createOffer(tx, bookingId, candidate.driverId, {
        driverId: candidate.driverId,
        bookingId,
        status: "pending",
        attempt,
        round,
        expiresAt,
        createdAt: fieldValue().serverTimestamp(),
        pickup: booking.pickup,
        distanceMeters: candidate.distanceMeters,
        etaSeconds: candidate.etaSeconds,
        categoryId: booking.categoryId,
        ...(booking.serviceType ? { serviceType: booking.serviceType } : {}),
      });
    }
    tx.update(jobRef(bookingId), {
      round,
      offeredTo: [...current.offeredTo, ...driverIds],
      roundExpiresAt: expiresAt,
      lastMatch: { ...match.stats, candidates: match.ranked.length, verifyReads: reads },
      updatedAt: fieldValue().serverTimestamp(),
    });
    if (driverIds.length) {
      writeAuditEvent(tx, bookingId, `dispatch-a${attempt}-r${round}`, {
        type: "offer_sent",
        riderId: booking.riderId,
        status: "searching",
        actor: "server",
        data: { driverIds, round, attempt },
      });
    }
    return true;
  });
  if (!committed) return;
  logger.info("dispatch round", { bookingId, attempt, round, offered: chosen.length, ...match.stats });
  await enqueueRoundTimer({ bookingId, attempt, round, dueAtMillis: expiresAt.toMillis() });
}

/** The service-area check of this booking's drivers; undefined when its service type has no areas (everyone serves). */
async function tripAreaFilter(booking: BookingForDispatch): Promise<ServesTrip | undefined> {
  const [{ activeAreas }, { driverServesTrip }] = await Promise.all([import("../areas/service"), import("../areas/geometry")]);
  const areas = await activeAreas(booking.serviceType ?? "ride");
  if (!areas.length) return undefined;
  const trip = { pickup: booking.pickup, dropoff: booking.dropoff ?? booking.pickup, stops: booking.stops ?? [] };
  return (position, areaIds) => driverServesTrip(areas, position, areaIds, trip);
}

async function finishNoDrivers(bookingId: string, attempt: number, rounds: number): Promise<void> {
  await db().runTransaction(async (tx) => {
    const [j, b] = await tx.getAll(jobRef(bookingId), bookingRef(bookingId));
    const booking = parseBooking(b!.data());
    const job = parseJob(j!.data());
    if (!stillRunning(job, attempt, rounds) || booking?.status !== "searching") return;
    const pending = await pendingOffersIn(tx, bookingId, job.offeredTo);
    for (const offer of pending) {
      resolveOffer(tx, offer.ref, { status: "expired" });
    }
    tx.update(jobRef(bookingId), { status: "no_drivers", updatedAt: fieldValue().serverTimestamp() });
    writeTransition(tx, bookingId, b!.data()!, { to: "no_drivers", eventId: `dispatch-a${attempt}-no_drivers`, event: { driverId: null, data: { reason: "no_drivers", rounds } } });
  });
  logger.info("dispatch found no driver", { bookingId, attempt, rounds });
}

export async function roundStillOpen({ bookingId, attempt, round }: RoundTimer): Promise<boolean> {
  return stillRunning(parseJob((await jobRef(bookingId).get()).data()), attempt, round);
}

/** Step between re-checks while an accepted answer is in flight. */
const ANSWER_WAIT_STEP_MS = 3_000;

/**
 * The round timer: expires the round's unanswered offers and starts the next round, unless a driver's accept
 * is still on its way to the accept trigger: then it checks again shortly (the accept assigns the driver, or
 * lapses and lets the search go on). A re-check (`held`) takes no transaction: the round's offers were expired
 * by the first delivery and runRound claims the next round in its own, so re-checks never hold locks that the
 * accept's transaction waits for.
 */
export async function handleRoundTimer(timer: RoundTimer): Promise<void> {
  const { bookingId, attempt, round } = timer;
  const running = timer.held ? await roundStillOpen(timer) : await expireRoundOffers(timer);
  if (!running) return;
  if (await answerInFlight(bookingId, attempt)) {
    logger.info("round held for an accept in flight", { bookingId, attempt, round });
    await enqueueRoundTimer({ ...timer, held: true, dueAtMillis: Date.now() + ANSWER_WAIT_STEP_MS }, `held${Date.now()}`);
    return;
  }
  await runRound(bookingId, attempt, round);
}

/** Expires the round's still-pending offers; false when the job has moved past the round. */
async function expireRoundOffers({ bookingId, attempt, round }: RoundTimer): Promise<boolean> {
  return db().runTransaction(async (tx) => {
    const job = parseJob((await tx.get(jobRef(bookingId))).data());
    if (!stillRunning(job, attempt, round)) return false;
    const pending = await pendingOffersIn(tx, bookingId, job.offeredTo);
    for (const offer of pending) {
      const data = offer.data()!;
      if (data.attempt !== attempt || data.round !== round) continue;
      resolveOffer(tx, offer.ref, { status: "expired" });
    }
    return true;
  });
}

async function answerInFlight(bookingId: string, attempt: number): Promise<boolean> {
  const accepted = await offersOf(bookingId).where("status", "==", "accepted").get();
  const now = Date.now();
  return accepted.docs.some((doc) => {
    const offer = doc.data();
    const answeredAtMillis = typeof offer.answeredAt?.toMillis === "function" ? (offer.answeredAt.toMillis() as number) : undefined;
    return isAnswerInFlight({ status: String(offer.status), attempt: Number(offer.attempt), resolvedAt: offer.resolvedAt, answeredAtMillis }, attempt, now);
  });
}
