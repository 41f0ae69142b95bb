// Types of bench-report.mjs (plain ESM, run by node without a build step).
export interface BenchFigures {
  bench: string;
  [figure: string]: unknown;
}
export interface FigureRow {
  figure: string;
  value?: string;
  baseline?: string;
  target?: string;
}
export function parseBenchResult(output: string): BenchFigures | undefined;
export function figuresOf(result: BenchFigures): FigureRow[];
export interface BenchRun {
  name: string;
  command: string;
  exitCode?: number | null;
  seconds?: number;
  error?: string;
  result?: BenchFigures;
}
export interface BenchMachine {
  cores: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  date: string;
  loadAverage?: number | string;
}
export function renderBenchmarks(report: { machine: BenchMachine; runs: BenchRun[] }): string;
