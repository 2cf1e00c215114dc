import { test, expect } from 'vitest';
import { parseKnowledgeBase, mergeKnowledgeBase, entriesToPassages } from './parse.js';
import { loadKnowledgeBase } from './load.js';

test('parses topics, headings with ids, and multi-paragraph bodies', () => {
  const md = '# Shipping\n\n## Where do you ship? {#ship-where}\n\nUS, EU and UK.\n\nNot Canada.\n## Cost {#ship-cost}\nFree over $75.\n';
  expect(parseKnowledgeBase(md)).toEqual([
    { id: 'ship-where', topic: 'Shipping', title: 'Where do you ship?', body: 'US, EU and UK.\n\nNot Canada.' },
    { id: 'ship-cost', topic: 'Shipping', title: 'Cost', body: 'Free over $75.' },
  ]);
});

test('a heading without an id and a repeated id are errors', () => {
  expect(() => parseKnowledgeBase('# T\n## No id here\ntext', 'x.md')).toThrow(/x.md:2/);
  expect(() => mergeKnowledgeBase([{ source: 'a', markdown: '## A {#same}\n' }, { source: 'b', markdown: '## B {#same}\n' }])).toThrow(/duplicate/);
});

test('the demo knowledge base parses into ~40+ entries with titles and bodies', () => {
  const entries = loadKnowledgeBase();
  expect(entries.length).toBeGreaterThanOrEqual(40);
  for (const e of entries) expect(e.body.length).toBeGreaterThan(80);
  expect(entriesToPassages(entries)[0]?.fields.title).toBe(entries[0]?.title);
});
