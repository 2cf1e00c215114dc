/**
 * Repeat-purchase awareness: a customer's own buying of an item, counted with exponential time
 * decay, r_ui = Σ_{lines of i by u} 2^(−(asOf − t)/halfLife). With an infinite half-life this is the
 * plain line count — the "UserRepeat" baseline of the OR-NOV2011 protocol — and with a finite one
 * it is the recency-weighted frequency of RFM-style replenishment models (cf. Bhagat et al. 2018,
 * "Buy It Again", KDD, §3, where repeat propensity decays with time since the last purchase).
 */
import type { CustomerPurchase } from './interactions.js';

export interface RepeatOptions {
  /** Days for a purchase's weight to halve; Infinity counts every line equally. */
  halfLifeDays: number;
  /** Epoch ms the ages are measured from (the core never reads the clock). */
  asOf: number;
}

const DAY_MS = 86_400_000;

/** Decayed purchase count per item id of one customer's history. */
export function repeatScores(history: readonly CustomerPurchase[], opts: RepeatOptions): Map<string, number> {
  const out = new Map<string, number>();
  const rate = Number.isFinite(opts.halfLifeDays) ? Math.LN2 / (opts.halfLifeDays * DAY_MS) : 0;
  for (const p of history) {
    const age = Math.max(0, opts.asOf - p.at);
    out.set(p.itemId, (out.get(p.itemId) ?? 0) + Math.exp(-rate * age));
  }
  return out;
}
