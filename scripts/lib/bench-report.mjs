// The pure part of `npm run bench`: reading each benchmark's `BENCH_RESULT {json}` line, choosing the figures
// worth a row (with the baseline measured in the same run and the target, where there is one), and rendering
// docs/benchmarks.md. No I/O here; scripts/bench-all.mjs runs the benches and writes the file.

const PREFIX = "BENCH_RESULT ";

/**
 * The figures object of the last `BENCH_RESULT {json}` line in a bench's output, or undefined when there is
 * none. A line that is not valid JSON, or not an object naming its bench, throws with the line quoted.
 */
export function parseBenchResult(output) {
  let result;
  for (const line of String(output).split(/\r?\n/)) {
    if (!line.startsWith(PREFIX)) continue;
    const text = line.slice(PREFIX.length).trim();
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new Error(`malformed BENCH_RESULT line (${error.message}): ${text.slice(0, 120)}`);
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed) || typeof parsed.bench !== "string") {
      throw new Error(`a BENCH_RESULT line must be a JSON object with a "bench" name: ${text.slice(0, 120)}`);
    }
    result = parsed;
  }
  return result;
}

const ms = (v) => (typeof v === "number" ? `${v} ms` : undefined);
const num = (v, unit = "") => (typeof v === "number" ? `${v.toLocaleString("en")}${unit}` : undefined);
const both = (all, part) => (all && part ? `${all}; ${part}` : all);
const pair = (a, b, unit = " ms") => (typeof a === "number" && typeof b === "number" ? `${a} / ${b}${unit}` : undefined);

/** Per bench: rows {figure, value, baseline?, target?} from its result object. */
const FIGURES = {
  "cold-start": (r) => [
    { figure: "load functions/lib/index.js p50", value: ms(r.fleetfireP50Ms), baseline: ms(r.baselineP50Ms) && `${ms(r.baselineP50Ms)} (bare SDKs)` },
    { figure: "ratio to the bare SDKs", value: num(r.ratio), target: r.target !== undefined ? `≤ ${r.target}` : undefined },
  ],
  pricing: (r) => [
    { figure: "fare engine quotes/s", value: num(r.engineQuotesPerSecond), baseline: num(r.baselineSumsPerSecond) && `${num(r.baselineSumsPerSecond)} bare sums/s` },
    { figure: "quoteFare round trip p50 / p95", value: pair(r.quoteFareP50Ms, r.quoteFareP95Ms), baseline: pair(r.pingP50Ms, r.pingP95Ms) && `${pair(r.pingP50Ms, r.pingP95Ms)} (ping)` },
  ],
  dispatch: (r) => [
    {
      figure: `docs read per dispatch p50 / p95 (${num(r.drivers)} drivers)`,
      value: pair(r.readsPerDispatch?.p50, r.readsPerDispatch?.p95, ""),
      baseline: r.inProcess?.geofireExpanding ? `${pair(r.inProcess.geofireExpanding.docsReadP50, r.inProcess.geofireExpanding.docsReadP95, "")} (geofire expanding)` : undefined,
    },
    { figure: "booking write → offers written p50 / p95", value: pair(r.bookingToOffersMs?.p50, r.bookingToOffersMs?.p95) },
    { figure: "top-10 identical to a full scan", value: r.agreeWithNaive },
  ],
  tracking: (r) => [
    { figure: `location writes/s accepted (${r.drivers} drivers)`, value: num(r.writesPerSecond), baseline: r.baseline ? `${r.baseline.drivers} drivers` : undefined },
    { figure: "writes rejected / final positions lost", value: `${r.rejected} / ${r.lostFinal}`, target: "0 lost" },
    {
      figure: "write → rider listener p50 / p95",
      value: pair(r.listenerP50Ms, r.listenerP95Ms),
      baseline: r.baseline ? pair(r.baseline.listenerP50Ms, r.baseline.listenerP95Ms) : undefined,
      target: "p95 < 500 ms",
    },
  ],
  chat: (r) => [
    { figure: `message → listener p50 / p95 (${r.chats} chats)`, value: pair(r.p50Ms, r.p95Ms), baseline: r.baseline ? `${pair(r.baseline.p50Ms, r.baseline.p95Ms)} (1 chat)` : undefined },
    { figure: "messages lost", value: num(r.lost), target: "0" },
  ],
  tsp: (r) => [
    { figure: `mean gap to the TSPLIB optimum (${r.instances} instances)`, value: num(r.meanGapPct, " %"), baseline: r.baseline ? `${r.baseline.meanGapPct} % (NN + 2-opt)` : undefined },
    { figure: "slowest instance", value: ms(r.maxMs), baseline: r.baseline ? ms(r.baseline.maxMs) : undefined },
  ],
  load: (r) => {
    const b = r.baseline;
    const light = (value) => (b && value ? `${value} (${b.drivers} drivers, ${b.riders} riders)` : value);
    const settled = (x) => (x === undefined ? undefined : x === null ? "not within the drain" : `${x} s`);
    return [
      { figure: `bookings/min (${r.drivers} drivers, ${r.riders} riders, ${r.minutes} min)`, value: num(r.bookingsPerMinute) && `${num(r.bookingsPerMinute)} (${r.bookings} bookings)`, baseline: light(b && num(b.bookingsPerMinute)) },
      { figure: "final statuses", value: Object.entries(r.statusCounts ?? {}).map(([s, n]) => `${s} ${n}`).join(", ") },
      {
        figure: "invariants (lost, stuck, double assignment, double charge)",
        value: r.invariantsOk ? "all hold" : `FAILED: ${(r.failed ?? []).join("; ")}`,
        baseline: b ? (b.invariantsOk ? "all hold" : `FAILED: ${(b.failed ?? []).join("; ")}`) : undefined,
        target: "all hold",
      },
      { figure: `all final and paid, after the window closed (drain ≤ ${r.drainSeconds ?? "?"} s)`, value: settled(r.settledSecondsAfterWindow), baseline: b && settled(b.settledSecondsAfterWindow) },
      { figure: "position writes/s", value: num(r.positionWritesPerSecond), baseline: b && num(b.positionWritesPerSecond) },
      { figure: "quoteFare p50 / p95", value: pair(r.quoteP50Ms, r.quoteP95Ms), baseline: b && pair(b.quoteP50Ms, b.quoteP95Ms) },
      { figure: "booking write → offered p50 / p95 (all; cash only)", value: both(pair(r.offeredP50Ms, r.offeredP95Ms), pair(r.offeredCashP50Ms, r.offeredCashP95Ms)), baseline: b && both(pair(b.offeredP50Ms, b.offeredP95Ms), pair(b.offeredCashP50Ms, b.offeredCashP95Ms)) },
      { figure: "booking write → assigned p50 / p95 (all; cash only)", value: both(pair(r.assignedP50Ms, r.assignedP95Ms), pair(r.assignedCashP50Ms, r.assignedCashP95Ms)), baseline: b && both(pair(b.assignedP50Ms, b.assignedP95Ms), pair(b.assignedCashP50Ms, b.assignedCashP95Ms)) },
      { figure: "acceptOffer → answer p50 / p95", value: pair(r.acceptAnswerP50Ms, r.acceptAnswerP95Ms), baseline: b && pair(b.acceptAnswerP50Ms, b.acceptAnswerP95Ms) },
      { figure: "position write → rider listener p50 / p95", value: pair(r.positionToRiderP50Ms, r.positionToRiderP95Ms), baseline: b && pair(b.positionToRiderP50Ms, b.positionToRiderP95Ms) },
    ];
  },
  "web-size": (r) => [
    { figure: "rider view: JavaScript on first load, gzip", value: num(r.riderGzipKb, " kB") },
    { figure: "operator console: JavaScript on first load, gzip", value: num(r.consoleGzipKb, " kB"), baseline: num(r.riderGzipKb, " kB") && `${num(r.riderGzipKb, " kB")} (rider view)`, target: `< ${r.budgetKb} kB` },
    { figure: "operator console with the report charts, gzip", value: num(r.consoleWithChartsGzipKb, " kB"), target: `< ${r.budgetKb} kB` },
  ],
  invocations: (r) => [
    ...["card", "cash"].flatMap((ride) => {
      const x = r[ride];
      const base = r.baseline?.[ride];
      if (!x) return [];
      return [
        { figure: `${ride} ride: Firestore-triggered invocations`, value: num(x.invocations), baseline: base && `${base.invocations} (before the pipeline redesign)`, target: ride === "card" ? "≤ 30" : "≤ 25" },
        { figure: `${ride} ride: documents written`, value: num(x.writes) },
        {
          figure: `${ride} ride: trigger hops request → offered / accept → assigned / completed → captured`,
          value: `${x.hops.requestToOffered} / ${x.hops.acceptToAssigned} / ${x.hops.completedToCaptured}`,
          baseline: base && `completed → captured ${base.hops.completedToCaptured}`,
          target: ride === "card" ? "completed → captured ≤ 1" : undefined,
        },
      ];
    }),
    { figure: "acceptOffer → answer p50 / p95 (light load, 10 accepts)", value: pair(r.acceptP50Ms, r.acceptP95Ms), target: "p95 ≤ 1 000 ms" },
  ],
};

/** The rows for one result; a bench without a specific list gets one row per top-level number. */
export function figuresOf(result) {
  const pick = FIGURES[result.bench];
  const rows = pick
    ? pick(result)
    : Object.entries(result)
        .filter(([, v]) => typeof v === "number")
        .map(([figure, v]) => ({ figure, value: num(v) }));
  return rows.filter((row) => row.value !== undefined && row.value !== "");
}

const cell = (v) => (v === undefined || v === null || v === "" ? "—" : String(v).replace(/\|/g, "\\|").replace(/\n/g, " "));

/**
 * docs/benchmarks.md. `machine`: {cores, cpuModel, memoryGb, node, date, loadAverage?};
 * `runs`: [{name, command, exitCode, seconds, result?, error?}] in the order they ran.
 */
export function renderBenchmarks({ machine, runs }) {
  const lines = [
    "# Benchmarks",
    "",
    "Generated by `npm run bench` (scripts/bench-all.mjs); do not edit by hand. Emulator figures are from the",
    "Firebase Emulator Suite on this machine, not production.",
    "",
    `- Machine: ${machine.cores} cores, ${machine.cpuModel}, ${machine.memoryGb} GB memory`,
    `- Node ${machine.node}; run ${machine.date}`,
  ];
  if (machine.loadAverage) lines.push(`- Load average (1 min) at the start: ${machine.loadAverage} (the cores are shared with other work)`);
  lines.push("", "| benchmark | figure | value | baseline (same run) | target | command |", "|---|---|---|---|---|---|");
  for (const run of runs) {
    const command = `\`${run.command}\``;
    if (!run.result) {
      const why = run.error ?? `exit code ${run.exitCode}, no BENCH_RESULT line`;
      lines.push(`| ${cell(run.name)} | did not finish | ${cell(why)} | — | — | ${command} |`);
      continue;
    }
    const rows = figuresOf(run.result);
    rows.forEach((row, i) =>
      lines.push(`| ${i === 0 ? cell(run.name) : ""} | ${cell(row.figure)} | ${cell(row.value)} | ${cell(row.baseline)} | ${cell(row.target)} | ${i === 0 ? command : ""} |`),
    );
    if (run.exitCode !== 0) lines.push(`| | exit code | ${run.exitCode} | — | 0 | |`);
  }
  lines.push("", `Durations: ${runs.map((r) => `${r.name} ${Math.round(r.seconds)} s`).join(", ")}.`, "");
  return lines.join("\n");
}
