import { and, desc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import { publish } from '../../platform/events/outbox.js';
import { problem } from '../../platform/http/problem.js';
import { newId } from '../../platform/ids.js';
import { reviewSubmitted } from './events.js';
import { touchProduct } from './products.js';
import { products, reviews } from './schema.js';

/** Answers whether a customer bought a product; the orders module supplies it once it exists. */
export type PurchaseCheck = (tx: Tx, customerId: string, productId: string) => Promise<boolean>;
export const noOrdersYet: PurchaseCheck = async () => false;

export type ReviewRow = typeof reviews.$inferSelect;

export async function submitReview(tx: Tx, input: { handle: string; customerId: string; rating: number; title?: string; body?: string; authorName?: string }, purchased: PurchaseCheck): Promise<ReviewRow> {
  const [product] = await tx.select({ id: products.id, status: products.status }).from(products).where(eq(products.handle, input.handle));
  if (!product || product.status !== 'published') throw problem(404, 'product-not-found', `No published product with handle ${JSON.stringify(input.handle)}`);
  const [existing] = await tx.select({ id: reviews.id }).from(reviews).where(and(eq(reviews.productId, product.id), eq(reviews.customerId, input.customerId)));
  if (existing) throw problem(409, 'already-reviewed', 'You have already reviewed this product; edit that review instead', { reviewId: existing.id });
  const id = newId();
  const [row] = await tx.insert(reviews).values({
    id, productId: product.id, customerId: input.customerId, rating: input.rating, title: input.title ?? '', body: input.body ?? '', authorName: input.authorName ?? '',
    verifiedPurchase: await purchased(tx, input.customerId, product.id),
  }).returning();
  await touchProduct(tx, product.id, ['rating'], { ratingSum: sql`${products.ratingSum} + ${input.rating}`, ratingCount: sql`${products.ratingCount} + 1` } as never);
  await publish(tx, reviewSubmitted.create(product.id, { reviewId: id, productId: product.id, customerId: input.customerId, rating: input.rating, title: input.title ?? '', body: input.body ?? '' }));
  return row as ReviewRow;
}

/** Hiding takes the review out of the product's average; showing it again puts it back. */
export async function setReviewHidden(tx: Tx, id: string, hidden: boolean): Promise<ReviewRow> {
  const [current] = await tx.select().from(reviews).where(eq(reviews.id, id)).for('update');
  if (!current) throw problem(404, 'review-not-found', `No review ${id}`);
  if (current.hidden === hidden) return current;
  const [row] = await tx.update(reviews).set({ hidden, updatedAt: new Date().toISOString() }).where(eq(reviews.id, id)).returning();
  const sign = hidden ? -1 : 1;
  await touchProduct(tx, current.productId, ['rating'], { ratingSum: sql`${products.ratingSum} + ${sign * current.rating}`, ratingCount: sql`${products.ratingCount} + ${sign}` } as never);
  return row as ReviewRow;
}

export async function visibleReviews(tx: Tx, productId: string, limit: number): Promise<ReviewRow[]> {
  return tx.select().from(reviews).where(and(eq(reviews.productId, productId), eq(reviews.hidden, false))).orderBy(desc(reviews.createdAt)).limit(limit);
}
