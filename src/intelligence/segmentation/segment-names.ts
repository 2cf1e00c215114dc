/**
 * Human-readable RFM segments. The vocabulary is the practitioners' RFM segment map (recency
 * on one axis, the average of the frequency and monetary scores on the other; see e.g.
 * Putler, "RFM analysis for successful customer segmentation"). The cell boundaries are ours
 * and ARE the rule: the whole 5×5 table is below so a merchant can read exactly why a
 * customer is where it is, and `explainSegment` spells out the cell.
 *
 *   R \ FM |   1             2                    3                    4             5
 *   -------+-----------------------------------------------------------------------------
 *     5    | new           potential loyalist   potential loyalist   champions     champions
 *     4    | promising     potential loyalist   potential loyalist   loyal         champions
 *     3    | about to sleep need attention      need attention       loyal         loyal
 *     2    | hibernating   hibernating          at risk              at risk       can't lose
 *     1    | lost          hibernating          at risk              can't lose    can't lose
 *
 * FM = round((F + M) / 2), halves rounded up (F 4, M 5 → 5).
 */
import type { RfmScore } from './rfm.js';

export type SegmentName =
  | 'champions' | 'loyal' | 'potential loyalist' | 'new' | 'promising' | 'need attention'
  | 'about to sleep' | 'at risk' | "can't lose" | 'hibernating' | 'lost';

/** Rows are R = 5 … 1, columns FM = 1 … 5, exactly as in the header table. */
const GRID: readonly (readonly SegmentName[])[] = [
  ['new', 'potential loyalist', 'potential loyalist', 'champions', 'champions'],
  ['promising', 'potential loyalist', 'potential loyalist', 'loyal', 'champions'],
  ['about to sleep', 'need attention', 'need attention', 'loyal', 'loyal'],
  ['hibernating', 'hibernating', 'at risk', 'at risk', "can't lose"],
  ['lost', 'hibernating', 'at risk', "can't lose", "can't lose"],
];

/** What each segment means and the action it usually calls for. */
export const SEGMENT_DESCRIPTIONS: Readonly<Record<SegmentName, string>> = {
  champions: 'bought recently, buy often and spend the most — reward them, ask for reviews',
  loyal: 'buy often and spend well, fairly recently — upsell, loyalty programme',
  'potential loyalist': 'recent customers with average frequency and spend — offer membership or bundles',
  new: 'bought very recently for the first time or little — onboard them well',
  promising: 'recent but low frequency and spend — build the relationship',
  'need attention': 'average on every axis and drifting — time-limited offers',
  'about to sleep': 'below average recency, frequency and spend — reactivate before they are lost',
  'at risk': 'used to buy often and spend well but not recently — win them back with personal contact',
  "can't lose": 'among the best customers by frequency and spend but gone quiet — win back urgently',
  hibernating: 'last order long ago, few orders, low spend — low-cost reactivation only',
  lost: 'lowest recency, frequency and spend — do not spend much on them',
};

function clampScore(score: number): number {
  return Math.min(5, Math.max(1, Math.round(score)));
}

export function frequencyMonetaryScore(frequency: number, monetary: number): number {
  return clampScore(Math.floor((frequency + monetary) / 2 + 0.5));
}

/** The segment for R, F and M scores (1–5; fractional scores, e.g. a cluster's mean, are rounded). */
export function segmentFor(recency: number, frequency: number, monetary: number): SegmentName {
  const r = clampScore(recency);
  const fm = frequencyMonetaryScore(frequency, monetary);
  return GRID[5 - r]![fm - 1]!;
}

export interface SegmentExplanation {
  segment: SegmentName;
  description: string;
  /** One sentence a merchant can read, with the numbers behind the scores. */
  reason: string;
}

export function explainSegment(score: RfmScore): SegmentExplanation {
  const segment = segmentFor(score.recency, score.frequency, score.monetary);
  const fm = frequencyMonetaryScore(score.frequency, score.monetary);
  const days = Math.round(score.recencyDays);
  const reason =
    `recency ${score.recency}/5 (last order ${days} day${days === 1 ? '' : 's'} ago), ` +
    `frequency ${score.frequency}/5 (${score.orders} order${score.orders === 1 ? '' : 's'}), ` +
    `monetary ${score.monetary}/5 (${score.revenue.toFixed(2)} spent); ` +
    `R ${score.recency} with FM ${fm} falls in "${segment}"`;
  return { segment, description: SEGMENT_DESCRIPTIONS[segment], reason };
}
