// Pure receipt content: line items, tax, totals and the e-mail body. No Firebase imports.

export interface FareLineInput {
  code?: string;
  label?: string;
  amountMinor: number;
}

export interface ReceiptLine {
  label: string;
  amountMinor: number;
}

export interface ReceiptContent {
  lines: ReceiptLine[];
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
}

const labelOf = (line: FareLineInput) => line.label ?? (line.code ?? "item").replace(/_/g, " ").replace(/^\w/, (c) => c.toUpperCase());

/**
 * Lines come from the fare breakdown (tax lines excluded: tax is shown separately). When the charged total
 * differs from the breakdown (a capped capture, a cancellation fee) an explicit line says so, so the lines
 * always add up to the total. Prices are tax-inclusive: tax is the breakdown's tax line, `fare.taxMinor`, or
 * derived from `fare.taxRateBps`, in that order.
 */
export function receiptContent(input: {
  totalMinor: number;
  breakdown?: FareLineInput[];
  taxMinor?: number;
  taxRateBps?: number;
  kind: "fare" | "cancellation_fee" | "tip";
}): ReceiptContent {
  const { totalMinor } = input;
  const breakdown = input.breakdown ?? [];
  const taxLine = breakdown.find((l) => l.code === "tax");
  if (input.kind === "tip") return { lines: [{ label: "Tip for your driver", amountMinor: totalMinor }], subtotalMinor: totalMinor, taxMinor: 0, totalMinor };
  let lines: ReceiptLine[] =
    input.kind === "cancellation_fee"
      ? [{ label: "Cancellation fee", amountMinor: totalMinor }]
      : breakdown.filter((l) => l !== taxLine).map((l) => ({ label: labelOf(l), amountMinor: l.amountMinor }));
  const linesSum = lines.reduce((sum, l) => sum + l.amountMinor, 0) + (taxLine?.amountMinor ?? 0);
  if (input.kind === "fare" && linesSum !== totalMinor) {
    lines = [...lines, { label: lines.length ? "Adjustment to the amount charged" : "Fare", amountMinor: totalMinor - linesSum }];
  }
  const rate = input.taxRateBps ?? 0;
  const taxMinor = taxLine?.amountMinor ?? input.taxMinor ?? (rate > 0 ? Math.round((totalMinor * rate) / (10_000 + rate)) : 0);
  return { lines, subtotalMinor: totalMinor - taxMinor, taxMinor, totalMinor };
}

/** What a delivery's receipt says about its hand-over (receipts/{id}.delivery): proof kinds, never the photo or code. */
export interface DeliveryReceipt {
  outcome: "delivered" | "failed";
  photo: boolean;
  codeVerified: boolean;
  receivedBy: string | null;
  failureReason: string | null;
}

export function deliveryReceipt(booking: {
  serviceType?: string;
  status?: string;
  proof?: { photo?: unknown; code?: unknown } | null;
  receivedBy?: unknown;
  deliveryFailure?: { reason?: unknown } | null;
}): DeliveryReceipt | null {
  if (booking.serviceType !== "delivery") return null;
  return {
    outcome: booking.status === "delivery_failed" ? "failed" : "delivered",
    photo: !!booking.proof?.photo,
    codeVerified: !!booking.proof?.code,
    receivedBy: typeof booking.receivedBy === "string" ? booking.receivedBy : null,
    failureReason: typeof booking.deliveryFailure?.reason === "string" ? booking.deliveryFailure.reason : null,
  };
}

/** One sentence for the e-mail: how the parcel was handed over (or why it came back). */
export function deliverySentence(delivery: DeliveryReceipt): string {
  if (delivery.outcome === "failed") return `Delivery failed (${(delivery.failureReason ?? "other").replace(/_/g, " ")}): the parcel was returned to the sender.`;
  const proofs = [
    delivery.photo ? "a photo" : null,
    delivery.codeVerified ? "the recipient's code" : null,
    delivery.receivedBy ? `received by ${delivery.receivedBy}` : null,
  ].filter((p): p is string => p !== null);
  return proofs.length ? `Delivered, with proof: ${proofs.join(", ")}.` : "Delivered.";
}

export function formatReceiptNumber(n: number): string {
  return `R-${String(n).padStart(6, "0")}`;
}

export function formatMoney(amountMinor: number, currency: string): string {
  return `${(amountMinor / 100).toFixed(2)} ${currency.toUpperCase()}`;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function receiptEmail(receipt: ReceiptContent & { numberText: string; currency: string; paymentMethod: string; bookingId: string; delivery?: DeliveryReceipt | null }) {
  const money = (n: number) => formatMoney(n, receipt.currency);
  const rows = receipt.lines.map((l) => `<tr><td>${escapeHtml(l.label)}</td><td align="right">${money(l.amountMinor)}</td></tr>`).join("");
  const subject = `Your fleetfire receipt ${receipt.numberText}`;
  const html =
    `<h1>Receipt ${receipt.numberText}</h1><p>Trip ${escapeHtml(receipt.bookingId)}, paid by ${escapeHtml(receipt.paymentMethod)}.</p>` +
    (receipt.delivery ? `<p>${escapeHtml(deliverySentence(receipt.delivery))}</p>` : "") +
    `<table>${rows}<tr><td>Tax included</td><td align="right">${money(receipt.taxMinor)}</td></tr>` +
    `<tr><th align="left">Total</th><th align="right">${money(receipt.totalMinor)}</th></tr></table>`;
  const text = [
    `Receipt ${receipt.numberText} — trip ${receipt.bookingId}, paid by ${receipt.paymentMethod}`,
    ...(receipt.delivery ? [deliverySentence(receipt.delivery)] : []),
    ...receipt.lines.map((l) => `${l.label}: ${money(l.amountMinor)}`),
    `Tax included: ${money(receipt.taxMinor)}`,
    `Total: ${money(receipt.totalMinor)}`,
  ].join("\n");
  return { subject, html, text };
}
