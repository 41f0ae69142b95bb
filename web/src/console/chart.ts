// A report panel on screen: the uPlot chart, its table and a CSV download of that table. The chart is given the
// panel's values as they are (money in minor units, rates as shares); only the axes and the legend format them.
// The uPlot instance stays on the chart element (`chartOf`) so a test can read the points it draws.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { h } from "../dom";
import { csvFileName, toCsv } from "./csv";
import { panelTable, type Panel, type Unit } from "./series";

const COLORS = ["#1c7ed6", "#2f9e44", "#f76707", "#c92a2a", "#7048e8"];

export function formatValue(value: number | null | undefined, unit: Unit, currency = "eur"): string {
  if (value === null || value === undefined) return "—";
  switch (unit) {
    case "money":
      return new Intl.NumberFormat("en-IE", { style: "currency", currency: currency.toUpperCase() }).format(value / 100);
    case "rate":
      return `${(value * 100).toFixed(1)} %`;
    case "seconds":
      return value >= 120 ? `${(value / 60).toFixed(1)} min` : `${value} s`;
    default:
      return String(value);
  }
}

type ChartElement = HTMLElement & { chart?: uPlot };

/** The uPlot instance drawn in a chart element (tests read `.data` through it). */
export function chartOf(el: Element): uPlot | undefined {
  return (el as ChartElement).chart;
}

function chartOptions(panel: Panel, width: number): uPlot.Options {
  const labels = panel.x.values;
  const n = panel.series.length;
  const bars = uPlot.paths.bars!;
  return {
    width,
    height: 220,
    // From zero up (a count or an amount read against its baseline), one category per x step.
    scales: { x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] }, y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] } },
    axes: [
      { values: (_u, splits) => splits.map((i) => (Number.isInteger(i) ? (labels[i] ?? "") : "")), space: 40, incrs: [1, 2, 5, 10, 20, 50] },
      { values: (_u, splits) => splits.map((v) => formatValue(v, panel.unit, panel.currency)), size: 70 },
    ],
    series: [
      { label: panel.x.key, value: (_u, i) => (i === null ? "—" : (labels[i] ?? "")) },
      ...panel.series.map((s, i): uPlot.Series => ({
        label: s.label,
        stroke: COLORS[i % COLORS.length],
        width: 2,
        fill: panel.style === "bars" ? `${COLORS[i % COLORS.length]}cc` : undefined,
        value: (_u, v) => formatValue(v, s.unit ?? panel.unit, panel.currency),
        paths: panel.style === "bars" ? bars({ size: [0.8 / n, 60], align: n === 2 ? (i === 0 ? -1 : 1) : 0 }) : undefined,
        points: { show: panel.style === "lines" },
        spanGaps: false,
      })),
    ],
    legend: { live: false },
    cursor: { drag: { x: false, y: false } },
  };
}

function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const a = h("a", { href: url, download: fileName });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The card of one panel. `stops` collects the chart's destroy. */
export function panelCard(panel: Panel, fileTag: string, stops: Array<() => void>): HTMLElement {
  const { columns, rows } = panelTable(panel);
  const chartEl: ChartElement = h("div", { class: "chart", "data-testid": `chart-${panel.id}` });
  const table = h(
    "table",
    { class: "report-table", "data-testid": `table-${panel.id}` },
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", {}, c)))),
    h("tbody", {}, rows.map((row) => h("tr", {}, columns.map((c, i) => h("td", { class: i === 0 ? "" : "num" }, i === 0 ? String(row[c]) : formatValue(row[c] as number | null, panel.series[i - 1]?.unit ?? panel.unit, panel.currency)))))),
  );
  const csv = h(
    "button",
    { type: "button", "data-testid": `csv-${panel.id}`, onclick: () => download(csvFileName(panel.id, fileTag), toCsv(columns, rows)) },
    "Download CSV",
  );
  const card = h(
    "section",
    { class: "card panel", "data-testid": `panel-${panel.id}` },
    h("h3", {}, panel.title),
    h("p", { class: "muted source" }, panel.source),
    h("div", { class: "panel-body" }, chartEl, h("div", { class: "panel-table" }, table, csv)),
  );
  const data: uPlot.AlignedData = [panel.x.values.map((_, i) => i), ...panel.series.map((s) => s.values)];
  if (panel.x.values.length === 0) chartEl.append(h("p", { class: "muted" }, "No figures in this range."));
  // uPlot measures its container: draw once the card is in the document.
  requestAnimationFrame(() => {
    // The card's width less the table column beside the chart.
    chartEl.chart = new uPlot(chartOptions(panel, Math.max(320, Math.min(720, card.clientWidth - 340))), data, chartEl);
    chartEl.dataset.ready = "true";
  });
  stops.push(() => chartEl.chart?.destroy());
  return card;
}
