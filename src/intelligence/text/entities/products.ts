/**
 * Product names from the shop's catalog mentioned in a message, typos included. Each catalog
 * name is slid over the message's words; a window matches when every word is within a
 * length-dependent edit budget (Damerau–Levenshtein, see damerau-levenshtein.ts) — none for
 * words of up to 3 letters, 1 up to 7, 2 beyond, the "AUTO" fuzziness Lucene uses for the same
 * job — and its score is the letter-weighted mean word similarity. Overlapping matches keep the
 * best score, so "Trail Runner GTX" beats "Trail Runner" on the same words.
 */
import type { EntitySpan } from './entity.js';
import { damerauLevenshtein } from './damerau-levenshtein.js';

export interface CatalogProduct {
  id: string;
  name: string;
}

export interface ProductEntity extends EntitySpan {
  kind: 'product';
  productId: string;
  productName: string;
  /** 1 for an exact (case-insensitive) mention, lower with each typo. */
  score: number;
}

export interface ProductMatchOptions {
  /** Matches scoring below this are dropped. Default 0.75. */
  minScore?: number;
}

interface Word {
  text: string;
  start: number;
  end: number;
}

const WORD = /[\p{L}\p{N}]+/gu;

function words(text: string): Word[] {
  return [...text.matchAll(WORD)].map((m) => ({ text: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length }));
}

function editBudget(length: number): number {
  return length <= 3 ? 0 : length <= 7 ? 1 : 2;
}

/** Score of a text window against a name, or null when any word is over its edit budget. */
function windowScore(name: readonly string[], window: readonly Word[]): number | null {
  let weighted = 0;
  let letters = 0;
  for (let j = 0; j < name.length; j++) {
    const wanted = name[j] as string;
    const seen = (window[j] as Word).text;
    const distance = damerauLevenshtein(wanted, seen);
    const length = Math.max(Array.from(wanted).length, Array.from(seen).length);
    if (distance > editBudget(Array.from(wanted).length)) return null;
    weighted += (1 - distance / length) * length;
    letters += length;
  }
  return letters === 0 ? null : weighted / letters;
}

export function findProducts(text: string, catalog: readonly CatalogProduct[], options: ProductMatchOptions = {}): ProductEntity[] {
  const minScore = options.minScore ?? 0.75;
  const tokens = words(text);
  const candidates: ProductEntity[] = [];
  for (const product of catalog) {
    const name = words(product.name).map((w) => w.text);
    if (name.length === 0) continue;
    for (let i = 0; i + name.length <= tokens.length; i++) {
      const window = tokens.slice(i, i + name.length);
      const score = windowScore(name, window);
      if (score === null || score < minScore) continue;
      const start = (window[0] as Word).start;
      const end = (window[window.length - 1] as Word).end;
      candidates.push({ kind: 'product', start, end, text: text.slice(start, end), productId: product.id, productName: product.name, score });
    }
  }
  // Best first; on equal scores the longer name (more words agreeing) wins.
  candidates.sort((a, b) => b.score - a.score || (b.end - b.start) - (a.end - a.start));
  const kept: ProductEntity[] = [];
  for (const c of candidates) if (!kept.some((k) => c.start < k.end && k.start < c.end)) kept.push(c);
  return kept.sort((a, b) => a.start - b.start);
}
