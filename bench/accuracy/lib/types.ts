/** One line of the accuracy table and of bench/results/accuracy.json. */
export interface AccuracyRow {
  /** Named after the dataset folder, e.g. `m4-weekly`, `cdnow`, `odds-http`, `banking77`. */
  benchmark: string;
  metric: string;
  ours: number;
  /** Published figure or baseline measured in the same run; null when there is none. */
  reference: number | null;
  /** The bar in words, e.g. "within 2% of published", "≥ 0.90", "< 60 s". */
  bar: string;
  pass: boolean;
}

export interface AccuracyContext {
  datasetsDir: string;
  /** Progress line for long runs (stderr, so the table on stdout stays clean). */
  log(message: string): void;
}

/** Each `bench/accuracy/*.bench.ts` default-exports one of these. */
export type AccuracyBenchmark = (ctx: AccuracyContext) => Promise<AccuracyRow[]>;

/** Relative-difference bar used by most reproduction rows. */
export function withinRelative(ours: number, reference: number, tolerance: number): boolean {
  return Math.abs(ours - reference) <= tolerance * Math.abs(reference);
}
