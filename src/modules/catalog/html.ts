import sanitizeHtml from 'sanitize-html';

/**
 * Product descriptions are rich text from merchants and CSV files from other shops: keep
 * formatting, drop anything that runs (script, event handlers, javascript: links, iframes).
 */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'b', 'em', 'i', 'u', 's', 'ul', 'ol', 'li', 'h2', 'h3', 'h4', 'blockquote', 'a', 'span', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'img'],
  allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'width', 'height'] },
  allowedSchemes: ['https', 'http', 'mailto'],
  allowedSchemesByTag: { img: ['https', 'http'] },
  disallowedTagsMode: 'discard',
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener' }) },
};

export function sanitizeDescription(html: string): string {
  return sanitizeHtml(html, OPTIONS).trim();
}

/** Plain text of sanitised HTML, for the search index and snippets. */
export function htmlToText(html: string): string {
  return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }).replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/\s+/g, ' ').trim();
}

/** "Men's Cotton T-Shirt!" → "mens-cotton-t-shirt" */
export function handleize(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/['’]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 120);
}

export const HANDLE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const ACTIVE_CONTENT = /<\s*\/?\s*(script|iframe|object|embed|style|form|base|meta|link)\b|\son[a-z]+\s*=|(?:java|vb)script\s*:|data\s*:\s*text\/html/i;

/** Why a description is refused (active content), or null. Harmless unknown tags are just dropped by sanitizeDescription. */
export function unsafeHtmlReason(html: string): string | null {
  const m = ACTIVE_CONTENT.exec(html);
  return m ? `contains active content ${JSON.stringify(m[0].trim())}; descriptions may hold formatting, links and images only` : null;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/**
 * Plain text of an already-sanitised description, for the search index: a tag strip is
 * enough (and ~50x faster than a parser) because only sanitizeDescription output is stored.
 */
export function indexText(html: string): string {
  return html.replace(/<[^>]*>/g, ' ').replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_m, e: string) => ENTITIES[e] ?? ' ').replace(/\s+/g, ' ').trim();
}
