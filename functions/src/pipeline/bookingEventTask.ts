// The task behind bookingEventTask: the event's steps (bookingEventCreated.ts), under the pipeline's rules.
import { z } from "zod";
import { db } from "../common/firebase";
import * as logger from "../common/logger";
import { runPipeline } from "../common/pipeline";
import { docIdSchema } from "../common/schema";
import { describeIssues } from "../common/validation";
import { BOOKING_EVENT_STEPS, BOOKING_EVENT_TASK } from "./bookingEventCreated";

const taskSchema = z.object({ bookingId: docIdSchema, eventId: docIdSchema }).strict();

export async function runBookingEventTask(raw: unknown): Promise<string[]> {
  const parsed = taskSchema.safeParse(raw);
  if (!parsed.success) {
    // Only the events trigger enqueues this task: a payload it did not write is dropped, not retried.
    logger.error("booking event task: malformed payload dropped", { issues: describeIssues(parsed.error) });
    return [];
  }
  const { bookingId, eventId } = parsed.data;
  const path = `bookings/${bookingId}/events/${eventId}`;
  const snap = await db().doc(path).get();
  const data = snap.data();
  if (!data) {
    logger.warn("booking event task: the event is gone", { bookingId, eventId });
    return [];
  }
  const createdAt = snap.createTime!.toMillis();
  return runPipeline({ trigger: BOOKING_EVENT_TASK, kind: "task", path, id: `${bookingId}/${eventId}`, time: new Date(createdAt).toISOString(), writtenAtMs: createdAt }, BOOKING_EVENT_STEPS, {
    bookingId,
    eventDocId: eventId,
    data,
  }, { type: data.type ?? null });
}
