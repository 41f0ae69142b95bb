// The generated table of docs/functions.md "Which write runs which function, and what it writes": the steps of
// the pipeline triggers (functions/src/pipeline/*.ts, in their order) and the single-domain triggers.
import { BOOKING_EVENT_STEPS } from "../../functions/src/pipeline/bookingEventCreated";
import { BOOKING_STEPS } from "../../functions/src/pipeline/bookingWritten";
import { DRIVER_STEPS } from "../../functions/src/pipeline/driverWritten";
import { type Endpoint, loadEndpoints } from "./endpoints";
import { FUNCTION_DESCRIPTIONS } from "./functionDescriptions";

const PIPELINES: Array<{ path: string; trigger: string; steps: ReadonlyArray<{ name: string; does: string }> }> = [
  { path: "bookings/{bookingId}", trigger: "onBookingWritten", steps: BOOKING_STEPS },
  { path: "bookings/{bookingId}/events/{eventId}", trigger: "onBookingEventCreated", steps: BOOKING_EVENT_STEPS },
  { path: "drivers/{uid}", trigger: "onDriverWritten", steps: DRIVER_STEPS },
];

const cell = (text: string) => text.replace(/\|/g, "\\|");

export function renderPipelineDoc(endpoints: Endpoint[] = loadEndpoints()): string {
  const lines = [
    "Every Firestore document path has at most one trigger. A pipeline trigger runs its steps in this order, each only",
    "when the write concerns it; a failed step fails the invocation after the others ran, and the retry finds the",
    "finished steps with nothing left to do.",
    "",
    "| document written | function | # | step | what it does and writes |",
    "|---|---|---|---|---|",
  ];
  for (const pipeline of PIPELINES) {
    pipeline.steps.forEach((step, i) => lines.push(`| \`${pipeline.path}\` | \`${pipeline.trigger}\` | ${i + 1} | \`${step.name}\` | ${cell(step.does)} |`));
  }
  const piped = new Set(PIPELINES.map((p) => p.trigger));
  for (const e of endpoints.filter((x) => x.kind === "Firestore trigger" && !piped.has(x.name))) {
    const path = /`([^`]+)`/.exec(e.trigger)?.[1] ?? e.trigger;
    lines.push(`| \`${path}\` | \`${e.name}\` | 1 | — | ${cell(FUNCTION_DESCRIPTIONS[e.name]?.effects ?? "")} |`);
  }
  return lines.join("\n");
}
