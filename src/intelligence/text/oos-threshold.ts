/**
 * Choice of the out-of-scope rejection threshold on validation ("oos-threshold" in Larson
 * et al. 2019, §3.2: reject when the top probability is below a value tuned on validation).
 * Every observed confidence is a candidate cut; the objective decides the trade-off:
 *  - 'accuracy' (default) maximises plain accuracy over all validation queries, out-of-scope
 *    counted as one more class: the paper's own figure of merit, and it keeps in-scope
 *    accuracy high when, as in real traffic, out-of-scope queries are the minority;
 *  - 'balanced' maximises the mean of in-scope accuracy and out-of-scope recall, so the two
 *    error kinds count equally however few out-of-scope examples validation holds (on
 *    CLINC150 val it trades ~3 points of in-scope accuracy for ~25 points of recall).
 */
export type ThresholdObjective = 'balanced' | 'accuracy';

export interface ThresholdCandidate {
  isOutOfScope: boolean;
  /** Best in-scope calibrated probability. */
  confidence: number;
  /** The out-of-scope class already won, whatever the threshold. */
  predictedOutOfScope: boolean;
  /** The best in-scope intent is the right one (meaningless for out-of-scope queries). */
  correct: boolean;
}

export function chooseOutOfScopeThreshold(items: readonly ThresholdCandidate[], objective: ThresholdObjective = 'accuracy'): number {
  const inScope = items.filter((i) => !i.isOutOfScope);
  const outOfScope = items.filter((i) => i.isOutOfScope);
  if (outOfScope.length === 0 || inScope.length === 0) return 0;
  const cuts = [0, ...new Set(items.map((i) => i.confidence))].sort((a, b) => a - b);
  let bestCut = 0;
  let bestValue = -Infinity;
  for (const cut of cuts) {
    const inRight = inScope.filter((i) => !i.predictedOutOfScope && i.confidence >= cut && i.correct).length;
    const outRight = outOfScope.filter((i) => i.predictedOutOfScope || i.confidence < cut).length;
    const value = objective === 'balanced'
      ? inRight / inScope.length + outRight / outOfScope.length
      : inRight + outRight;
    if (value > bestValue) {
      bestValue = value;
      bestCut = cut;
    }
  }
  return bestCut;
}
