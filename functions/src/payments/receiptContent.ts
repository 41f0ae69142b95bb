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

export function formatReceiptNumber(n: number): string {
  return `R-${String(n).padStart(6, "0")}`;
}

export function formatMoney(amountMinor: number, currency: string): string {
  return `${(amountMinor / 100).toFixed(2)} ${currency.toUpperCase()}`;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function receiptEmail(receipt: ReceiptContent & { numberText: string; currency: string; paymentMethod: string; bookingId: string }) {
  const money = (n: number) => formatMoney(n, receipt.currency);
  const rows = receipt.lines.map((l) => `<tr><td>${escapeHtml(l.label)}</td><td align="right">${money(l.amountMinor)}</td></tr>`).join("");
  const subject = `Your fleetfire receipt ${receipt.numberText}`;
  const html =
    `<h1>Receipt ${receipt.numberText}</h1><p>Trip ${escapeHtml(receipt.bookingId)}, paid by ${escapeHtml(receipt.paymentMethod)}.</p>` +
    `<table>${rows}<tr><td>Tax included</td><td align="right">${money(receipt.taxMinor)}</td></tr>` +
    `<tr><th align="left">Total</th><th align="right">${money(receipt.totalMinor)}</th></tr></table>`;
  const text = [
    `Receipt ${receipt.numberText} — trip ${receipt.bookingId}, paid by ${receipt.paymentMethod}`,
    ...receipt.lines.map((l) => `${l.label}: ${money(l.amountMinor)}`),
    `Tax included: ${money(receipt.taxMinor)}`,
    `Total: ${money(receipt.totalMinor)}`,
  ].join("\n");
  return { subject, html, text };
}
