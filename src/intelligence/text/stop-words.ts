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

/**
 * For retrieval, question scaffolding ("what", "how do I", "can you") matches every FAQ
 * heading and says nothing about which one answers, so it is dropped as well.
 */
export const RETRIEVAL_STOP_WORDS: ReadonlySet<string> = new Set([
  ...ENGLISH_STOP_WORDS,
  'what', 'whats', 'how', 'hows', 'why', 'when', 'where', 'wheres', 'which', 'who', 'whom', 'can', 'cant', 'cannot',
  'do', 'dont', 'does', 'doesnt', 'didnt', 'have', 'has', 'had', 'havent', 'hasnt', 'get', 'got', 'any', 'all', 'not',
  'no', 'yet', 'now', 'still', 'im', 'ive', 'id', 'isnt', 'arent', 'wasnt', 'want', 'need', 'like', 'know', 'tell',
  'something', 'anything', 'thing', 'things', 'way', 'much', 'many', 'one', 'there', 'theres', 'ok', 'okay', 'thanks',
]);
