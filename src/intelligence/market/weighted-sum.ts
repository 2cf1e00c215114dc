/**
 * Simple additive weighting (weighted sum model), Hwang & Yoon (1981), "Multiple Attribute
 * Decision Making", §IV.3.1 (SAW), with linear min–max normalisation so every criterion is on
 * [0, 1] with 1 = best: benefit (x − min)/(max − min), cost (max − x)/(max − min).
 * score = Σ w_j r_j, so each criterion's contribution w_j r_j is exactly its share of the score.
 */
import { checkDecisionMatrix, normalisedWeights, type Alternative, type Criterion } from './criteria.js';

export interface CriterionContribution {
  criterion: string;
  value: number;
  /** 0 = worst of the alternatives on this criterion, 1 = best. */
  normalised: number;
  weight: number;
  /** weight × normalised; the contributions sum to the score. */
  contribution: number;
}

export interface WeightedSumResult {
  id: string;
  /** In [0, 1]. */
  score: number;
  rank: number;
  contributions: CriterionContribution[];
}

/** Best first. A criterion on which all alternatives are equal scores 1 for all and cannot change the ranking. */
export function weightedSumScores(alternatives: readonly Alternative[], criteria: readonly Criterion[]): WeightedSumResult[] {
  checkDecisionMatrix(alternatives, criteria);
  const weights = normalisedWeights(criteria);
  const ranges = criteria.map((_, j) => {
    const column = alternatives.map((a) => a.values[j] as number);
    return { min: Math.min(...column), max: Math.max(...column) };
  });
  const results = alternatives.map((a) => {
    const contributions = criteria.map((c, j) => {
      const value = a.values[j] as number;
      const { min, max } = ranges[j] as { min: number; max: number };
      const normalised = max === min ? 1 : c.kind === 'benefit' ? (value - min) / (max - min) : (max - value) / (max - min);
      const weight = weights[j] as number;
      return { criterion: c.name, value, normalised, weight, contribution: weight * normalised };
    });
    return { id: a.id, score: contributions.reduce((s, c) => s + c.contribution, 0), rank: 0, contributions };
  });
  return rankDescending(results, (r) => r.score);
}

/** Sort best first and number ranks 1..n; ties share the better rank (competition ranking). */
export function rankDescending<T extends { rank: number }>(items: T[], key: (item: T) => number): T[] {
  const sorted = [...items].sort((a, b) => key(b) - key(a));
  sorted.forEach((item, i) => {
    const previous = sorted[i - 1];
    item.rank = previous !== undefined && key(previous) === key(item) ? previous.rank : i + 1;
  });
  return sorted;
}
