import { splitWords, stemWord } from '../../intelligence/text/tokenize.js';
import { ENGLISH_STOP_WORDS } from '../../intelligence/text/stop-words.js';
import { damerauLevenshtein } from '../../intelligence/text/entities/damerau-levenshtein.js';

/**
 * In-process product search: an inverted index scored with BM25F (Robertson & Zaragoza 2009,
 * "The Probabilistic Relevance Framework: BM25 and Beyond", §3.6 — field-weighted term
 * frequencies, one length normalisation), prefix matching on the last word (search as you
 * type) and typo tolerance by symmetric deletion (Garbe's SymSpell: a word and every
 * vocabulary term within edit distance k share a k-deletion) checked with Damerau distance.
 * Hyphenated words are also indexed joined ("t-shirt" → "tshirt"), so "tshrit" is one swap
 * away from a real term.
 */
export interface SearchFields {
  title: string;
  tags: readonly string[];
  vendor: string;
  productType: string;
  description: string;
}

export const FIELD_WEIGHTS = { title: 3, tags: 2, vendor: 1.5, productType: 1.5, description: 1 } as const;
const K1 = 1.2;
const B = 0.75;
const MAX_EXPANSIONS = 30;

interface Posting {
  slots: number[];
  weights: number[];
  /** Live documents holding the term (removed ones stay in slots until the posting is compacted). */
  df: number;
}

export interface SearchHit {
  slot: number;
  id: string;
  score: number;
}

export interface SearchResult {
  hits: SearchHit[];
  /** Index terms that matched, for highlighting. */
  terms: Set<string>;
  /** Query words corrected to another term: word → term. */
  corrections: Record<string, string>;
}

// A pure memo (same word, same stem): a catalog repeats a few thousand words a million times.
const stems = new Map<string, string>();
function stem(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    s = stemWord(word);
    if (stems.size < 200_000) stems.set(word, s);
  }
  return s;
}

/** Words of a text as index terms: stemmed words, plus joined hyphenated compounds. */
export function termsOf(text: string): string[] {
  const words = splitWords(text);
  const out = words.map(stem);
  if (text.includes('-')) for (const m of text.toLowerCase().matchAll(/([\p{L}\p{N}]+)(?:-([\p{L}\p{N}]+))+/gu)) out.push(stem(m[0].replace(/-/g, '')));
  return out;
}

function deletions(word: string, distance: number): Set<string> {
  let frontier = new Set([word]);
  const all = new Set([word]);
  for (let d = 0; d < distance; d++) {
    const next = new Set<string>();
    for (const w of frontier) for (let i = 0; i < w.length; i++) next.add(w.slice(0, i) + w.slice(i + 1));
    for (const w of next) all.add(w);
    frontier = next;
  }
  return all;
}

const maxTypos = (length: number) => (length >= 8 ? 2 : length >= 4 ? 1 : 0);

export class SearchIndex {
  private readonly ids: (string | null)[] = [];
  private readonly slotOf = new Map<string, number>();
  private readonly lengths: number[] = [];
  private readonly termsOfSlot: (string[] | null)[] = [];
  private readonly postings = new Map<string, Posting>();
  private readonly deletionIndex = new Map<string, string[]>();
  private sortedTerms: string[] | null = null;
  private live = 0;
  private totalLength = 0;
  private scores = new Float64Array(0);
  private matched = new Uint16Array(0);
  /** Best score of the current query word per slot (-1: none yet); reset after each word. */
  private wordBest = new Float64Array(0);

  get size(): number {
    return this.live;
  }

  add(id: string, fields: SearchFields): void {
    this.remove(id);
    const slot = this.ids.length;
    this.ids.push(id);
    this.slotOf.set(id, slot);
    const tf = new Map<string, number>();
    let length = 0;
    const count = (text: string, weight: number) => {
      for (const term of termsOf(text)) {
        tf.set(term, (tf.get(term) ?? 0) + weight);
        length += weight;
      }
    };
    count(fields.title, FIELD_WEIGHTS.title);
    count(fields.tags.join(' , '), FIELD_WEIGHTS.tags);
    count(fields.vendor, FIELD_WEIGHTS.vendor);
    count(fields.productType, FIELD_WEIGHTS.productType);
    count(fields.description, FIELD_WEIGHTS.description);
    for (const [term, weight] of tf) {
      let posting = this.postings.get(term);
      if (!posting) {
        posting = { slots: [], weights: [], df: 0 };
        this.postings.set(term, posting);
        this.addToVocabulary(term);
      }
      posting.slots.push(slot);
      posting.weights.push(weight);
      posting.df++;
    }
    this.termsOfSlot.push([...tf.keys()]);
    this.lengths.push(length);
    this.totalLength += length;
    this.live++;
  }

  /** Marks the document gone; its postings are skipped (and dropped at the next rebuild). */
  remove(id: string): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    this.ids[slot] = null;
    this.slotOf.delete(id);
    for (const term of this.termsOfSlot[slot] ?? []) {
      const posting = this.postings.get(term);
      if (!posting) continue;
      posting.df--;
      // Compact once half the entries are dead, so churn does not slow searches down.
      if (posting.slots.length > 8 && posting.df * 2 < posting.slots.length) this.compact(posting);
    }
    this.termsOfSlot[slot] = null;
    this.totalLength -= this.lengths[slot] ?? 0;
    this.live--;
  }

  private compact(posting: Posting): void {
    const slots: number[] = [];
    const weights: number[] = [];
    posting.slots.forEach((slot, i) => {
      if (this.ids[slot] !== null) {
        slots.push(slot);
        weights.push(posting.weights[i] as number);
      }
    });
    posting.slots = slots;
    posting.weights = weights;
  }

  private addToVocabulary(term: string): void {
    this.sortedTerms = null;
    for (const d of deletions(term, maxTypos(term.length))) {
      const list = this.deletionIndex.get(d);
      if (list) list.push(term);
      else this.deletionIndex.set(d, [term]);
    }
  }

  /** Vocabulary terms within the typo budget of `word` (not the word itself). */
  private fuzzy(word: string): { term: string; distance: number }[] {
    const budget = maxTypos(word.length);
    if (budget === 0) return [];
    const found = new Map<string, number>();
    for (const d of deletions(word, budget)) {
      for (const term of this.deletionIndex.get(d) ?? []) {
        if (term === word || found.has(term)) continue;
        const distance = damerauLevenshtein(word, term);
        if (distance <= budget) found.set(term, distance);
      }
    }
    return [...found].map(([term, distance]) => ({ term, distance })).sort((a, b) => a.distance - b.distance || this.df(b.term) - this.df(a.term)).slice(0, MAX_EXPANSIONS);
  }

  private prefixed(prefix: string): string[] {
    this.sortedTerms ??= [...this.postings.keys()].sort();
    const terms = this.sortedTerms;
    let lo = 0;
    let hi = terms.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((terms[mid] as string) < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < terms.length && out.length < MAX_EXPANSIONS && (terms[i] as string).startsWith(prefix); i++) if (terms[i] !== prefix) out.push(terms[i] as string);
    return out;
  }

  private df(term: string): number {
    return this.postings.get(term)?.df ?? 0;
  }

  /**
   * Every live document matching the most query words, best first. A word matches its own
   * term (weight 1), a prefix completion when it is the last word (0.8), or a typo
   * correction when the word is not a term at all (0.7 for one edit, 0.5 for two).
   */
  search(query: string, accept: (id: string) => boolean = () => true): SearchResult {
    const rawWords = splitWords(query).filter((w) => !ENGLISH_STOP_WORDS.has(w));
    const words = [...new Set(rawWords)];
    const terms = new Set<string>();
    const corrections: Record<string, string> = {};
    if (words.length === 0 || this.live === 0) return { hits: [], terms, corrections };
    if (this.scores.length < this.ids.length) {
      this.scores = new Float64Array(this.ids.length * 2);
      this.matched = new Uint16Array(this.ids.length * 2);
      this.wordBest = new Float64Array(this.ids.length * 2).fill(-1);
    }
    const wordBest = this.wordBest;
    const wordTouched: number[] = [];
    const scores = this.scores;
    const matched = this.matched;
    const touched: number[] = [];
    const avgLength = this.totalLength / this.live;
    words.forEach((word, position) => {
      const stem = stemWord(word);
      const expansions: [string, number][] = [];
      const live = (t: string) => (this.postings.get(t)?.df ?? 0) > 0;
      if (live(stem)) expansions.push([stem, 1]);
      if (live(word) && word !== stem) expansions.push([word, 1]);
      if (position === words.length - 1 && word.length >= 2) for (const t of this.prefixed(word)) expansions.push([t, 0.8]);
      if (expansions.length === 0) {
        // Both forms: "hodie" stems to "hodi", one edit from "hoodi" (the stem of "hoodie").
        const near = [...this.fuzzy(stem), ...(word !== stem ? this.fuzzy(word) : [])].sort((a, b) => a.distance - b.distance);
        if (near[0]) corrections[word] = near[0].term;
        for (const n of near) expansions.push([n.term, n.distance === 1 ? 0.7 : 0.5]);
      }
      wordTouched.length = 0;
      for (const [term, weight] of expansions) {
        const posting = this.postings.get(term);
        if (!posting) continue;
        terms.add(term);
        const df = posting.df;
        if (df === 0) continue;
        const idf = Math.log(1 + (this.live - df + 0.5) / (df + 0.5));
        for (let i = 0; i < posting.slots.length; i++) {
          const slot = posting.slots[i] as number;
          if (this.ids[slot] === null) continue;
          const tf = posting.weights[i] as number;
          const norm = tf / (1 - B + (B * (this.lengths[slot] as number)) / avgLength);
          const s = weight * idf * ((norm * (K1 + 1)) / (norm + K1));
          const prev = wordBest[slot] as number;
          if (prev < 0) wordTouched.push(slot);
          if (s > prev) wordBest[slot] = s;
        }
      }
      for (const slot of wordTouched) {
        if (matched[slot] === 0) touched.push(slot);
        matched[slot] = (matched[slot] as number) + 1;
        scores[slot] = (scores[slot] as number) + (wordBest[slot] as number);
        wordBest[slot] = -1;
      }
    });
    let most = 0;
    for (const slot of touched) if ((matched[slot] as number) > most) most = matched[slot] as number;
    const hits: SearchHit[] = [];
    for (const slot of touched) {
      const id = this.ids[slot] as string;
      if (matched[slot] === most && accept(id)) hits.push({ slot, id, score: scores[slot] as number });
      scores[slot] = 0;
      matched[slot] = 0;
    }
    hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    return { hits, terms, corrections };
  }
}
