/**
 * A bench's figures as its output's machine-readable lines: prints `BENCH_RESULT {json}` (what `npm run bench`
 * collects) and returns the JSON, which the bench prints as its very last line.
 */
export function benchResult(figures: { bench: string } & Record<string, unknown>): string {
  const json = JSON.stringify(figures);
  console.log(`BENCH_RESULT ${json}`);
  return json;
}
