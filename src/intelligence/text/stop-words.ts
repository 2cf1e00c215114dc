/**
 * A short English stop-word list (function words only). Negations and question words
 * ("not", "no", "how", "why", "when", "where") are deliberately absent: in shopper queries
 * they carry the intent ("why was my card declined" vs "my card was declined").
 */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'the', 'and', 'or', 'but', 'if', 'then', 'of', 'at', 'by', 'for', 'with', 'about',
  'to', 'from', 'in', 'on', 'into', 'onto', 'over', 'under', 'is', 'am', 'are', 'was', 'were', 'be',
  'been', 'being', 'do', 'does', 'did', 'doing', 'i', 'me', 'my', 'mine', 'myself', 'we', 'us',
  'our', 'ours', 'you', 'your', 'yours', 'he', 'him', 'his', 'she', 'her', 'hers', 'it', 'its',
  'they', 'them', 'their', 'theirs', 'this', 'that', 'these', 'those', 'there', 'here', 'so',
  'than', 'too', 'very', 'just', 'also', 'as', 'some', 'such', 'own', 'same', 'each', 'both',
  'would', 'should', 'could', 'will', 'shall', 'may', 'might', 'must', 'please', 'hi', 'hello',
]);
