/**
 * N-gram features for short texts: word n-grams over tokens and character n-grams inside
 * word boundaries (each word padded with a space on both sides, as scikit-learn's
 * `char_wb` analyzer does). Character n-grams carry morphology and survive typos, which is
 * what lets a linear model on a few thousand queries rival a small neural encoder
 * (Joulin et al. 2017, "Bag of Tricks for Efficient Text Classification", EACL; Cavnar &
 * Trenkle 1994 for character n-grams).
 */

/** Contiguous n-grams of `tokens` for each n in [minN, maxN], joined by a space. */
export function wordNgrams(tokens: readonly string[], minN: number, maxN: number): string[] {
  const out: string[] = [];
  for (let n = minN; n <= maxN; n++) {
    for (let i = 0; i + n <= tokens.length; i++) out.push(n === 1 ? (tokens[i] as string) : tokens.slice(i, i + n).join(' '));
  }
  return out;
}

/**
 * Character n-grams of each word, padded as " word ", for n in [minN, maxN]. A word shorter
 * than n yields its whole padded form once, so short words still count.
 */
export function charNgrams(words: readonly string[], minN: number, maxN: number): string[] {
  const out: string[] = [];
  for (const word of words) {
    const padded = ` ${word} `;
    // Code points, not UTF-16 units, so an emoji or a rare Han character is one character;
    // plain strings take the fast substring path.
    const chars = /[\uD800-\uDFFF]/.test(padded) ? Array.from(padded) : null;
    const length = chars ? chars.length : padded.length;
    for (let n = minN; n <= maxN; n++) {
      if (length < n) {
        if (n === minN) out.push(padded);
        break;
      }
      for (let i = 0; i + n <= length; i++) out.push(chars ? chars.slice(i, i + n).join('') : padded.substring(i, i + n));
    }
  }
  return out;
}
