/**
 * Thesaurus query expansion (Manning, Raghavan & Schütze 2008, IIR §9.2.2): when a query
 * contains any phrase of a synonym group, the other phrases' terms join the query at a
 * reduced weight. Shoppers say "package", "send back", "voucher"; policy pages say "parcel",
 * "return", "discount code" — exact-term rankers miss these pairs however well tuned. The
 * groups are domain data supplied by the caller (e.g. the support module's shop lexicon).
 */
import { tokenize, type TokenizeOptions } from './tokenize.js';

/** Each group lists phrases that mean the same thing in the domain. */
export type SynonymGroups = readonly (readonly string[])[];

/** The phrase's tokens occur in order with at most `maxGap` other tokens between neighbours
 * ("send something back" matches "send back"). */
function containsPhrase(tokens: readonly string[], phrase: readonly string[], maxGap = 2): boolean {
  if (phrase.length === 0) return false;
  for (let start = 0; start < tokens.length; start++) {
    if (tokens[start] !== phrase[0]) continue;
    let at = start;
    let matched = 1;
    while (matched < phrase.length) {
      let next = -1;
      for (let k = at + 1; k <= Math.min(tokens.length - 1, at + 1 + maxGap); k++) {
        if (tokens[k] === phrase[matched]) {
          next = k;
          break;
        }
      }
      if (next < 0) break;
      at = next;
      matched++;
    }
    if (matched === phrase.length) return true;
  }
  return false;
}

/**
 * Query terms with weights: the query's own terms weigh 1, terms brought in by a matched
 * synonym group weigh `expansionWeight` (a term keeps its largest weight).
 */
export function expandQuery(query: string, groups: SynonymGroups, tokenizeOptions: TokenizeOptions, expansionWeight = 0.5): Map<string, number> {
  const tokens = tokenize(query, tokenizeOptions);
  const weights = new Map<string, number>(tokens.map((t) => [t, 1]));
  for (const group of groups) {
    const phrases = group.map((p) => tokenize(p, tokenizeOptions));
    if (!phrases.some((p) => containsPhrase(tokens, p))) continue;
    for (const phrase of phrases) {
      for (const term of phrase) weights.set(term, Math.max(weights.get(term) ?? 0, expansionWeight));
    }
  }
  return weights;
}
