import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { consumer } from '../../platform/events/consumers.js';
import { personalEventFields, redactStoredEvents } from '../../platform/events/redact.js';
import type { PersonalDataPart } from '../../platform/module.js';
import { customerErased } from '../identity/events.js';
import { reviewSubmitted } from './events.js';
import { products, reviews } from './schema.js';

const personalInReviewEvents = personalEventFields({ events: [reviewSubmitted], subjectField: 'customerId', fields: ['title', 'body'] });

/** The customer's product reviews, hidden ones included. */
export const reviewsPersonalData: PersonalDataPart = {
  events: [personalInReviewEvents],
  key: 'reviews',
  async export(db: Db, customerId: string) {
    const rows = await db.select({ review: reviews, handle: products.handle, productTitle: products.title })
      .from(reviews).innerJoin(products, eq(products.id, reviews.productId))
      .where(eq(reviews.customerId, customerId)).orderBy(asc(reviews.createdAt), asc(reviews.id));
    return rows.map(({ review: r, handle, productTitle }) => ({
      id: r.id, product: { id: r.productId, handle, title: productTitle }, rating: r.rating, title: r.title, body: r.body, authorName: r.authorName,
      verifiedPurchase: r.verifiedPurchase, hidden: r.hidden, createdAt: new Date(r.createdAt).toISOString(), updatedAt: new Date(r.updatedAt).toISOString(),
    }));
  },
};

/**
 * A review's author name, title and text are the customer's own words and may name them,
 * their family or their town; no duty to keep them outweighs erasure (GDPR art. 17(1)), so
 * they go. The star rating alone, attached to an account that no longer identifies anyone,
 * is not personal data (recital 26): it stays, so the product's average does not shift and
 * other shoppers keep an honest count. The review still shows, as a rating without text.
 * The stored `review.submitted` events (outbox, dead letters) lose the same words.
 */
export const anonymiseErasedCustomerReviews = consumer('catalog.anonymise-erased-customer-reviews', customerErased, async (tx, { payload }) => {
  await tx.update(reviews).set({ authorName: '', title: '', body: '', updatedAt: sql`now()` }).where(eq(reviews.customerId, payload.customerId));
  await redactStoredEvents(tx, personalInReviewEvents, payload.customerId);
});
