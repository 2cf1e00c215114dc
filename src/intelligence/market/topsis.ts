/**
 * TOPSIS, Hwang & Yoon (1981), "Multiple Attribute Decision Making", §IV.3.4:
 *   1. vector normalisation r_ij = x_ij / √(Σ_i x_ij²);
 *   2. weighting v_ij = w_j r_ij;
 *   3. ideal A⁺ (max v for benefit, min for cost) and anti-ideal A⁻ (the reverse);
 *   4. distances D⁺_i = √Σ_j (v_ij − A⁺_j)², D⁻_i = √Σ_j (v_ij − A⁻_j)²;
 *   5. relative closeness C_i = D⁻_i / (D⁺_i + D⁻_i), 1 = the ideal itself.
 * Explanation: each criterion's squared gaps to the ideal and anti-ideal are reported, so a
 * merchant sees which criterion keeps an alternative from the top (the largest gap to ideal).
 */
import { checkDecisionMatrix, normalisedWeights, type Alternative, type Criterion } from './criteria.js';
import { rankDescending } from './weighted-sum.js';

export interface TopsisContribution {
  criterion: string;
  value: number;
  /** v_ij = w_j r_ij. */
  weightedNormalised: number;
  ideal: number;
  antiIdeal: number;
  /** (v_ij − A⁺_j)²: this criterion's share of D⁺². */
  squaredGapToIdeal: number;
  /** (v_ij − A⁻_j)²: this criterion's share of D⁻². */
  squaredGapToAntiIdeal: number;
}

export interface TopsisResult {
  id: string;
  /** C_i in [0, 1]. */
  closeness: number;
  distanceToIdeal: number;
  distanceToAntiIdeal: number;
  rank: number;
  contributions: TopsisContribution[];
  /** Criterion with the largest gap to the ideal: what most holds this alternative back. */
  weakestCriterion: string;
}

export function topsis(alternatives: readonly Alternative[], criteria: readonly Criterion[]): TopsisResult[] {
  checkDecisionMatrix(alternatives, criteria);
  const weights = normalisedWeights(criteria);
  const norms = criteria.map((_, j) => Math.sqrt(alternatives.reduce((s, a) => s + (a.values[j] as number) ** 2, 0)));
  const weighted = alternatives.map((a) => a.values.map((x, j) => {
    const norm = norms[j] as number;
    return norm > 0 ? ((weights[j] as number) * x) / norm : 0;
  }));
  const ideal = criteria.map((c, j) => {
    const column = weighted.map((row) => row[j] as number);
    return c.kind === 'benefit' ? Math.max(...column) : Math.min(...column);
  });
  const antiIdeal = criteria.map((c, j) => {
    const column = weighted.map((row) => row[j] as number);
    return c.kind === 'benefit' ? Math.min(...column) : Math.max(...column);
  });
  const results = alternatives.map((a, i) => {
    const contributions = criteria.map((c, j) => {
      const v = (weighted[i] as number[])[j] as number;
      const best = ideal[j] as number;
      const worst = antiIdeal[j] as number;
      return {
        criterion: c.name, value: a.values[j] as number, weightedNormalised: v, ideal: best, antiIdeal: worst,
        squaredGapToIdeal: (v - best) ** 2, squaredGapToAntiIdeal: (v - worst) ** 2,
      };
    });
    const distanceToIdeal = Math.sqrt(contributions.reduce((s, c) => s + c.squaredGapToIdeal, 0));
    const distanceToAntiIdeal = Math.sqrt(contributions.reduce((s, c) => s + c.squaredGapToAntiIdeal, 0));
    const total = distanceToIdeal + distanceToAntiIdeal;
    // All alternatives identical: none is closer to the ideal than another.
    const closeness = total > 0 ? distanceToAntiIdeal / total : 0.5;
    const weakest = contributions.reduce((w, c) => (c.squaredGapToIdeal > w.squaredGapToIdeal ? c : w));
    return { id: a.id, closeness, distanceToIdeal, distanceToAntiIdeal, rank: 0, contributions, weakestCriterion: weakest.criterion };
  });
  return rankDescending(results, (r) => r.closeness);
}
