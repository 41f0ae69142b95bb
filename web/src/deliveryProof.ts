// Proof of delivery in the reference client (docs/bookings.md "Proof of delivery"). Driver: the photo (a file
// input, uploaded to deliveries/{bookingId}/; the server checks it when it lands), the recipient's code (a
// counted guess the server verifies), the name of who took the parcel (sent with the completion), or "delivery
// failed" with a reason. Rider (the sender): what was verified, and the photo read through the Storage rules.
import { doc, serverTimestamp, updateDoc, type DocumentData } from "firebase/firestore";
import { getBlob, ref, uploadBytes } from "firebase/storage";
import {
  codeGuessesLeft, DELIVERY_CODE_MAX_ATTEMPTS, DELIVERY_FAILURE_REASONS, missingProof, PROOF_PHOTO_CONTENT_TYPES, PROOF_PHOTO_MAX_BYTES,
} from "../../functions/src/bookings/deliveryProofPolicy";
import { h } from "./dom";
import { db, storage } from "./firebase";

const LABELS: Record<string, string> = { photo: "a photo", recipientCode: "the recipient's code", recipientName: "the recipient's name" };

/** The driver's inputs per booking: kept across renders (the view re-renders on every snapshot). */
const inputs = new Map<string, { name: HTMLInputElement; code: HTMLInputElement; reason: HTMLSelectElement; file: HTMLInputElement }>();
function inputsFor(bookingId: string) {
  let found = inputs.get(bookingId);
  if (!found) {
    found = {
      name: h("input", { placeholder: "Received by (name)", maxlength: "100", "data-testid": "pod-name" }),
      code: h("input", { placeholder: "Recipient's code", inputmode: "numeric", maxlength: "6", "data-testid": "pod-code" }),
      reason: h("select", { "data-testid": "pod-failure-reason" }, DELIVERY_FAILURE_REASONS.map((r) => h("option", { value: r }, r.replace(/_/g, " ")))),
      file: h("input", { type: "file", accept: PROOF_PHOTO_CONTENT_TYPES.join(","), capture: "environment", "data-testid": "pod-photo" }),
    };
    inputs.set(bookingId, found);
  }
  return found;
}

/** What the driver's completion write carries for a delivery (the recipient's name, when one was typed). */
export function completionExtra(bookingId: string, b: DocumentData): Record<string, unknown> {
  const name = inputs.get(bookingId)?.name.value.trim();
  return b.serviceType === "delivery" && name ? { receivedBy: name } : {};
}

/** The driver's proof panel for an in-progress delivery; `report` shows a message (errors included). */
export function driverDeliveryPanel(bookingId: string, b: DocumentData, report: (text: string) => void): HTMLElement {
  const required = (b.proofRequired ?? {}) as Record<string, boolean>;
  const i = inputsFor(bookingId);
  const missing = missingProof(required, { proof: b.proof, receivedBy: i.name.value });
  const upload = async () => {
    const file = i.file.files?.[0];
    if (!file) return;
    if (!(PROOF_PHOTO_CONTENT_TYPES as readonly string[]).includes(file.type) || file.size > PROOF_PHOTO_MAX_BYTES) {
      report("A JPEG, PNG or WebP photo of at most 5 MiB");
      return;
    }
    await uploadBytes(ref(storage, `deliveries/${bookingId}/${Date.now()}-${file.name.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 60)}`), file, { contentType: file.type })
      .then(() => report("Photo sent: the server checks it"), () => report("Photo refused"));
  };
  const guess = async () => {
    const left = codeGuessesLeft(b);
    if (left === 0) return report("No code guesses left: mark the delivery failed");
    await updateDoc(doc(db, "bookings", bookingId), { deliveryCodeAttempt: i.code.value.trim(), deliveryCodeAttempts: (b.deliveryCodeAttempts ?? 0) + 1, deliveryCodeAttemptAt: serverTimestamp() })
      .then(() => report("Code sent: the server checks it"), () => report("Code not sent (6 digits)"));
  };
  const failDelivery = () =>
    updateDoc(doc(db, "bookings", bookingId), { status: "delivery_failed", "timeline.delivery_failed": serverTimestamp(), deliveryFailure: { reason: i.reason.value } })
      .catch(() => report("Not marked failed (at the drop-off only)"));
  return h(
    "div",
    { class: "delivery-proof", "data-testid": "pod-driver" },
    h("p", {}, missing.length ? `Needed to complete: ${missing.map((m) => LABELS[m]).join(", ")}` : "Proof complete", " "),
    required.photo ? h("div", { class: "actions" }, b.proof?.photo ? h("span", { "data-testid": "pod-photo-ok" }, "Photo verified ✓") : [i.file, h("button", { type: "button", onclick: () => void upload() }, "Send photo")]) : null,
    required.recipientCode
      ? h("div", { class: "actions" }, b.proof?.code
        ? h("span", { "data-testid": "pod-code-ok" }, "Code verified ✓")
        : [i.code, h("button", { type: "button", "data-testid": "pod-code-send", onclick: () => void guess() }, "Check code"),
           h("span", { class: "muted" }, ` ${codeGuessesLeft(b)} of ${DELIVERY_CODE_MAX_ATTEMPTS} guesses left`)])
      : null,
    required.recipientName ? h("div", { class: "actions" }, i.name) : null,
    h("div", { class: "actions" }, i.reason, h("button", { type: "button", "data-testid": "pod-fail", onclick: () => void failDelivery() }, "Delivery failed")),
  );
}

/** Object URLs of the photos already fetched (the view re-renders on every snapshot). */
const photoUrls = new Map<string, Promise<string>>();

/** The sender's view of the hand-over: the proof the server verified, the photo through the Storage rules. */
export function senderDeliveryProof(b: DocumentData): HTMLElement | null {
  if (b.serviceType !== "delivery" || !["completed", "delivery_failed", "in_progress"].includes(b.status)) return null;
  const photo = h("div");
  const path = b.proof?.photo?.path as string | undefined;
  if (path) {
    if (!photoUrls.has(path)) photoUrls.set(path, getBlob(ref(storage, path)).then((blob) => URL.createObjectURL(blob)));
    void photoUrls.get(path)!.then((src) => photo.append(h("img", { src, alt: "Proof of delivery", class: "proof-photo", "data-testid": "pod-photo-view" })), () => undefined);
  }
  return h(
    "div",
    { class: "delivery-proof", "data-testid": "pod-sender" },
    h("h3", {}, b.status === "delivery_failed" ? "Delivery failed" : "Proof of delivery"),
    b.status === "delivery_failed" ? h("p", { "data-testid": "pod-failure" }, `Reason: ${String(b.deliveryFailure?.reason ?? "other").replace(/_/g, " ")} · the parcel comes back to you`) : null,
    b.proof?.code ? h("p", { "data-testid": "pod-code-verified" }, "Recipient's code verified ✓") : null,
    b.receivedBy ? h("p", { "data-testid": "pod-received-by" }, `Received by ${b.receivedBy}`) : null,
    photo,
  );
}
