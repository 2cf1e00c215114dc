/**
 * Content-based fallback for items nobody has bought yet: TF-IDF vectors of the catalogue
 * descriptions (Salton & Buckley 1988, "Term-weighting approaches in automatic text retrieval",
 * IP&M 24(5); weight tf·log(N/df), cosine on L2-normalised vectors) over Porter-stemmed word
 * tokens (Porter 1980). "RED RETROSPOT CAKE STAND" is then close to "RED RETROSPOT MUG", which is
 * all a brand-new item has to go on.
 */
import { stemmer } from 'stemmer';
import type { SparseNeighbours } from './interactions.js';

export interface CatalogItem {
  itemId: string;
  description: string;
}

export interface ContentModel extends SparseNeighbours {
  kind: 'content-tfidf';
  items: string[];
}

const STOPWORDS = new Set(['of', 'the', 'and', 'with', 'in', 'for', 'a', 'an', 'to', 'on', 'set', 'pack', 'design', 'assorted']);

/** Lower-case stemmed word tokens; digits-only and one-letter tokens carry no meaning here. */
export function descriptionTokens(description: string): string[] {
  return (description.toLowerCase().match(/[a-z][a-z']+/g) ?? [])
    .map((t) => t.replace(/'/g, ''))
    .filter((t) => t.length > 1 && !STOPWORDS.has(t))
    .map((t) => stemmer(t));
}

export interface ContentOptions {
  /** Neighbours kept per item. Default 30. */
  topN?: number;
}

export function fitContentSimilarity(catalog: readonly CatalogItem[], opts: ContentOptions = {}): ContentModel {
  const topN = opts.topN ?? 30;
  const items: string[] = [];
  const seen = new Set<string>();
  const docs: Map<string, number>[] = [];
  for (const c of catalog) {
    if (seen.has(c.itemId)) continue; // first description wins
    seen.add(c.itemId);
    items.push(c.itemId);
    const tf = new Map<string, number>();
    for (const t of descriptionTokens(c.description)) tf.set(t, (tf.get(t) ?? 0) + 1);
    docs.push(tf);
  }
  const df = new Map<string, number>();
  for (const d of docs) for (const t of d.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const postings = new Map<string, { doc: number; w: number }[]>();
  docs.forEach((d, doc) => {
    const weights = [...d].map(([t, tf]) => [t, tf * Math.log(docs.length / (df.get(t) as number))] as const);
    const norm = Math.hypot(...weights.map(([, w]) => w)) || 1;
    for (const [t, w] of weights) {
      if (w <= 0) continue;
      let list = postings.get(t);
      if (!list) postings.set(t, (list = []));
      list.push({ doc, w: w / norm });
    }
  });
  const vectors: { t: string; w: number }[][] = docs.map(() => []);
  for (const [t, list] of postings) for (const { doc, w } of list) (vectors[doc] as { t: string; w: number }[]).push({ t, w });
  const index: number[][] = [];
  const weight: number[][] = [];
  vectors.forEach((vec, doc) => {
    const sims = new Map<number, number>();
    for (const { t, w } of vec) {
      for (const other of postings.get(t) ?? []) if (other.doc !== doc) sims.set(other.doc, (sims.get(other.doc) ?? 0) + w * other.w);
    }
    const top = [...sims].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, topN);
    index.push(top.map(([j]) => j));
    weight.push(top.map(([, s]) => s));
  });
  return { kind: 'content-tfidf', items, index, weight };
}

/** Catalogue items whose descriptions are closest to `itemId`'s. */
export function similarByDescription(model: ContentModel, itemId: string, k: number): { itemId: string; similarity: number }[] {
  const i = model.items.indexOf(itemId);
  if (i < 0) return [];
  return (model.index[i] ?? []).slice(0, k).map((j, t) => ({ itemId: model.items[j] as string, similarity: (model.weight[i] as number[])[t] as number }));
}
