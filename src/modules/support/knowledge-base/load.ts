/** Reads the shipped demo knowledge base (the `*.md` files beside this one). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeKnowledgeBase, type KnowledgeBaseEntry } from './parse.js';

export const DEMO_KNOWLEDGE_BASE_DIR = import.meta.dirname;

export function loadKnowledgeBase(dir: string = DEMO_KNOWLEDGE_BASE_DIR): KnowledgeBaseEntry[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.md')).sort();
  return mergeKnowledgeBase(files.map((f) => ({ source: f, markdown: readFileSync(join(dir, f), 'utf8') })));
}
