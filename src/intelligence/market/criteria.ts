/**
 * Shared shapes for multi-criteria opportunity scoring (which market, product or channel to
 * pursue): each alternative has one value per criterion; a benefit criterion is better high
 * (demand, margin), a cost criterion better low (competition, shipping cost).
 */
export interface Criterion {
  name: string;
  /** Relative importance; weights are normalised to sum to 1. */
  weight: number;
  kind: 'benefit' | 'cost';
}

export interface Alternative {
  id: string;
  /** One value per criterion, in the order of the criteria list. */
  values: readonly number[];
}

export function normalisedWeights(criteria: readonly Criterion[]): number[] {
  if (criteria.length === 0) throw new RangeError('at least one criterion is needed');
  if (criteria.some((c) => !(c.weight >= 0))) throw new RangeError('criterion weights must be ≥ 0');
  const total = criteria.reduce((s, c) => s + c.weight, 0);
  if (!(total > 0)) throw new RangeError('criterion weights must not all be 0');
  return criteria.map((c) => c.weight / total);
}

export function checkDecisionMatrix(alternatives: readonly Alternative[], criteria: readonly Criterion[]): void {
  if (alternatives.length === 0) throw new RangeError('at least one alternative is needed');
  for (const a of alternatives) {
    if (a.values.length !== criteria.length) throw new RangeError(`${a.id} has ${a.values.length} values for ${criteria.length} criteria`);
    if (a.values.some((v) => !Number.isFinite(v))) throw new RangeError(`${a.id} has a missing or infinite value`);
  }
}
