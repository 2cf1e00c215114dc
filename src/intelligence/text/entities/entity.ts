/** What every extractor returns: where in the message, the exact text, and a typed value. */
export interface EntitySpan {
  /** UTF-16 offsets into the original text, end exclusive (so `text.slice(start, end)`). */
  start: number;
  end: number;
  text: string;
}

/** Removes spans that overlap an earlier kept span; input order is priority order. */
export function withoutOverlaps<T extends EntitySpan>(spans: readonly T[]): T[] {
  const kept: T[] = [];
  for (const s of spans) if (!kept.some((k) => s.start < k.end && k.start < s.end)) kept.push(s);
  return kept.sort((a, b) => a.start - b.start);
}
