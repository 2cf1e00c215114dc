/**
 * Order numbers in customer messages. CloudMart's format is a prefix and a fixed number of
 * digits, canonically written `CM-100234`; customers also write `#CM-100234`, `CM100234`,
 * `cm 100234`, or just the digits after the word "order" ("order 100234", "order #100234",
 * "order no. 100234"). Digits alone, without prefix or the word "order", are never taken: they
 * are as likely a phone number, a postcode or a quantity.
 */
import type { EntitySpan } from './entity.js';

export interface OrderNumberFormat {
  /** Letters before the digits. Default 'CM'. */
  prefix: string;
  /** Exact number of digits. Default 6. */
  digits: number;
  /** Words that announce an order number without its prefix. */
  orderWords: readonly string[];
}

export const DEFAULT_ORDER_FORMAT: OrderNumberFormat = {
  prefix: 'CM',
  digits: 6,
  orderWords: ['order', 'orders', 'order number', 'order no', 'order nr', 'pedido', 'commande', 'bestellung', 'ordine', 'encomenda', 'bestelling'],
};

export interface OrderNumberEntity extends EntitySpan {
  kind: 'order-number';
  /** Canonical form, e.g. `CM-100234`. */
  value: string;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function findOrderNumbers(text: string, format: Partial<OrderNumberFormat> = {}): OrderNumberEntity[] {
  const f = { ...DEFAULT_ORDER_FORMAT, ...format };
  const digits = `(\\d{${f.digits}})(?!\\d)`;
  const words = [...f.orderWords].sort((a, b) => b.length - a.length).map(escape).join('|');
  const patterns = [
    new RegExp(`(?<![\\p{L}\\d])#?${escape(f.prefix)}[- ]?${digits}`, 'giu'),
    new RegExp(`(?<![\\p{L}])(?:${words})\\.?\\s*(?:#|no\\.?\\s*|nr\\.?\\s*|number\\s*)?(?<!\\d)${digits}`, 'giu'),
  ];
  const found = new Map<number, OrderNumberEntity>();
  for (const pattern of patterns) {
    for (const m of text.matchAll(pattern)) {
      const number = m[1] as string;
      // The span covers the identifier only, not the word "order" before it.
      const start = pattern === patterns[0] ? m.index : m.index + m[0].length - number.length - (m[0].includes('#') ? 1 : 0);
      const end = m.index + m[0].length;
      if (!found.has(end)) found.set(end, { kind: 'order-number', start, end, text: text.slice(start, end), value: `${f.prefix}-${number}` });
    }
  }
  return [...found.values()].sort((a, b) => a.start - b.start);
}
