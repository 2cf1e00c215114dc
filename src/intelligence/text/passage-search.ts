/**
 * Two-stage passage retrieval for answers (FAQ, policies, product copy): BM25F (bm25.ts)
 * picks candidates, then a TF-IDF cosine over word and in-word character n-grams re-ranks
 * them, blended with the normalised BM25 score. The second stage forgives what exact-term
 * matching cannot: inflections the stemmer misses, typos, compound words ("giftcard") and
 * short queries whose one shared term is common. A blend of lexical rankers is the classic
 * cheap re-ranking baseline (Fox & Shaw 1994, "Combination of Multiple Searches", CombSUM
 * over max-normalised scores).
 */
import { buildBm25Index, scoreBm25, type Bm25Index, type Bm25Options, type Passage } from './bm25.js';
import { fitTfidf, compileTfidf, type TfidfModel, type TfidfOptions, type TfidfVectorizer } from './tfidf.js';
import { sparseDot, type SparseVector } from '../linear/sparse.js';
import { expandQuery, type SynonymGroups } from './query-expansion.js';

export interface PassageSearchOptions {
  bm25?: Bm25Options;
  /** Weight of the n-gram cosine in the blend (0 = BM25 only). Default 0.5. */
  similarityWeight?: number;
  /** BM25 candidates handed to the second stage. Default 30. */
  candidates?: number;
  similarityFeatures?: TfidfOptions;
  /** Fields the second stage compares with the query. Default: all. */
  similarityFields?: readonly string[];
  /** Domain synonym groups for query expansion in the BM25 stage (query-expansion.ts). */
  synonyms?: SynonymGroups;
  /** Weight of expanded terms relative to the query's own. Default 0.5. */
  expansionWeight?: number;
}

export interface PassageIndex {
  bm25: Bm25Index;
  similarity: TfidfModel;
  /** All fields of each passage joined, as the second stage sees them. */
  texts: string[];
  similarityWeight: number;
  candidates: number;
  synonyms: string[][];
  expansionWeight: number;
}

export interface PassageHit {
  id: string;
  score: number;
  bm25: number;
  similarity: number;
}

export function buildPassageIndex(passages: readonly Passage[], options: PassageSearchOptions = {}): PassageIndex {
  const texts = passages.map((p) => (options.similarityFields ?? Object.keys(p.fields).sort()).map((f) => p.fields[f] ?? '').join('\n'));
  return {
    bm25: buildBm25Index(passages, options.bm25),
    similarity: fitTfidf(texts, options.similarityFeatures ?? { minDocumentFrequency: 1, wordNgrams: [1, 1], charNgrams: [3, 5], tokenize: { stopWords: 'retrieval' } }),
    texts,
    similarityWeight: options.similarityWeight ?? 0.5,
    candidates: options.candidates ?? 30,
    synonyms: (options.synonyms ?? []).map((g) => [...g]),
    expansionWeight: options.expansionWeight ?? 0.5,
  };
}

const compiled = new WeakMap<PassageIndex, { vectorizer: TfidfVectorizer; vectors: SparseVector[] }>();

function compile(index: PassageIndex) {
  let c = compiled.get(index);
  if (!c) {
    const vectorizer = compileTfidf(index.similarity);
    c = { vectorizer, vectors: index.texts.map((t) => vectorizer.vectorize(t)) };
    compiled.set(index, c);
  }
  return c;
}

/** The `limit` best passages for `query`, best first. */
export function searchPassages(index: PassageIndex, query: string, limit = 5): PassageHit[] {
  const bm25 = scoreBm25(index.bm25, expandQuery(query, index.synonyms, index.bm25.tokenize, index.expansionWeight));
  const order = Array.from(bm25.keys()).filter((d) => (bm25[d] as number) > 0).sort((a, b) => (bm25[b] as number) - (bm25[a] as number) || a - b);
  const weight = index.similarityWeight;
  let candidates = order.slice(0, index.candidates);
  const similarity = new Float64Array(bm25.length);
  if (weight > 0) {
    const { vectorizer, vectors } = compile(index);
    const q = vectorizer.vectorize(query);
    vectors.forEach((v, d) => (similarity[d] = sparseDot(q, v)));
    // When exact terms find too little, let the n-gram similarity propose candidates too.
    if (candidates.length < limit) {
      const extra = Array.from(similarity.keys()).filter((d) => !candidates.includes(d) && (similarity[d] as number) > 0)
        .sort((a, b) => (similarity[b] as number) - (similarity[a] as number)).slice(0, limit - candidates.length);
      candidates = [...candidates, ...extra];
    }
  }
  const maxBm25 = Math.max(1e-12, ...candidates.map((d) => bm25[d] as number));
  const maxSimilarity = Math.max(1e-12, ...candidates.map((d) => similarity[d] as number));
  return candidates
    .map((d) => ({
      id: index.bm25.ids[d] as string,
      score: (1 - weight) * ((bm25[d] as number) / maxBm25) + weight * ((similarity[d] as number) / maxSimilarity),
      bm25: bm25[d] as number,
      similarity: similarity[d] as number,
      d,
    }))
    .sort((a, b) => b.score - a.score || a.d - b.d)
    .slice(0, limit)
    .map(({ d: _d, ...hit }) => hit);
}
