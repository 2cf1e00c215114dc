/**
 * Parses the VADER sentiment lexicon (Hutto & Gilbert 2014, §3.1: 7,500+ tokens rated -4..+4 by
 * ten raters each). The file is TSV `token, mean valence, std, [raw ratings]`; only the first two
 * columns matter for scoring. Reading the file (shipped as assets/vader_lexicon.txt.gz) is the
 * caller's job, so this stays pure.
 */

/** Lower-case token → mean valence on the -4..+4 scale. */
export type VaderLexicon = ReadonlyMap<string, number>;

export function parseVaderLexicon(text: string): VaderLexicon {
  const lexicon = new Map<string, number>();
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '') continue;
    const [token, valence] = line.split('\t');
    if (token === undefined || valence === undefined) continue;
    const value = Number(valence);
    if (!Number.isFinite(value)) throw new Error(`VADER lexicon: bad valence for "${token}": ${valence}`);
    lexicon.set(token, value);
  }
  return lexicon;
}
