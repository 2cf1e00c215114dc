/**
 * Everything a support agent needs from one customer message, in one call. Extractors run in
 * priority order and a span claimed by an earlier one is not re-read by a later one, so a card
 * number is never also an amount, and "order 100234" is never a date or money.
 */
import { findCardNumbers, type CardNumberEntity } from './card-numbers.js';
import { findEmails, type EmailEntity } from './emails.js';
import { findOrderNumbers, type OrderNumberFormat, type OrderNumberEntity } from './order-numbers.js';
import { findMoney, type MoneyEntity, type MoneyOptions } from './money.js';
import { findDates, type DateEntity, type DateOptions } from './dates.js';
import { findProducts, type CatalogProduct, type ProductEntity, type ProductMatchOptions } from './products.js';
import { withoutOverlaps } from './entity.js';

export type Entity = CardNumberEntity | EmailEntity | OrderNumberEntity | MoneyEntity | DateEntity | ProductEntity;

export interface ExtractOptions {
  /** The moment the message was received; relative dates resolve against it (UTC). */
  now: Date;
  catalog?: readonly CatalogProduct[];
  orderFormat?: Partial<OrderNumberFormat>;
  money?: MoneyOptions;
  dates?: DateOptions;
  products?: ProductMatchOptions;
}

export function extractEntities(text: string, options: ExtractOptions): Entity[] {
  return withoutOverlaps<Entity>([
    ...findEmails(text),
    ...findCardNumbers(text),
    ...findOrderNumbers(text, options.orderFormat),
    ...findMoney(text, options.money),
    ...findDates(text, options.now, options.dates),
    ...findProducts(text, options.catalog ?? [], options.products),
  ]);
}
