// One line per step per trip: `[trip 2 ride/cash] assigned to Marta Driver (eta 3 min)`.
export type Say = (line: string) => void;

export interface Progress {
  say: Say;
  forTrip(label: string): Say;
}

export function progress(write: (line: string) => void = (line) => console.log(line)): Progress {
  const started = Date.now();
  const stamp = () => `${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s`;
  return {
    say: (line) => write(`${stamp()} ${line}`),
    forTrip: (label) => (line) => write(`${stamp()} [${label}] ${line}`),
  };
}
