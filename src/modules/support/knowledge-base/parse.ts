/**
 * Parser for the knowledge-base markdown format: one file per topic,
 *
 *   # Topic title
 *   ## Question-like heading {#stable-id}
 *   Answer paragraphs…
 *
 * Pure (string in, passages out) so the support module, the CLI and the retrieval benchmark
 * read the same entries. The id is the link every evaluation, citation and analytics record
 * uses, so a missing or repeated id is an error, not a warning.
 */
export interface KnowledgeBaseEntry {
  id: string;
  topic: string;
  title: string;
  body: string;
}

const ENTRY_HEADING = /^##\s+(.+?)\s*\{#([a-z0-9][a-z0-9-]*)\}\s*$/;

export function parseKnowledgeBase(markdown: string, source = 'knowledge base'): KnowledgeBaseEntry[] {
  const entries: KnowledgeBaseEntry[] = [];
  let topic = '';
  let current: { id: string; title: string; lines: string[] } | null = null;
  const flush = () => {
    if (current) entries.push({ id: current.id, topic, title: current.title, body: current.lines.join('\n').trim() });
    current = null;
  };
  markdown.split(/\r?\n/).forEach((line, i) => {
    if (/^#\s/.test(line)) {
      flush();
      topic = line.replace(/^#\s+/, '').trim();
    } else if (/^##\s/.test(line)) {
      flush();
      const match = ENTRY_HEADING.exec(line);
      if (!match) throw new Error(`${source}:${i + 1}: entry heading needs an id, e.g. "## Title {#topic-name}"`);
      current = { title: match[1] as string, id: match[2] as string, lines: [] };
    } else if (current) {
      current.lines.push(line);
    } else if (line.trim() !== '') {
      throw new Error(`${source}:${i + 1}: text outside an entry`);
    }
  });
  flush();
  return entries;
}

/** Entries of several files, checking that ids are unique across all of them. */
export function mergeKnowledgeBase(files: readonly { source: string; markdown: string }[]): KnowledgeBaseEntry[] {
  const all = files.flatMap((f) => parseKnowledgeBase(f.markdown, f.source));
  const seen = new Set<string>();
  for (const e of all) {
    if (seen.has(e.id)) throw new Error(`knowledge base: duplicate entry id "${e.id}"`);
    seen.add(e.id);
  }
  return all;
}

/** Passages for retrieval: the heading is its own (boosted) field. */
export function entriesToPassages(entries: readonly KnowledgeBaseEntry[]): { id: string; fields: { title: string; body: string } }[] {
  return entries.map((e) => ({ id: e.id, fields: { title: e.title, body: e.body } }));
}
