import { asc, inArray, sql, type SQL } from 'drizzle-orm';
import { selectRows, type Database } from '../../platform/db/database.js';
import { outbox } from '../../platform/events/schema.js';
import type { Logger } from '../../platform/observability/logger.js';
import { catalogChanged, productCreated, productDeleted, productUpdated } from './events.js';
import { indexText } from './html.js';
import { loadAllPublished, loadPriceLists, loadProducts } from './load.js';
import { nextPriceChange, type PriceListRule } from './pricing.js';
import { categories, collectionProducts, collections } from './schema.js';
import { SearchIndex } from './search-index.js';
import type { CategoryRow } from './categories.js';
import type { CollectionRow } from './collections.js';
import type { ProductDoc } from './types.js';

interface CachedResponse {
  /** Encoded once: sending bytes spares a UTF-8 encoding per hit. */
  body: Buffer;
  etag: string;
  /** Epoch ms after which a price in it may have changed (a sale starts or ends). */
  validUntil: number;
}

const RESPONSE_CACHE_MAX = 5000;
/** Outbox rows can commit out of seq order; re-reading this many behind the high-water mark catches late ones. */
const REREAD_WINDOW = 500;
const POLL_LIMIT = 5000;
/** The events the view follows; its cursor moves only on these. */
const followedTypes = [productCreated, productUpdated, productDeleted, catalogChanged].map((e) => e.type);

/**
 * The catalog events after `seq`, oldest first: one ordered read of the outbox's (type, seq)
 * index per followed type. Every statement is prepared, and a generic plan cannot tell a rare
 * type from a common one: with the types as parameters, or as one list, PostgreSQL walked the
 * outbox in seq order and filtered, reading every event since the last catalog change.
 */
export function catalogEventsQuery(seq: number): SQL {
  const branches = followedTypes.map((type) => sql`(select seq, type, aggregate_id, payload from outbox
    where type = ${sql.raw(`'${type}'`)} and seq > ${seq} order by seq limit ${POLL_LIMIT})`);
  return sql`select seq, type, aggregate_id, payload from (${sql.join(branches, sql` union all `)}) followed order by seq limit ${POLL_LIMIT}`;
}

interface OutboxEventRow { seq: string; type: string; aggregate_id: string; payload: unknown }

/**
 * The storefront's read model: every published product in memory with its search index,
 * kept in sync from the product events in the outbox (so writes by any process show up)
 * and refreshed synchronously after this process's own writes (read-after-write). Rendered
 * responses are cached until the next change; a change anywhere clears them.
 */
export class CatalogView {
  readonly docs = new Map<string, ProductDoc>();
  readonly byHandle = new Map<string, string>();
  search = new SearchIndex();
  categories: CategoryRow[] = [];
  categoryById = new Map<string, CategoryRow>();
  collections: CollectionRow[] = [];
  manualMembers = new Map<string, string[]>();
  priceLists = new Map<string, PriceListRule>();
  /** Bumped by every change; derived data (sorted orders, rule collections, responses) is keyed on it. */
  generation = 0;
  private readonly responses = new Map<string, CachedResponse>();
  private readonly derived = new Map<string, { generation: number; value: unknown }>();
  private lastSeq = 0;
  /** Events at or below this were already in the database when the catalog was last fully loaded. */
  private floorSeq = 0;
  private readonly seenSeqs = new Set<number>();
  private timer: NodeJS.Timeout | null = null;
  private following: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<(productIds: string[], meta: boolean) => void>();

  constructor(private readonly database: Database, private readonly logger: Logger) {}

  /** (Re)loads the whole published catalog; reads keep using the old one until the new one is complete. */
  async loadAll(onProgress?: (done: number, total: number) => void): Promise<void> {
    const [maxSeq] = await this.database.db.select({ seq: sql<number>`coalesce(max(${outbox.seq}), 0)::bigint` }).from(outbox);
    this.lastSeq = Math.max(this.lastSeq, Number(maxSeq?.seq ?? 0));
    this.floorSeq = Math.max(this.floorSeq, Number(maxSeq?.seq ?? 0));
    const fresh = new CatalogView(this.database, this.logger);
    await fresh.loadMeta();
    for (const doc of await loadAllPublished(this.database.db, onProgress)) fresh.put(doc);
    this.docs.clear();
    this.byHandle.clear();
    for (const [id, doc] of fresh.docs) this.docs.set(id, doc);
    for (const [handle, id] of fresh.byHandle) this.byHandle.set(handle, id);
    this.search = fresh.search;
    this.categories = fresh.categories;
    this.categoryById = fresh.categoryById;
    this.collections = fresh.collections;
    this.manualMembers = fresh.manualMembers;
    this.priceLists = fresh.priceLists;
    this.changed();
  }

  /** Polls the outbox for catalog events written by anyone (other replicas, the CLI, imports). */
  follow(intervalMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.following = this.following.then(() => this.pollOnce()).then(() => undefined, (error: unknown) => this.logger.warn({ err: error }, 'catalog view sync failed'));
    }, intervalMs);
    this.timer.unref();
  }
  
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.following;
  }

  /** Told about this process's own writes (refresh with announce), e.g. to tell other replicas through Redis. */
  onChange(listener: (productIds: string[], meta: boolean) => void): void {
    this.listeners.add(listener);
  }

  async pollOnce(): Promise<number> {
    const rows = (await selectRows<OutboxEventRow>(this.database.db, catalogEventsQuery(Math.max(this.floorSeq, this.lastSeq - REREAD_WINDOW))))
      .map((r) => ({ seq: Number(r.seq), type: r.type, aggregateId: r.aggregate_id, payload: r.payload }));
    const fresh = rows.filter((r) => !this.seenSeqs.has(r.seq));
    if (fresh.length === 0) return 0;
    const productIds = new Set<string>();
    let meta = false;
    let reloadAll = false;
    for (const r of fresh) {
      this.seenSeqs.add(r.seq);
      if (r.seq > this.lastSeq) this.lastSeq = r.seq;
      if (r.type === 'catalog.changed' && (r.payload as { kind: string }).kind === 'bulk') reloadAll = true;
      else if (r.type === 'catalog.changed') {
        meta = true;
        for (const id of (r.payload as { productIds: string[] }).productIds) productIds.add(id);
      } else productIds.add(r.aggregateId);
    }
    for (const s of this.seenSeqs) if (s <= this.lastSeq - REREAD_WINDOW) this.seenSeqs.delete(s);
    if (reloadAll) await this.loadAll();
    else await this.refresh([...productIds], meta, false);
    return fresh.length;
  }

  /** Reloads these products (and categories, collections, price lists when `meta`) from the database. */
  async refresh(productIds: readonly string[], meta = false, announce = true): Promise<void> {
    if (meta) await this.loadMeta();
    const docs = await loadProducts(this.database.db, productIds);
    const found = new Set(docs.map((d) => d.id));
    for (const id of productIds) if (!found.has(id)) this.drop(id);
    for (const doc of docs) {
      if (doc.status === 'published') this.put(doc);
      else this.drop(doc.id);
    }
    this.changed();
    if (announce) for (const l of this.listeners) l([...productIds], meta);
  }

  protected async loadMeta(): Promise<void> {
    const db = this.database.db;
    const [cats, cols, members, lists] = await Promise.all([
      db.select().from(categories).orderBy(asc(categories.position)),
      db.select().from(collections),
      db.select().from(collectionProducts).where(inArray(collectionProducts.collectionId, db.select({ id: collections.id }).from(collections).where(sql`${collections.rules} is null`)))
        .orderBy(asc(collectionProducts.position)),
      loadPriceLists(db),
    ]);
    this.categories = cats;
    this.categoryById = new Map(cats.map((c) => [c.id, c]));
    this.collections = cols;
    this.manualMembers = new Map();
    for (const m of members) this.manualMembers.set(m.collectionId, [...(this.manualMembers.get(m.collectionId) ?? []), m.productId]);
    this.priceLists = lists;
  }

  protected put(doc: ProductDoc): void {
    const previous = this.docs.get(doc.id);
    // A slower, older load must not overwrite a newer one (the follower and a write may refresh at once).
    if (previous && previous.version > doc.version) return;
    if (previous && previous.handle !== doc.handle) this.byHandle.delete(previous.handle);
    this.docs.set(doc.id, doc);
    this.byHandle.set(doc.handle, doc.id);
    this.search.add(doc.id, { title: doc.title, tags: doc.tags, vendor: doc.vendor, productType: doc.productType, description: indexText(doc.descriptionHtml) });
  }

  private drop(id: string): void {
    const previous = this.docs.get(id);
    if (!previous) return;
    this.docs.delete(id);
    if (this.byHandle.get(previous.handle) === id) this.byHandle.delete(previous.handle);
    this.search.remove(id);
  }

  /** Invalidates everything derived; called after any change is applied. */
  changed(): void {
    this.generation++;
    this.responses.clear();
  }

  /** Data computed from the whole catalog (a sort order, a rule collection), recomputed after a change. */
  memo<T>(key: string, compute: () => T): T {
    const hit = this.derived.get(key);
    if (hit && hit.generation === this.generation) return hit.value as T;
    const value = compute();
    if (this.derived.size > 200) this.derived.clear();
    this.derived.set(key, { generation: this.generation, value });
    return value;
  }

  /**
   * The cached response for this key if it is still current, without rendering: the store
   * routes look their raw URL up here before validation and serialisation. Only URLs that
   * once passed validation and rendered are in the cache, so answering them early is safe.
   */
  peek(key: string): CachedResponse | undefined {
    const hit = this.responses.get(key);
    return hit && hit.validUntil > Date.now() ? hit : undefined;
  }

  /** A rendered response, rendered once per change (and per price-list boundary). */
  cached(key: string, render: () => { body: string; affects?: Iterable<PriceListRule> }): CachedResponse {
    const now = Date.now();
    const hit = this.responses.get(key);
    if (hit && hit.validUntil > now) {
      // Map order is insertion order: re-inserting keeps the hottest entries at the end (LRU).
      this.responses.delete(key);
      this.responses.set(key, hit);
      return hit;
    }
    const { body, affects } = render();
    const entry = { body: Buffer.from(body), etag: `W/"${this.generation.toString(36)}-${fnv1a(body)}"`, validUntil: nextPriceChange(affects ?? this.priceLists.values(), now) };
    if (this.responses.size >= RESPONSE_CACHE_MAX) this.responses.delete(this.responses.keys().next().value as string);
    this.responses.set(key, entry);
    return entry;
  }
}

function fnv1a(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}
