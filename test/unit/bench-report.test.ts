// `npm run bench`'s pure part: reading BENCH_RESULT lines and rendering docs/benchmarks.md.
import { describe, expect, it } from "vitest";
import { figuresOf, parseBenchResult, renderBenchmarks } from "../../scripts/lib/bench-report.mjs";

const machine = { cores: 2, cpuModel: "Test CPU @ 2.0GHz", memoryGb: 8, node: "v20.19.0", date: "2026-11-25T04:00:00Z" };

describe("parseBenchResult", () => {
  it("takes the last BENCH_RESULT line and ignores the human output around it", () => {
    const output = [
      "pricing bench (1,000 engine quotes)",
      'BENCH_RESULT {"bench":"pricing","quoteFareP50Ms":10}',
      "  engine: computeFare   500,000 quotes/s",
      'BENCH_RESULT {"bench":"pricing","quoteFareP50Ms":12,"quoteFareP95Ms":30}',
      '{"bench":"pricing","quoteFareP50Ms":99}',
    ].join("\n");
    expect(parseBenchResult(output)).toEqual({ bench: "pricing", quoteFareP50Ms: 12, quoteFareP95Ms: 30 });
  });

  it("reads CRLF output and returns undefined when there is no result line", () => {
    expect(parseBenchResult('x\r\nBENCH_RESULT {"bench":"tsp","meanGapPct":1.5}\r\n')).toEqual({ bench: "tsp", meanGapPct: 1.5 });
    expect(parseBenchResult("Error: emulators did not start\n")).toBeUndefined();
    expect(parseBenchResult("  BENCH_RESULT {\"bench\":\"tsp\"}")).toBeUndefined(); // only at the start of a line
  });

  it("rejects a malformed line or an object without a bench name, quoting it", () => {
    expect(() => parseBenchResult("BENCH_RESULT {not json")).toThrowError(/malformed BENCH_RESULT line.*\{not json/);
    expect(() => parseBenchResult("BENCH_RESULT [1,2]")).toThrowError(/JSON object with a "bench" name/);
    expect(() => parseBenchResult('BENCH_RESULT {"value":1}')).toThrowError(/"bench" name/);
  });
});

describe("figuresOf", () => {
  it("pairs each figure with the same run's baseline and the target", () => {
    const rows = figuresOf({ bench: "cold-start", runs: 15, baselineP50Ms: 180.5, fleetfireP50Ms: 200.1, ratio: 1.109, target: 1.3 });
    expect(rows).toEqual([
      { figure: "load functions/lib/index.js p50", value: "200.1 ms", baseline: "180.5 ms (bare SDKs)" },
      { figure: "ratio to the bare SDKs", value: "1.109", target: "≤ 1.3" },
    ]);
  });

  it("states the load test's invariants and lists the failed ones", () => {
    const base = { bench: "load", drivers: 20, riders: 5, minutes: 1, bookings: 12, bookingsPerMinute: 12, statusCounts: { completed: 10, cancelled: 2 } };
    const ok = figuresOf({ ...base, invariantsOk: true, failed: [] });
    expect(ok.find((r: { figure: string }) => r.figure.startsWith("invariants"))).toMatchObject({ value: "all hold", target: "all hold" });
    expect(ok.find((r: { figure: string }) => r.figure === "final statuses")?.value).toBe("completed 10, cancelled 2");
    const failed = figuresOf({ ...base, invariantsOk: false, failed: ["no double charge"] });
    expect(failed.find((r: { figure: string }) => r.figure.startsWith("invariants"))?.value).toBe("FAILED: no double charge");
    const settled = (value: number | null) => figuresOf({ ...base, drainSeconds: 600, settledSecondsAfterWindow: value }).find((r: { figure: string }) => r.figure.startsWith("all final"));
    expect(settled(212)).toMatchObject({ figure: "all final and paid, after the window closed (drain ≤ 600 s)", value: "212 s" });
    expect(settled(null)?.value).toBe("not within the drain");
  });

  it("sets the load test's light-load run beside each figure as its baseline", () => {
    const light = { drivers: 20, riders: 5, bookingsPerMinute: 15, invariantsOk: true, settledSecondsAfterWindow: 20, assignedP50Ms: 9000, assignedP95Ms: 20000 };
    const rows = figuresOf({ bench: "load", drivers: 200, riders: 50, minutes: 5, bookings: 130, bookingsPerMinute: 26, invariantsOk: true, settledSecondsAfterWindow: 400, assignedP50Ms: 90000, assignedP95Ms: 300000, baseline: light });
    const row = (start: string) => rows.find((r: { figure: string }) => r.figure.startsWith(start));
    expect(row("bookings/min")).toMatchObject({ value: "26 (130 bookings)", baseline: "15 (20 drivers, 5 riders)" });
    expect(row("invariants")?.baseline).toBe("all hold");
    expect(row("booking write → assigned")).toMatchObject({ value: "90000 / 300000 ms", baseline: "9000 / 20000 ms" });
    expect(row("all final")).toMatchObject({ value: "400 s", baseline: "20 s" });
    expect(figuresOf({ bench: "load", bookings: 1, bookingsPerMinute: 1 }).every((r: { baseline?: string }) => r.baseline === undefined)).toBe(true);
  });

  it("leaves out figures the result does not carry, and lists the numbers of an unknown bench", () => {
    expect(figuresOf({ bench: "pricing", engineQuotesPerSecond: 1000 })).toEqual([{ figure: "fare engine quotes/s", value: "1,000", baseline: undefined }]);
    expect(figuresOf({ bench: "new", opsPerSecond: 1234, label: "x" })).toEqual([{ figure: "opsPerSecond", value: "1,234" }]);
  });
});

describe("renderBenchmarks", () => {
  it("heads the table with the machine and writes one row per figure, the bench name and command once", () => {
    const markdown = renderBenchmarks({
      machine,
      runs: [
        { name: "tsp", command: "npm run bench:tsp", exitCode: 0, seconds: 12.4, result: { bench: "tsp", instances: 5, meanGapPct: 0.8, maxMs: 900, baseline: { meanGapPct: 4.2, maxMs: 300 } } },
      ],
    });
    const lines = markdown.split("\n");
    expect(markdown).toContain("- Machine: 2 cores, Test CPU @ 2.0GHz, 8 GB memory");
    expect(markdown).toContain("- Node v20.19.0; run 2026-11-25T04:00:00Z");
    const header = lines.indexOf("| benchmark | figure | value | baseline (same run) | target | command |");
    expect(lines[header + 1]).toBe("|---|---|---|---|---|---|");
    expect(lines[header + 2]).toBe("| tsp | mean gap to the TSPLIB optimum (5 instances) | 0.8 % | 4.2 % (NN + 2-opt) | — | `npm run bench:tsp` |");
    expect(lines[header + 3]).toBe("|  | slowest instance | 900 ms | 300 ms | — |  |");
    expect(markdown).toContain("Durations: tsp 12 s.");
  });

  it("shows a bench that failed without a result, and a non-zero exit after its figures", () => {
    const markdown = renderBenchmarks({
      machine,
      runs: [
        { name: "chat", command: "npm run bench:chat", exitCode: 1, seconds: 3, error: "exit code 1 | no BENCH_RESULT line" },
        { name: "load", command: "npm run bench:load", exitCode: 1, seconds: 90, result: { bench: "load", bookingsPerMinute: 4, invariantsOk: false, failed: ["no booking lost"] } },
      ],
    });
    expect(markdown).toContain("| chat | did not finish | exit code 1 \\| no BENCH_RESULT line | — | — | `npm run bench:chat` |");
    expect(markdown).toContain("| FAILED: no booking lost |");
    expect(markdown).toContain("| | exit code | 1 | — | 0 | |");
  });
});
