/**
 * BM25F ranking over passages with several fields (title, body…) each with its own boost and
 * length normalisation: Robertson & Zaragoza (2009), "The Probabilistic Relevance Framework:
 * BM25 and Beyond", Foundations and Trends in IR 3(4), §3.4 (BM25) and §3.7 (BM25F). Field
 * term frequencies are length-normalised and weighted before the single saturation
 *   tf̃(t, d) = Σ_f boost_f · tf(t, f, d) / ((1 − b_f) + b_f · len(f, d) / avglen_f)
 *   score(q, d) = Σ_{t ∈ q} idf(t) · tf̃ / (k1 + tf̃)
 * so that a term repeated in title and body saturates once, as the paper argues it must.
 * idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5)), the non-negative form used by Lucene.
 *
 * The index is plain data (postings as flat number arrays) built from passages given by the
 * caller: no file reading here.
 */
import { tokenize, type TokenizeOptions } from './tokenize.js';

export interface Passage {
  id: string;
  /** Field name → text, e.g. `{ title, body }`. */
  fields: Readonly<Record<string, string>>;
}

export interface Bm25Options {
  /** Term-frequency saturation. Default 1.2. */
  k1?: number;
  /** Length normalisation per field (0 = none, 1 = full). Default 0.75 for every field. */
  b?: number | Readonly<Record<string, number>>;
  /** Weight of a term occurrence in each field. Default 1; e.g. `{ title: 2, body: 1 }`. */
  fieldBoosts?: Readonly<Record<string, number>>;
  /** Default: Porter stems, retrieval stop words removed (stop-words.ts). */
  tokenize?: TokenizeOptions;
}

export interface Bm25Index {
  k1: number;
  fields: string[];
  b: number[];
  boosts: number[];
  tokenize: TokenizeOptions;
  ids: string[];
  /** lengths[d * fields.length + f]: tokens of field f in passage d. */
  lengths: number[];
  averageLengths: number[];
  /** term → flat [passage, field, tf, passage, field, tf, …]. */
  postings: Record<string, number[]>;
}

export interface Bm25Hit {
  id: string;
  index: number;
  score: number;
}

export function buildBm25Index(passages: readonly Passage[], options: Bm25Options = {}): Bm25Index {
  const fields = [...new Set(passages.flatMap((p) => Object.keys(p.fields)))].sort();
  const tokenizeOptions = options.tokenize ?? { stem: true, stopWords: 'retrieval' };
  const bOf = (f: string) => (typeof options.b === 'number' ? options.b : options.b?.[f] ?? 0.75);
  const postings = new Map<string, number[]>();
  const lengths: number[] = [];
  passages.forEach((passage, d) => {
    fields.forEach((field, f) => {
      const tokens = tokenize(passage.fields[field] ?? '', tokenizeOptions);
      lengths[d * fields.length + f] = tokens.length;
      const counts = new Map<string, number>();
      for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const [term, tf] of counts) {
        let list = postings.get(term);
        if (!list) postings.set(term, (list = []));
        list.push(d, f, tf);
      }
    });
  });
  const averageLengths = fields.map((_, f) => {
    let sum = 0;
    for (let d = 0; d < passages.length; d++) sum += lengths[d * fields.length + f] as number;
    return sum / Math.max(1, passages.length) || 1;
  });
  return {
    k1: options.k1 ?? 1.2,
    fields,
    b: fields.map(bOf),
    boosts: fields.map((f) => options.fieldBoosts?.[f] ?? 1),
    tokenize: tokenizeOptions,
    ids: passages.map((p) => p.id),
    lengths,
    averageLengths,
    postings: Object.fromEntries(postings),
  };
}

/**
 * BM25F score of every passage for `query` (zero where no query term occurs). A query given
 * as term → weight (e.g. from query-expansion.ts) multiplies each term's contribution.
 */
export function scoreBm25(index: Bm25Index, query: string | ReadonlyMap<string, number>): Float64Array {
  const N = index.ids.length;
  const F = index.fields.length;
  const scores = new Float64Array(N);
  const weighted = new Float64Array(N);
  const terms = typeof query === 'string' ? new Map(tokenize(query, index.tokenize).map((t) => [t, 1])) : query;
  for (const [term, queryWeight] of terms) {
    const list = Object.hasOwn(index.postings, term) ? (index.postings[term] as number[]) : undefined;
    if (!list) continue;
    const touched = new Set<number>();
    for (let p = 0; p < list.length; p += 3) {
      const d = list[p] as number;
      const f = list[p + 1] as number;
      const tf = list[p + 2] as number;
      const b = index.b[f] as number;
      const norm = 1 - b + (b * (index.lengths[d * F + f] as number)) / (index.averageLengths[f] as number);
      weighted[d] = (weighted[d] as number) + ((index.boosts[f] as number) * tf) / norm;
      touched.add(d);
    }
    const df = touched.size;
    const idf = Math.log(1 + (N - df + 0.5) / (df + 0.5));
    for (const d of touched) {
      const tfw = weighted[d] as number;
      scores[d] = (scores[d] as number) + (queryWeight * idf * tfw) / (index.k1 + tfw);
      weighted[d] = 0;
    }
  }
  return scores;
}

/** The `limit` best passages for `query`, best first; passages scoring zero are left out. */
export function searchBm25(index: Bm25Index, query: string | ReadonlyMap<string, number>, limit = 10): Bm25Hit[] {
  const scores = scoreBm25(index, query);
  const hits: Bm25Hit[] = [];
  scores.forEach((score, i) => {
    if (score > 0) hits.push({ id: index.ids[i] as string, index: i, score });
  });
  return hits.sort((a, b) => b.score - a.score || a.index - b.index).slice(0, limit);
}
